# SPDX-License-Identifier: MIT
# vscmi, the guest-side command line (hosted: sim or linux platform).
ifeq ($(CONFIG_TOOLS),y)
ifeq ($(CONFIG_SCMI_AGENT),y)
tools-y += vscmi
vscmi-objs := tools/vscmi/main.o tools/vscmi/out.o tools/vscmi/open.o \
	tools/vscmi/cmd_res.o tools/vscmi/cmd_sensor.o tools/vscmi/cmd_misc.o
vscmi-ldlibs := -ljson-c -lm
endif
endif
