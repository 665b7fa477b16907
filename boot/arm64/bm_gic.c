// SPDX-License-Identifier: MIT
/*
 * Idling for the bare-metal guest: instead of spinning while the front-end
 * waits, sleep in WFI until the event-channel interrupt (the `xen,xen`
 * node's PPI, INTID 31 on Xen) or the virtual timer (a bounded nap) is
 * pending at the GICv3 CPU interface.
 *
 * Interrupts stay masked in PSTATE (os/os_freestanding.c has no interrupt
 * masking of its own, so no handler may interrupt the front-end): WFI
 * wakes on a pending interrupt regardless of the mask, and the interrupt
 * is then acknowledged by reading ICC_IAR1_EL1 and ended with
 * ICC_EOIR1_EL1 from the same loop. The events themselves are still read
 * from shared_info's pending bitmap (evtchn_arm64_poll()), which Xen sets
 * whatever the GIC does; the interrupt only ends the sleep early.
 *
 * Xen blocks a vCPU that executes WFI until one of its enabled virtual
 * interrupts is pending with a priority its PMR lets through: hence the
 * distributor and redistributor set-up below (group 1 enabled, the two
 * PPIs enabled at priority 0x80, PMR 0xff). The nap is bounded by the
 * virtual timer, so a missed interrupt costs at most BM_IDLE_NS.
 */
#include "boot/arm64/bm.h"

#define GICD_CTLR 0x0
#define GICD_CTLR_ENABLE_G1A (1u << 1)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICR_SGI_BASE 0x10000		/* SGI/PPI frame after RD_base */
#define GICR_IGROUPR0 0x080
#define GICR_ISENABLER0 0x100
#define GICR_IPRIORITYR 0x400
#define GICR_MAP_SIZE 0x20000
#define GIC_PRIO 0x80u
#define GIC_SPURIOUS 1020u

#define BM_IDLE_NS (1 * OS_NSEC_PER_MSEC)

/* GICv3 CPU interface, by encoding (older assemblers lack the names). */
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"

#define sysreg_read(reg) ({ uint64_t v_; \
	__asm__ __volatile__("mrs %0, " reg : "=r"(v_) :: "memory"); v_; })
#define sysreg_write(reg, v) \
	__asm__ __volatile__("msr " reg ", %0" :: "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ __volatile__("isb" ::: "memory")

static bool gic_ready;
static uint32_t evtchn_intid, vtimer_intid;
static struct bm_idle_stats idle_st;

static void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

int bm_gic_init(void)
{
	uintptr_t gicd, sgi;
	uint32_t bits;
	int ret;

	if (bm_dt_err || !bm_dt.has_gicv3 || !bm_dt.has_evtchn_irq || bm_dt.evtchn_irq < 16 ||
	    bm_dt.evtchn_irq > 31)
		return -ENODEV;
	evtchn_intid = bm_dt.evtchn_irq;
	vtimer_intid = bm_dt.has_vtimer_irq ? bm_dt.vtimer_irq : 27;
	if (vtimer_intid < 16 || vtimer_intid > 31)
		return -ENODEV;
	ret = bm_mmu_map(bm_dt.gicd_base, bm_dt.gicd_size, true);
	if (!ret)
		ret = bm_mmu_map(bm_dt.gicr_base, GICR_MAP_SIZE, true);
	if (ret)
		return ret;
	gicd = (uintptr_t)bm_dt.gicd_base;
	sgi = (uintptr_t)bm_dt.gicr_base + GICR_SGI_BASE;	/* vCPU 0's redistributor */

	/* The system-register interface is the only one a GICv3 guest has. */
	sysreg_write(ICC_SRE_EL1, sysreg_read(ICC_SRE_EL1) | 1);
	isb();
	if (!(sysreg_read(ICC_SRE_EL1) & 1))
		return -ENODEV;

	mmio_write32(gicd + GICD_CTLR,
		     mmio_read32(gicd + GICD_CTLR) | GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A);
	bits = 1u << evtchn_intid | 1u << vtimer_intid;
	mmio_write32(sgi + GICR_IGROUPR0, mmio_read32(sgi + GICR_IGROUPR0) | bits);
	/* Priority bytes of the two PPIs (byte accesses). */
	*(volatile uint8_t *)(sgi + GICR_IPRIORITYR + evtchn_intid) = GIC_PRIO;
	*(volatile uint8_t *)(sgi + GICR_IPRIORITYR + vtimer_intid) = GIC_PRIO;
	mmio_write32(sgi + GICR_ISENABLER0, bits);

	sysreg_write(ICC_PMR_EL1, 0xff);
	sysreg_write(ICC_BPR1_EL1, 0);
	sysreg_write(ICC_CTLR_EL1, 0);	/* EOI both drops priority and deactivates */
	sysreg_write(ICC_IGRPEN1_EL1, 1);
	isb();
	gic_ready = true;
	return 0;
}

bool bm_gic_idle(void)
{
	uint64_t freq, now, iar;

	if (!gic_ready)
		return false;
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(now) :: "memory");
	if (!freq)
		freq = bm_dt.timer_freq ? bm_dt.timer_freq : 62500000;
	/* The timer's comparator is set before it is enabled, both before WFI. */
	__asm__ __volatile__("msr cntv_cval_el0, %0\n\tisb"
			     :: "r"(now + freq * BM_IDLE_NS / OS_NSEC_PER_SEC) : "memory");
	__asm__ __volatile__("msr cntv_ctl_el0, %0\n\tisb" :: "r"((uint64_t)1) : "memory");
	__asm__ __volatile__("dsb sy\n\twfi" ::: "memory");
	idle_st.naps++;
	for (unsigned i = 0; i < 8; i++) {
		uint32_t intid;

		iar = sysreg_read(ICC_IAR1_EL1);
		intid = (uint32_t)(iar & 0xffffff);
		if (intid >= GIC_SPURIOUS)
			break;
		if (intid == vtimer_intid) {
			/* Level-sensitive: silence the timer before ending it. */
			__asm__ __volatile__("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
			idle_st.timer_wakes++;
		} else if (intid == evtchn_intid) {
			idle_st.evtchn_wakes++;
		} else {
			idle_st.other_wakes++;
		}
		sysreg_write(ICC_EOIR1_EL1, iar);
		isb();
	}
	__asm__ __volatile__("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
	return true;
}

void bm_gic_stats(struct bm_idle_stats *st)
{
	*st = idle_st;
}
