/* SPDX-License-Identifier: MIT */
/*
 * virtio-core private helpers shared by the driver role (virtqueue.c) and the
 * device role (virtq_device.c): little-endian loads and stores of ring fields
 * in shared memory, and where the EVENT_IDX words live.
 *
 * Every access to a ring field goes through one of these, so each is a single
 * load or store the compiler may neither tear, repeat nor merge (a hostile
 * peer may change the field between two reads; we read it once and work on
 * the copy). The hosts vscmi runs on are little-endian, so the byte swaps
 * compile away; they are here so the wire format is stated, not assumed.
 */
#ifndef VSCMI_VIRTQ_RING_H
#define VSCMI_VIRTQ_RING_H

#include <vscmi/os.h>
#include <vscmi/virtio.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define VIRTQ_LE16(v) __builtin_bswap16(v)
#define VIRTQ_LE32(v) __builtin_bswap32(v)
#define VIRTQ_LE64(v) __builtin_bswap64(v)
#else
#define VIRTQ_LE16(v) (v)
#define VIRTQ_LE32(v) (v)
#define VIRTQ_LE64(v) (v)
#endif

static inline uint16_t virtq_ld16(const uint16_t *p)
{
	return (uint16_t)VIRTQ_LE16(OS_READ_ONCE(*p));
}

static inline uint32_t virtq_ld32(const uint32_t *p)
{
	return (uint32_t)VIRTQ_LE32(OS_READ_ONCE(*p));
}

static inline uint64_t virtq_ld64(const uint64_t *p)
{
	return (uint64_t)VIRTQ_LE64(OS_READ_ONCE(*p));
}

static inline void virtq_st16(uint16_t *p, uint16_t v)
{
	OS_WRITE_ONCE(*p, (uint16_t)VIRTQ_LE16(v));
}

static inline void virtq_st32(uint32_t *p, uint32_t v)
{
	OS_WRITE_ONCE(*p, (uint32_t)VIRTQ_LE32(v));
}

static inline void virtq_st64(uint64_t *p, uint64_t v)
{
	OS_WRITE_ONCE(*p, (uint64_t)VIRTQ_LE64(v));
}

/** The driver's used_event word: just after the avail ring's @num entries. */
static inline uint16_t *virtq_used_event_word(struct virtq_avail *avail,
					      unsigned num)
{
	return &avail->ring[num];
}

/** The device's avail_event word: just after the used ring's @num entries. */
static inline uint16_t *virtq_avail_event_word(struct virtq_used *used,
					       unsigned num)
{
	return (uint16_t *)(void *)&used->ring[num];
}

/** One descriptor copied out of shared memory, field by field, once. */
static inline void virtq_desc_load(const struct virtq_desc *d,
				   struct virtq_desc *copy)
{
	copy->addr = virtq_ld64(&d->addr);
	copy->len = virtq_ld32(&d->len);
	copy->flags = virtq_ld16(&d->flags);
	copy->next = virtq_ld16(&d->next);
}

/** A queue size both roles accept: a power of two within the Kconfig limit. */
static inline bool virtq_size_valid(unsigned num)
{
	return num >= 1 && num <= CONFIG_VIRTQ_MAX_SIZE && !(num & (num - 1));
}

/** Copy @src into @dst (size @size), truncating; always terminated. */
static inline void virtq_copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

#endif /* VSCMI_VIRTQ_RING_H */
