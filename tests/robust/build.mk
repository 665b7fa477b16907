# SPDX-License-Identifier: MIT
# Robustness: fault injection on xensim, a hostile back-end, hostile guests
# (tests/robust/*.sh, in `make test`), and the soak (`make soak`,
# scripts/soak.sh). docs/robustness.md describes them all.
#
# The two helper programs are test binaries, not tools: built with `all`
# (so `make test` has them) under $(O)/tests/robust/, never installed.
ifeq ($(CONFIG_BACKEND_SIM)$(CONFIG_TOOLS)$(CONFIG_PLATFORM_SIM)$(CONFIG_SCMI_AGENT),yyyy)
extra-all-y += $(O)/tests/robust/robust_guest
itests-y += tests/robust/faults.sh tests/robust/hostile_backend.sh

# The archives by name: $(libs) is only known after every build.mk.
$(O)/tests/robust/robust_guest: $(O)/tests/robust/robust_guest.o $(O)/tools/vscmi/open.o \
		$(O)/libvscmi.a $(O)/libvscmi-server.a $(O)/libxensim.a
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS)
endif

# The hostile back-end runs wherever vscmi-backd does (xensim or real Xen:
# the system test runs it too), on vscmi-backd's platform contract.
ifeq ($(CONFIG_BACKEND)$(CONFIG_TOOLS),yy)
extra-all-y += $(O)/tests/robust/hostile_back
ifeq ($(CONFIG_BACKEND_XEN),y)
hostile-back-plat := $(O)/tools/vscmi-backd/plat_xen.o
hostile-back-libs := -lxenstore -lxengnttab -lxenevtchn
else
hostile-back-plat := $(O)/tools/vscmi-backd/plat_sim.o $(O)/libxensim.a
hostile-back-libs := -lxenstore
endif
$(O)/tests/robust/hostile_back: $(O)/tests/robust/hostile_back.o $(O)/tests/pvback/pvback.o \
		$(O)/tools/vscmi-attach/xs_printf.o \
		$(hostile-back-plat) \
		$(O)/libvscmi.a $(O)/libvscmi-server.a
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LINK_LIBS) $(hostile-back-libs)
endif

# The guest's side of the virtio-pv handshake against hostile xenstore
# values (the fuzz file replaces the xenstore client: the parsers only).
ifeq ($(CONFIG_PLATFORM_SIM),y)
fuzz-y += virtio_pv_xs
fuzz_virtio_pv_xs-objs := xen-frontend/virtio_pv_xs.o xen-frontend/xenbus_common.o
endif

# vscmi-backd's side of the handshake against a hostile guest's xenstore
# values (the fuzz file is xenstore, the platform and the loop).
ifeq ($(CONFIG_BACKEND),y)
fuzz-y += backd_xs
fuzz_backd_xs-objs := tools/vscmi-backd/xenbus_back.o tools/vscmi-backd/device.o \
	tools/vscmi-attach/xs_printf.o
endif
