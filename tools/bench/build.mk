# SPDX-License-Identifier: MIT
# vscmi-bench: baselines and whole-stack figures for `make bench`.
ifeq ($(CONFIG_TOOLS),y)
ifeq ($(CONFIG_SCMI_AGENT),y)
tools-y += vscmi-bench
vscmi-bench-objs := tools/bench/main.o tools/bench/baseline.o
vscmi-bench-ldlibs := -lm
endif
endif
