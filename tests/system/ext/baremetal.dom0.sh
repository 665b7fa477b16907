# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# System-test extension "baremetal", dom0 step (sourced by run.sh with
# D = dom0's rootfs): the guest image and its xl configuration. The domain
# name must be "rtos": vscmi-backd --auto-attach serves agent "rtos"
# (tests/system/systest.cfg) to the domain of that name.
mkdir -p "$D/root/baremetal"
cp "$W/build-baremetal/vscmi-guest.img" "$D/root/baremetal/"
# For a post-mortem of a guest that never finishes: xenctx with its symbols.
aarch64-linux-gnu-nm -n "$W/build-baremetal/vscmi-guest.elf" >"$D/root/baremetal/System.map"
cp "$R/usr/lib/xen-4.17/bin/xenctx" "$D/usr/lib/xen-4.17/bin/"
cat >"$D/etc/xen/rtos.cfg" <<EOC
name = "rtos"
kernel = "/root/baremetal/vscmi-guest.img"
memory = 32
vcpus = 1
on_poweroff = "destroy"
on_crash = "preserve"
EOC
