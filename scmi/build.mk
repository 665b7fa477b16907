# SPDX-License-Identifier: MIT
# SCMI: wire format (both roles), agent core and virtio transport (guest).
# Owned by the agent-core work; protocols add to scmi/agent/build.mk,
# the server to scmi/server/build.mk.
front-y += scmi/wire.o
server-y += scmi/wire.o
ifeq ($(CONFIG_SCMI_AGENT),y)
front-y += scmi/agent/core.o scmi/agent/notify.o scmi/agent/virtio.o
endif

ifneq ($(CONFIG_FREESTANDING),y)
tests-y += tests/unit/test_scmi_wire
ifeq ($(CONFIG_SCMI_AGENT),y)
tests-y += tests/unit/test_scmi_core tests/unit/test_scmi_virtio
test_scmi_core-objs := tests/scmi/fake_transport.o
test_scmi_virtio-objs := tests/scmi/virtio_loopback.o
# Hostile headers, lengths and channels into the core (payload parsing of
# the protocols is fuzz_scmi_agent, in scmi/agent/build.mk).
fuzz-y += scmi_core
fuzz_scmi_core-objs := tests/scmi/fake_transport.o
endif
endif
