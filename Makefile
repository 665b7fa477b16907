# SPDX-License-Identifier: MIT
#
# vscmi top-level Makefile.
#
# Configuration comes from Kconfig (kconfig-frontends); every folder lists
# its objects in a build.mk, as `<set>-$(CONFIG_FOO) += dir/file.o`, so a
# platform split is chosen here, at link time. Sets:
#   front-y     libvscmi.a         guest side: OS layer, virtio-core,
#                                  xen-frontend, SCMI wire + agent
#   server-y    libvscmi-server.a  dom0 side: virtio device role users,
#                                  SCMI server, platform model, config
#   xensim-y    libxensim.a        the simulated Xen machine
#   tools-y     programs in $(O)/bin; <tool>-objs lists each one's objects
#   tests-y     cmocka programs, one .c each (+ <test>-objs)
#   fuzz-y      fuzz targets: tests/fuzz/fuzz_<name>.c, corpus in
#               tests/fuzz/corpus/<name>/
#   itests-y    integration test scripts
#
# Useful targets: all, defconfig, <name>_defconfig, menuconfig, olddefconfig,
# savedefconfig, allyesconfig, allnoconfig, test, fuzz, bench, run, install,
# clean, help.  O=dir builds out of tree (default: build), V=1 is verbose.

O ?= build
override O := $(patsubst %/,%,$(O))
srctree := $(CURDIR)
export srctree

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-8s %s\n'
endif
MAKEFLAGS += --no-print-directory

# ---------------------------------------------------------------------------
# Configuration

KCONF := kconfig-conf
KMCONF := kconfig-mconf
KCONFIG_ENV = KCONFIG_CONFIG=.config \
	KCONFIG_AUTOCONFIG=include/config/auto.conf \
	KCONFIG_AUTOHEADER=include/generated/autoconf.h srctree=$(srctree)

config-targets := defconfig %_defconfig menuconfig olddefconfig \
	savedefconfig allyesconfig allnoconfig help clean distclean \
	check-deps deps system-test
# Goals that only check dependencies and then recurse: they must work before
# kconfig-frontends is installed, so they read no configuration themselves.
ifneq ($(SANITIZE),1)
config-targets += test run fuzz bench soak
endif
is-config := $(filter $(config-targets),$(MAKECMDGOALS))

ifeq ($(is-config),)
-include $(O)/include/config/auto.conf
endif

define kconfig_sync
	$(Q)mkdir -p $(O)/include/config $(O)/include/generated
	$(Q)cd $(O) && $(KCONFIG_ENV) $(KCONF) -s --silentoldconfig $(srctree)/Kconfig
endef

.PHONY: defconfig menuconfig olddefconfig savedefconfig allyesconfig allnoconfig
defconfig: sim_defconfig
%_defconfig: configs/%_defconfig
	$(Q)mkdir -p $(O)
	$(Q)cd $(O) && $(KCONFIG_ENV) $(KCONF) -s --defconfig=$(srctree)/$< $(srctree)/Kconfig
	$(call kconfig_sync)
	@echo "  CONFIG   $(O)/.config from $<"
menuconfig:
	$(Q)mkdir -p $(O)
	$(Q)cd $(O) && $(KCONFIG_ENV) $(KMCONF) $(srctree)/Kconfig
	$(call kconfig_sync)
olddefconfig allyesconfig allnoconfig:
	$(Q)mkdir -p $(O)
	$(Q)cd $(O) && $(KCONFIG_ENV) $(KCONF) -s --$@ $(srctree)/Kconfig
	$(call kconfig_sync)
	@echo "  CONFIG   $(O)/.config ($@)"
savedefconfig:
	$(Q)cd $(O) && $(KCONFIG_ENV) $(KCONF) --savedefconfig=defconfig $(srctree)/Kconfig
	@echo "  SAVED    $(O)/defconfig"

# A fresh tree builds the default configuration.
ifeq ($(is-config),)
$(O)/.config:
	$(Q)$(MAKE) O=$(O) sim_defconfig
# New symbols in Kconfig take their defaults, as Linux's syncconfig does
# (silentoldconfig alone would ask, and abort without a terminal).
$(O)/include/config/auto.conf: $(O)/.config Kconfig
	$(Q)cd $(O) && $(KCONFIG_ENV) $(KCONF) -s --olddefconfig $(srctree)/Kconfig
	$(call kconfig_sync)
endif

# ---------------------------------------------------------------------------
# Toolchain and flags

CROSS_COMPILE ?= $(patsubst "%",%,$(CONFIG_CROSS_COMPILE))
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
AR := $(CROSS_COMPILE)ar
NM := $(CROSS_COMPILE)nm
SIZE := $(CROSS_COMPILE)size

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla \
	-Wformat=2 -Wundef -Wcast-align -Wnull-dereference
CPPFLAGS := -I$(srctree)/include -I$(srctree) -I$(O)/include \
	-include $(O)/include/generated/autoconf.h
CFLAGS := -std=c11 -g $(WARN) -fno-strict-aliasing
ifeq ($(CONFIG_OPTIMIZE_SIZE),y)
CFLAGS += -Os
else
CFLAGS += -O2
endif
ifeq ($(CONFIG_FREESTANDING),y)
# Xen's public headers, without the rest of the host's /usr/include, at
# the current interface version (the default, 0, renumbers sched_op and
# event_channel_op to their pre-3.0 compat hypercalls, which arm lacks).
CPPFLAGS += -I$(O)/include/xen-public \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
CFLAGS += -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -fno-pic -mgeneral-regs-only \
	-mno-outline-atomics -ffunction-sections -fdata-sections
else
CPPFLAGS += -D_GNU_SOURCE
CFLAGS += -fPIC -pthread
LDLIBS := -pthread -lrt
endif
ifeq ($(SANITIZE),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
CFLAGS += $(SANFLAGS) -O1
LDFLAGS += $(SANFLAGS)
endif
CFLAGS += $(EXTRA_CFLAGS)

# ---------------------------------------------------------------------------
# What to build: every folder's build.mk

front-y :=
server-y :=
xensim-y :=
tools-y :=
tests-y :=
fuzz-y :=
itests-y :=
libs-y :=
include $(wildcard */build.mk */*/build.mk)

front-objs := $(addprefix $(O)/,$(sort $(front-y)))
server-objs := $(addprefix $(O)/,$(sort $(server-y)))
libxensim-objs := $(addprefix $(O)/,$(sort $(xensim-y)))

libs :=
ifneq ($(front-y),)
libs += $(O)/libvscmi.a
endif
ifneq ($(server-y),)
libs += $(O)/libvscmi-server.a
endif
ifneq ($(xensim-y),)
libs += $(O)/libxensim.a
endif
LINK_LIBS = -Wl,--start-group $(libs) -Wl,--end-group $(sort $(libs-y)) $(LDLIBS)

tool-bins := $(addprefix $(O)/bin/,$(tools-y))
test-bins := $(addprefix $(O)/,$(tests-y))
fuzz-replay-bins := $(addprefix $(O)/tests/fuzz/replay_,$(fuzz-y))

.DEFAULT_GOAL := all
# Keep objects made by chained rules (tools, tests) for incremental builds.
.SECONDARY:
.PHONY: all libs tools
ifeq ($(is-config),)
all: $(libs) $(tool-bins) $(extra-all-y)
endif
libs: $(libs)
tools: $(tool-bins)

# ---------------------------------------------------------------------------
# Rules

$(O)/include/xen-public/xen:
	$(Q)mkdir -p $(@D) && ln -sfn /usr/include/xen $@
# Order-only on every object, not on auto.conf: .SECONDARY makes every
# target an intermediate, and make never recreates a missing intermediate
# of a target that is already up to date (auto.conf is, after *_defconfig).
# In the pattern rule, so an object whose source is missing still fails
# with "No rule to make target".
xen-public-dep := $(if $(filter y,$(CONFIG_FREESTANDING)),$(O)/include/xen-public/xen)

$(O)/%.o: %.c $(O)/include/config/auto.conf | $(xen-public-dep)
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $($(*F)-cflags) -MMD -MP -c -o $@ $<

# Each archive also depends on a file holding its object list, rewritten
# only when the list changes: an object added to a build.mk that was
# already built (older than the archive), or one taken out, still
# re-archives.
$(O)/libvscmi.a: $(front-objs) $(O)/.objs-libvscmi
$(O)/libvscmi-server.a: $(server-objs) $(O)/.objs-libvscmi-server
$(O)/libxensim.a: $(libxensim-objs) $(O)/.objs-libxensim
$(O)/.objs-libvscmi: objlist = $(front-objs)
$(O)/.objs-libvscmi-server: objlist = $(server-objs)
$(O)/.objs-libxensim: objlist = $(libxensim-objs)
$(O)/.objs-%: FORCE
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(objlist)' | cmp -s - $@ || echo '$(objlist)' > $@
$(O)/%.a:
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) crs $@ $(filter %.o,$^)
.PHONY: FORCE
FORCE:

# Tools: $(O)/bin/<tool> from <tool>-objs
.SECONDEXPANSION:
$(O)/bin/%: $$(addprefix $(O)/,$$($$*-objs)) $(libs)
	$(quiet) LD $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS) $($*-ldlibs)

# Unit tests: one cmocka program per .c (+ <test>-objs)
$(test-bins): $(O)/%: $(O)/%.o $$(addprefix $(O)/,$$($$(*F)-objs)) $(libs)
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS) $($(*F)-ldlibs) -lcmocka

# Fuzz targets, replay form (any compiler): replay_main.c feeds each file
$(O)/tests/fuzz/replay_%: $(O)/tests/fuzz/fuzz_%.o $(O)/tests/fuzz/replay_main.o \
		$$(addprefix $(O)/,$$(fuzz_$$*-objs)) $(libs)
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS)

print-fuzz-objs-%:
	@echo $(addprefix $(O)/,$(fuzz_$*-objs))

# Extra link libraries of the configuration (scripts/run-fuzz.sh links with them).
print-libs:
	@echo $(sort $(libs-y))

-include $(shell find $(O) -name '*.d' -type f 2>/dev/null)

# ---------------------------------------------------------------------------
# Tests: unit + fuzz replay + integration, under ASan and UBSan, in
# $(O)/san with the same configuration (sim_defconfig for a freestanding one).

TEST_O := $(O)/san
.PHONY: test check test-build
ifeq ($(SANITIZE),1)
test-build: all $(test-bins) $(fuzz-replay-bins)
check: test-build
	$(Q)O=$(O) FUZZ="$(fuzz-y)" TESTS="$(tests-y)" ITESTS="$(itests-y)" \
		sh scripts/run-tests.sh
else
test:
	$(Q)sh scripts/check-deps.sh test
	$(Q)mkdir -p $(TEST_O)
	$(Q)if [ -f $(O)/.config ] && ! grep -q '^CONFIG_FREESTANDING=y' $(O)/.config; then \
		cmp -s $(O)/.config $(TEST_O)/.config || cp $(O)/.config $(TEST_O)/.config; \
	elif [ ! -f $(TEST_O)/.config ]; then \
		$(MAKE) O=$(TEST_O) sim_defconfig >/dev/null; \
	fi
	$(Q)$(MAKE) O=$(TEST_O) SANITIZE=1 olddefconfig >/dev/null
	$(Q)$(MAKE) O=$(TEST_O) SANITIZE=1 check
endif

# libFuzzer builds with clang: make fuzz FUZZ_SECONDS=N [FUZZ_TARGETS="a b"]
FUZZ_SECONDS ?= 60
FUZZ_O := $(O)/fuzz
.PHONY: fuzz
fuzz:
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(or $(FUZZ_TARGETS),$(fuzz-y))" \
		FUZZ_O=$(FUZZ_O) sh scripts/run-fuzz.sh

# The soak (scripts/soak.sh, docs/robustness.md): a sanitizer build in
# $(O)/soak and the release build in $(O) (for valgrind). SOAK_GUESTS,
# SOAK_CMDS, SOAK_VG_CMDS, SOAK_VG_GUESTS pass through the environment.
SOAK_O := $(O)/soak
.PHONY: soak
soak:
	$(Q)sh scripts/check-deps.sh test
	$(Q)[ -f $(O)/.config ] || $(MAKE) O=$(O) sim_defconfig >/dev/null
	$(Q)grep -q '^CONFIG_PLATFORM_SIM=y' $(O)/.config || \
		{ echo "  soak: $(O) is not a sim configuration (try sim_defconfig)"; exit 1; }
	$(Q)$(MAKE) O=$(O) -j2 all
	$(Q)mkdir -p $(SOAK_O)
	$(Q)cmp -s $(O)/.config $(SOAK_O)/.config || cp $(O)/.config $(SOAK_O)/.config
	$(Q)$(MAKE) O=$(SOAK_O) SANITIZE=1 olddefconfig >/dev/null
	$(Q)$(MAKE) O=$(SOAK_O) SANITIZE=1 -j2 all
	$(Q)O=$(O) SAN_O=$(SOAK_O) sh scripts/soak.sh

.PHONY: run
run:
	$(Q)sh scripts/check-deps.sh run
	$(Q)[ -f $(O)/.config ] || $(MAKE) O=$(O) sim_defconfig >/dev/null
	$(Q)$(MAKE) O=$(O) all
	$(Q)O=$(O) sh scripts/demo.sh

.PHONY: bench
BENCH_O ?= build/release
bench:
	$(Q)sh scripts/check-deps.sh cross
	$(Q)[ -f $(BENCH_O)/.config ] || $(MAKE) O=$(BENCH_O) sim_defconfig >/dev/null
	$(Q)$(MAKE) O=$(BENCH_O) -j2 all
	$(Q)O=$(BENCH_O) sh scripts/bench.sh

# The same binaries on real Xen: Debian's Xen 4.17 arm64, a dom0 and two
# guests under qemu-system-aarch64 (tests/system/run.sh, docs/system-test.md).
.PHONY: system-test
system-test:
	$(Q)SYSTEST_WORK=$(abspath $(O))/system-test bash tests/system/run.sh

.PHONY: deps check-deps
deps:
	$(Q)sh scripts/check-deps.sh --install all
check-deps:
	$(Q)sh scripts/check-deps.sh all

# ---------------------------------------------------------------------------
# Footprint and freestanding checks (for arm64_defconfig; size-report works
# in any configuration). check-freestanding fails if libvscmi.a needs any
# symbol outside the project and its vscmi_plat_* hooks; undef-report also
# prints `nm -u` of the whole library.

.PHONY: size-report undef-report check-freestanding
size-report: $(O)/libvscmi.a
	@echo "  SIZE     $< (text, data, bss per object; totals last)"
	$(Q)$(SIZE) -t $<
undef-report check-freestanding: $(O)/libvscmi.a
ifeq ($(CONFIG_FREESTANDING),y)
	$(Q)NM=$(NM) sh scripts/check-freestanding.sh \
		$(if $(filter undef-report,$@),-v) $< $(O)
else
	@echo "  $@: $(O) is not a freestanding configuration (try arm64_defconfig)"
endif

# ---------------------------------------------------------------------------
# Install

PREFIX ?= /usr/local
DESTDIR ?=
# On the sim platform the front-end library runs on libxensim: install it too.
sim-front-libs := $(if $(filter y,$(CONFIG_PLATFORM_SIM)),$(if $(xensim-y),-lxensim))
.PHONY: install
install: all
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/include/vscmi
	$(Q)for t in $(tool-bins); do install -m 755 $$t $(DESTDIR)$(PREFIX)/bin/; done
	$(Q)install -m 644 include/vscmi/*.h $(DESTDIR)$(PREFIX)/include/vscmi/
	$(Q)install -m 644 $(O)/include/generated/autoconf.h \
		$(DESTDIR)$(PREFIX)/include/vscmi/config.h
	$(Q)[ ! -f $(O)/libvscmi.a ] || install -m 644 $(O)/libvscmi.a $(DESTDIR)$(PREFIX)/lib/
	$(Q)[ -z "$(sim-front-libs)" ] || install -m 644 $(O)/libxensim.a $(DESTDIR)$(PREFIX)/lib/
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' \
		-e 's|@LIBS@|$(sim-front-libs) $(LDLIBS) $(sort $(libs-y))|' \
		scripts/vscmi.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/vscmi.pc
	$(Q)for m in $(wildcard docs/man/*.[1-9]); do s=$${m##*.}; \
		install -d $(DESTDIR)$(PREFIX)/share/man/man$$s && \
		install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/ || exit 1; done
	@echo "  INSTALL  $(DESTDIR)$(PREFIX)"

# ---------------------------------------------------------------------------

.PHONY: clean distclean help
clean:
	$(Q)rm -rf $(O)/bin $(O)/tests $(O)/*.a $(O)/san $(O)/fuzz $(O)/soak \
		$(shell find $(O) -name '*.o' -o -name '*.d' 2>/dev/null)
distclean:
	$(Q)rm -rf $(O)

help:
	@echo 'Configuration:'
	@echo '  defconfig            sim_defconfig: everything on xensim (default)'
	@echo '  <name>_defconfig     one of: $(notdir $(wildcard configs/*_defconfig))'
	@echo '  menuconfig           edit the configuration (kconfig-mconf)'
	@echo '  olddefconfig         update .config, new symbols at defaults'
	@echo '  allyesconfig         every option on; allnoconfig: every option off'
	@echo '  savedefconfig        write the minimal config to $(O)/defconfig'
	@echo 'Build:'
	@echo '  all                  libraries and tools (default)'
	@echo '  install              PREFIX=$(PREFIX) DESTDIR=...'
	@echo '  clean, distclean'
	@echo 'Check:'
	@echo '  test                 unit, fuzz replay, integration; ASan + UBSan'
	@echo '  fuzz                 libFuzzer (clang), FUZZ_SECONDS=N FUZZ_TARGETS=...'
	@echo '  soak                 32 guests x 100000 commands (ASan+UBSan), then valgrind'
	@echo '  system-test          real Xen 4.17 arm64 under QEMU: dom0 + 2 guests (root, apt)'
	@echo '  deps                 install the Debian packages the project needs'
	@echo '  size-report          text/data/bss of each libvscmi.a object, and totals'
	@echo '  undef-report         nm -u of libvscmi.a + check-freestanding (freestanding only)'
	@echo '  check-freestanding   fail if libvscmi.a needs a symbol outside the project'
	@echo 'Options: O=dir (default build), V=1 verbose'
