# SPDX-License-Identifier: MIT
# SCMI agent protocols (guest side): the commands common to every protocol,
# the base protocol, and one file per optional protocol, each compiled only
# when its CONFIG_SCMI_PROTO_* is set (include/vscmi/scmi_protocols.h turns
# the API of a disabled protocol into -EOPNOTSUPP stubs). The core and the
# virtio transport are listed in scmi/build.mk.
ifeq ($(CONFIG_SCMI_AGENT),y)
front-y += scmi/agent/common.o scmi/agent/base.o
front-$(CONFIG_SCMI_PROTO_POWER) += scmi/agent/power.o
front-$(CONFIG_SCMI_PROTO_SYSTEM) += scmi/agent/system.o
front-$(CONFIG_SCMI_PROTO_PERF) += scmi/agent/perf.o
front-$(CONFIG_SCMI_PROTO_CLOCK) += scmi/agent/clock.o
front-$(CONFIG_SCMI_PROTO_SENSOR) += scmi/agent/sensor.o
front-$(CONFIG_SCMI_PROTO_RESET) += scmi/agent/reset.o
front-$(CONFIG_SCMI_PROTO_VOLTAGE) += scmi/agent/voltage.o
front-$(CONFIG_SCMI_PROTO_POWERCAP) += scmi/agent/powercap.o
front-$(CONFIG_SCMI_PROTO_PINCTRL) += scmi/agent/pinctrl.o

# Unit tests against the scripted fake platform (tests/scmi/fake_transport).
ifneq ($(CONFIG_FREESTANDING),y)
scmi-proto-tests := base
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_POWER)),power)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_SYSTEM)),system)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_PERF)),perf)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_CLOCK)),clock)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_SENSOR)),sensor)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_RESET)),reset)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_VOLTAGE)),voltage)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_POWERCAP)),powercap)
scmi-proto-tests += $(if $(filter y,$(CONFIG_SCMI_PROTO_PINCTRL)),pinctrl)
scmi-proto-tests := $(strip $(scmi-proto-tests))
tests-y += $(foreach t,$(scmi-proto-tests),tests/unit/test_scmi_$(t))
$(foreach t,$(scmi-proto-tests),$(eval test_scmi_$(t)-objs := tests/scmi/fake_transport.o))
# The agent's protocols against the real server (scmi/server), in-process;
# it exercises every protocol, so only when all of them are built.
ifeq ($(CONFIG_BACKEND) $(scmi-proto-tests),y base power system perf clock sensor reset voltage powercap pinctrl)
tests-y += tests/unit/test_scmi_agent_server
test_scmi_agent_server-objs := tests/scmi/fake_transport.o
test_scmi_agent_server-cflags := -DVSCMI_SRCTREE='"$(srctree)"'
endif
# A hostile platform answering every command with fuzzer bytes.
fuzz-y += scmi_agent
fuzz_scmi_agent-objs := tests/scmi/fake_transport.o
endif
endif
