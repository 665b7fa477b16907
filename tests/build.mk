# SPDX-License-Identifier: MIT
# Unit tests (cmocka), fuzz replays and integration scripts. Tests of a
# feature live next to each other here; their folders add to the lists.
ifneq ($(CONFIG_FREESTANDING),y)
tests-y += tests/unit/test_os
endif
ifeq ($(CONFIG_BACKEND_SIM)$(CONFIG_TOOLS)$(CONFIG_PLATFORM_SIM),yyy)
itests-y += tests/integration/e2e.sh
endif
