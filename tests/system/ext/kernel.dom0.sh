# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# System-test extension "kernel", dom0 files (sourced by run.sh, D = dom0's
# rootfs): the guest's kernel, initramfs, partial device tree and xl config,
# and the hostile back-end.
mkdir -p "$D/root/linux"
cp "$W/kernel/Image" "$W/kernel/initrd.cpio.gz" "$W/kernel/linux.dtb" "$D/root/linux/"
cp "$W/bin/systest-khostile" "$D/bin/"
cat >"$D/etc/xen/linux.cfg" <<XLCFG
name = "linux"
memory = 160
vcpus = 1
kernel = "/root/linux/Image"
ramdisk = "/root/linux/initrd.cpio.gz"
device_tree = "/root/linux/linux.dtb"
extra = "console=hvc0 rdinit=/init loglevel=5"
on_poweroff = "destroy"
on_crash = "destroy"
XLCFG
