# SPDX-License-Identifier: MIT
# Robustness: fault injection on xensim, a hostile back-end, hostile guests
# (tests/robust/*.sh, in `make test`), and the soak (`make soak`,
# scripts/soak.sh). docs/robustness.md describes them all.
#
# The two helper programs are test binaries, not tools: built with `all`
# (so `make test` has them) under $(O)/tests/robust/, never installed.
ifeq ($(CONFIG_BACKEND_SIM)$(CONFIG_TOOLS)$(CONFIG_PLATFORM_SIM)$(CONFIG_SCMI_AGENT),yyyy)
robust-bins := $(O)/tests/robust/robust_guest $(O)/tests/robust/hostile_back
extra-all-y += $(robust-bins)
itests-y += tests/robust/faults.sh tests/robust/hostile_backend.sh

# The archives by name: $(libs) is only known after every build.mk.
$(O)/tests/robust/robust_guest: $(O)/tests/robust/robust_guest.o $(O)/tools/vscmi/open.o \
		$(O)/libvscmi.a $(O)/libvscmi-server.a $(O)/libxensim.a
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS)
$(O)/tests/robust/hostile_back: $(O)/tests/robust/hostile_back.o \
		$(O)/libvscmi.a $(O)/libvscmi-server.a $(O)/libxensim.a
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS) -lxenstore
endif
