# SPDX-License-Identifier: MIT
# Integration on xensim with the real stack: all-commands runs inside a
# guest (xensim run ID -- all-commands --role ...) and drives every SCMI
# command over its virtio-pv device; tests/integration/all_commands.sh
# starts the machine, vscmi-backd and three guests (docs/testing.md).
ifeq ($(CONFIG_BACKEND_SIM)$(CONFIG_TOOLS)$(CONFIG_PLATFORM_SIM)$(CONFIG_SCMI_AGENT),yyyy)
tools-y += all-commands
all-commands-objs := tests/integration/all_commands.o tests/integration/all_commands_proto.o \
	tests/integration/all_commands_matrix.o tools/vscmi/open.o
itests-y += tests/integration/all_commands.sh
endif
