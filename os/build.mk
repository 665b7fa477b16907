# SPDX-License-Identifier: MIT
# The OS layer: POSIX threads, or freestanding single-CPU polling.
ifeq ($(CONFIG_FREESTANDING),y)
front-y += os/os_freestanding.o os/string.o
else
front-y += os/os_posix.o
endif
