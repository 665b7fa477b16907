# SPDX-License-Identifier: MIT
# virtio-core: split virtqueues, driver role and device role. Both the guest
# library and the back-end use them, so the objects go in front-y
# (freestanding-clean: only vscmi/os.h).
front-y += virtio-core/ring.o virtio-core/virtqueue.o virtio-core/virtq_device.o

ifneq ($(CONFIG_FREESTANDING),y)
tests-y += tests/unit/test_virtqueue tests/unit/test_virtq_device \
	tests/unit/test_virtq_pair
endif

# Fuzz targets (tests/fuzz/fuzz_<name>.c; corpus in tests/fuzz/corpus/<name>/)
ifneq ($(CONFIG_FREESTANDING),y)
fuzz-y += virtq_device virtq_driver
endif

# The virtqueue micro-benchmark (hosted: threads)
ifneq ($(CONFIG_FREESTANDING),y)
tools-y += virtq-pingpong
virtq-pingpong-objs := tools/bench/virtq_pingpong.o
endif
