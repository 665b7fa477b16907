# SPDX-License-Identifier: MIT
# vscmi-backd, the dom0 SCMI server daemon.
ifeq ($(CONFIG_BACKEND),y)
tools-y += vscmi-backd
vscmi-backd-objs := tools/vscmi-backd/main.o tools/vscmi-backd/loop.o \
	tools/vscmi-backd/xenbus_back.o tools/vscmi-backd/device.o \
	tools/vscmi-attach/xsdev.o tools/vscmi-attach/xs_printf.o
ifeq ($(CONFIG_BACKEND_XEN),y)
vscmi-backd-objs += tools/vscmi-backd/plat_xen.o
vscmi-backd-ldlibs := -lxenstore -lxengnttab -lxenevtchn
else
vscmi-backd-objs += tools/vscmi-backd/plat_sim.o
vscmi-backd-ldlibs := -lxenstore
endif
endif
