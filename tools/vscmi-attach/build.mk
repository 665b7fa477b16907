# SPDX-License-Identifier: MIT
# vscmi-attach / vscmi-detach: toolstack glue (xenstore only).
ifeq ($(CONFIG_TOOLS),y)
tools-y += vscmi-attach vscmi-detach
vscmi-attach-objs := tools/vscmi-attach/attach.o tools/vscmi-attach/xsdev.o tools/vscmi-attach/xs_printf.o
vscmi-detach-objs := $(vscmi-attach-objs)
vscmi-attach-ldlibs := -lxenstore
vscmi-detach-ldlibs := -lxenstore
endif
