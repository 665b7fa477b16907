// SPDX-License-Identifier: MIT
/*
 * Split-ring layout (virtio 1.x, 2.7): the size of each ring area, and the
 * identity DMA ops (device address == virtual address) used by tests, the
 * loopback benchmark and any transport whose device shares our address space.
 */
#include <vscmi/os.h>
#include <vscmi/virtio.h>

#include "virtio-core/virtq_ring.h"

_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc is 16 bytes on the wire");
_Static_assert(sizeof(struct virtq_avail) == 4, "virtq_avail header is 4 bytes");
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtq_used_elem is 8 bytes");
_Static_assert(sizeof(struct virtq_used) == 4, "virtq_used header is 4 bytes");

size_t virtq_desc_area_size(unsigned num)
{
	return sizeof(struct virtq_desc) * (size_t)num;
}

size_t virtq_avail_area_size(unsigned num)
{
	/* flags, idx, ring[num], used_event */
	return sizeof(struct virtq_avail) + sizeof(uint16_t) * (size_t)num +
	       sizeof(uint16_t);
}

size_t virtq_used_area_size(unsigned num)
{
	/* flags, idx, ring[num], avail_event */
	return sizeof(struct virtq_used) +
	       sizeof(struct virtq_used_elem) * (size_t)num + sizeof(uint16_t);
}

static int virtq_identity_map(void *ctx, void *va, uint32_t len,
			      bool device_writes, uint64_t *dma)
{
	*dma = (uint64_t)(uintptr_t)va;
	return 0;
}

static const struct virtq_dma_ops virtq_identity_ops = {
	.map = virtq_identity_map,
};

const struct virtq_dma virtq_dma_identity = {
	.ops = &virtq_identity_ops,
	.ctx = NULL,
	.seg_boundary = 0,
};
