/* SPDX-License-Identifier: MIT */
/* The loopback virtio-pv back-end of the xen-frontend tests (loopback.c). */
#ifndef VSCMI_TEST_LOOPBACK_H
#define VSCMI_TEST_LOOPBACK_H

/** Entry point of `test_xenfront --peer <machine> <domU> <devid> <mode>`. */
int loopback_main(int argc, char **argv);

#endif
