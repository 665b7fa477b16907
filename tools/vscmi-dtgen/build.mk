# SPDX-License-Identifier: MIT
# vscmi-dtgen: the partial device tree (xl device_tree=) of a Linux guest
# using the kernel's SCMI drivers over virtio-pv. Needs libfdt (Debian:
# libfdt-dev; libfdt-dev:arm64 for the system test's cross build).
ifeq ($(CONFIG_BACKEND)$(CONFIG_TOOLS),yy)
tools-y += vscmi-dtgen
vscmi-dtgen-objs := tools/vscmi-dtgen/main.o
vscmi-dtgen-ldlibs := -lfdt
itests-y += tests/integration/dtgen.sh
endif
