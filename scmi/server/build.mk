# SPDX-License-Identifier: MIT
# The SCMI server (dom0 side, hosted): dispatch, every protocol's server
# side, the platform model, agents and permissions, the config parser
# (libxlutil, the Xen toolstack's xl-config parser). Built with the back-end.
ifeq ($(CONFIG_BACKEND),y)
server-y += scmi/server/server.o scmi/server/model.o scmi/server/config.o \
	scmi/server/config_model.o scmi/server/config_schema.o \
	scmi/server/base.o scmi/server/power.o \
	scmi/server/perf.o scmi/server/clock.o scmi/server/sensor.o \
	scmi/server/reset.o scmi/server/powercap.o scmi/server/pinctrl.o
libs-y += -lxlutil -lm

tests-y += tests/unit/test_scmi_server tests/unit/test_scmi_server_config
test_scmi_server-objs := tests/unit/scmi_srv_harness.o
test_scmi_server_config-objs := tests/unit/scmi_srv_harness.o
fuzz-y += scmi_server config
fuzz_scmi_server-cflags := -DVSCMI_SRCTREE='"$(srctree)"'
fuzz_config-cflags := -DVSCMI_SRCTREE='"$(srctree)"'
scmi_srv_harness-cflags := -DVSCMI_SRCTREE='"$(srctree)"'
endif
