# SPDX-License-Identifier: MIT
# xensim's xenstored. The engine and the server live in libxensim.a, so the
# tests and the fuzz target use the production objects directly;
# xensim-xenstored is the daemon around them.
ifeq ($(CONFIG_PLATFORM_SIM),y)
xensim-y += tools/xenstored/xsd_core.o tools/xenstored/xsd_tree.o \
	tools/xenstored/xsd_watch.o tools/xenstored/xsd_txn.o \
	tools/xenstored/xsd_domain.o tools/xenstored/server.o

tools-y += xensim-xenstored
xensim-xenstored-objs := tools/xenstored/main.o

tests-y += tests/unit/test_xenstored tests/unit/test_xenstored_client \
	tests/unit/test_xenstored_ring
test_xenstored_client-ldlibs := -lxenstore
test_xenstored_ring-objs := tests/unit/xsim_test_util.o
test_xenstored_ring-ldlibs := -lxenstore
fuzz-y += xs_wire
itests-y += tests/integration/xenstored_tools.sh
endif
