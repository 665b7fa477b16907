// SPDX-License-Identifier: MIT
/*
 * A loopback virtio-pv back-end (device role) for the xen-frontend tests:
 * a dom0 process on xensim, built on the tests' scripted back-end
 * (tests/pvback/pvback.h), that answers every request with its bytes
 * inverted (so a test can tell an answer from an echo of its own buffer).
 *
 *   test_xenfront --peer <machine> <domU> <devid> <mode>
 *
 * Modes: "normal"; "linger" keeps its grant mappings 300 ms after the
 * front-end closes (the front-end must quarantine, not reuse); "stall"
 * never answers a request whose first byte is 0xEE (in flight at a reset);
 * "nocache" unmaps every buffer before returning it (per-message grants);
 * "refuse" gives up on the device (error node, Closing) at Initialised.
 */
#include "loopback.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <vscmi/os.h>

#include "tests/pvback/pvback.h"

static pid_t lb_parent;

/* Never outlive the test that started us (it may die on a failure). */
static bool lb_alive(void)
{
	return getppid() == lb_parent;
}

static const char *lb_refuse(struct pvback *pb)
{
	const char *mode = pb->priv;

	/* As vscmi-backd does for a guest it has no agent for. */
	return strcmp(mode, "refuse") ? NULL : "no SCMI agent for this domain";
}

static void lb_serve(struct pvback *pb)
{
	const char *mode = pb->priv;
	struct virtq_dev *vq = pb->vq[0];	/* eventq buffers stay posted */
	struct virtq_dev_chain c;
	bool pushed = false;

	for (;;) {
		uint8_t req[8192], resp[8192];
		size_t n;
		int r = virtq_dev_pop(vq, &c);

		if (r < 0)
			pvback_log(pb, "cmdq broken: %s", virtq_dev_broken_reason(vq));
		if (r <= 0) {
			if (r == 0 && !virtq_dev_enable_notify(vq))
				continue;
			break;
		}
		n = virtq_dev_read(&c, 0, req, OS_MIN((size_t)c.out_len, sizeof(req)));
		if (n && req[0] == 0xEE && !strcmp(mode, "stall"))
			continue;	/* never answered */
		n = OS_MIN(n, (size_t)c.in_len);
		for (size_t i = 0; i < n; i++)
			resp[i] = (uint8_t)~req[i];
		n = virtq_dev_write(&c, 0, resp, n);
		/* Per-message grants (or told to behave so): unmap the
		 * buffers before handing them back. */
		if (pb->per_message || !strcmp(mode, "nocache"))
			pvback_unmap_buffers(pb);
		virtq_dev_push(vq, c.head, (uint32_t)n);
		pushed = true;
	}
	if (pushed && virtq_dev_need_interrupt(vq))
		pvback_notify(pb);
}

static const struct pvback_ops lb_ops = {
	.refuse = lb_refuse,
	.serve = lb_serve,
};

int loopback_main(int argc, char **argv)
{
	static volatile sig_atomic_t never;
	struct pvback pb = { .ops = &lb_ops };
	int ret;

	if (argc < 6)
		return 2;
	lb_parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!lb_alive() || lb_parent == 1)
		return 1;
	pb.priv = argv[5];
	pb.linger = !strcmp(argv[5], "linger");
	/* dom0 of the test's machine, as `xensim run 0` would set it. */
	setenv("XENSIM_MACHINE", argv[2], 1);
	setenv("XENSIM_DOMID", "0", 1);
	ret = pvback_open(&pb, (uint16_t)atoi(argv[3]), argv[4]);
	if (ret) {
		fprintf(stderr, "peer: %s\n", strerror(-ret));
		return 1;
	}
	pvback_run(&pb, &never, lb_alive);
	return 0;
}
