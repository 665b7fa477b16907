# SPDX-License-Identifier: MIT
# xen-frontend: grants, grant-DMA pool, event channels, xenstore client and
# the virtio-pv transport (guest side). Portable files always; one platform's
# files chosen here, at link time (xen_plat.h is the contract).
front-y += xen-frontend/gnttab.o xen-frontend/grant_dma.o \
	xen-frontend/evtchn.o xen-frontend/xenbus_common.o \
	xen-frontend/virtio_pv.o xen-frontend/virtio_pv_xs.o

ifeq ($(CONFIG_PLATFORM_SIM),y)
front-y += xen-frontend/xen_plat_sim.o xen-frontend/gnttab_sim.o \
	xen-frontend/evtchn_sim.o xen-frontend/xenstore.o
endif
ifeq ($(CONFIG_PLATFORM_LINUX),y)
front-y += xen-frontend/xen_plat_linux.o xen-frontend/gnttab_linux.o \
	xen-frontend/evtchn_linux.o xen-frontend/xenstore_linux.o
libs-y += -lxengnttab -lxenevtchn -lxenstore
endif
ifeq ($(CONFIG_PLATFORM_ARM64),y)
front-y += xen-frontend/xen_plat_arm64.o xen-frontend/gnttab_arm64.o \
	xen-frontend/evtchn_arm64.o xen-frontend/xenstore.o
endif

# Tests: a loopback back-end (device role) on xensim drives the transport.
ifeq ($(CONFIG_PLATFORM_SIM)$(CONFIG_XENSIM),yy)
tests-y += tests/xenfront/test_xenfront
test_xenfront-objs := tests/xenfront/loopback.o tests/xenfront/simenv.o \
	tests/pvback/pvback.o tools/vscmi-backd/plat_sim.o tools/vscmi-attach/xs_printf.o
test_xenfront-ldlibs := -lxenstore
endif

# The xenstore ring client against a hostile daemon (the fuzz file is the
# platform: no xensim needed).
ifeq ($(CONFIG_PLATFORM_SIM),y)
fuzz-y += xenbus_ring
endif

# Interoperability with the real back-end (vscmi-backd) through the vscmi CLI.
ifeq ($(CONFIG_PLATFORM_SIM)$(CONFIG_XENSIM)$(CONFIG_BACKEND_SIM)$(CONFIG_TOOLS),yyyy)
itests-y += tests/integration/virtio_pv_backd.sh
endif
