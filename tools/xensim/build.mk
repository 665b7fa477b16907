# SPDX-License-Identifier: MIT
# xensim: the simulated Xen machine (libxensim.a), its CLI, its benchmark
# and its tests. xenstored*.c files belong to the xenstored part.
ifeq ($(CONFIG_PLATFORM_SIM),y)
xensim-y += tools/xensim/machine.o tools/xensim/gnttab.o tools/xensim/evtchn.o \
	tools/xensim/audit.o

tools-y += xensim xensim-bench
xensim-objs := tools/xensim/xensim_main.o tools/xensim/daemon.o
xensim-ldlibs := -lxenstore
xensim-bench-objs := tools/xensim/bench.o

tests-y += tests/unit/test_xensim_gnttab tests/unit/test_xensim_evtchn
test_xensim_gnttab-objs := tests/unit/xsim_test_util.o
test_xensim_evtchn-objs := tests/unit/xsim_test_util.o
itests-y += tests/integration/xensim_cli.sh
endif
