// SPDX-License-Identifier: MIT
/*
 * The platform hooks libvscmi.a leaves to the bare-metal guest
 * (include/vscmi/os.h, xen-frontend/xen_plat.h), on Xen for arm64:
 *
 *   time      the virtual generic timer: CNTVCT_EL0 / CNTFRQ_EL0
 *   pages     a first-fit bitmap allocator over the RAM after the image,
 *             the DTB's pages kept out
 *   poll      evtchn_arm64_poll(): the 2-level pending bitmap of
 *             shared_info, which Xen sets whatever the GIC does
 *   HVM       HVMOP_get_param (xenstore and console pfn and port)
 *   memory    identity map: a gfn is the address >> 12; blocks outside
 *             RAM are mapped on first use (Xen's magic pages)
 *   shared_info and the grant-table region: XENMEM_add_to_physmap
 *             (XENMAPSPACE_shared_info here; the table frames at the
 *             `xen,xen` node's region in gnttab_arm64.c)
 *
 * Events are polled, not taken as interrupts: os_freestanding.c requires
 * upcalls to run from vscmi_plat_poll() (it has no interrupt masking), and
 * every wait of the front-end is already a loop around it. When a poll
 * finds nothing, the vCPU naps in WFI until the event-channel PPI is
 * pending (bm_gic.c). docs/baremetal-guest.md discusses it.
 */
#include "boot/arm64/bm.h"

#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/hvm/hvm_op.h>

#include "xen-frontend/xen_plat.h"

/* ---- time ------------------------------------------------------------------ */

static uint64_t timer_freq;

static uint64_t read_cntvct(void)
{
	uint64_t v;

	/* Not read early, ahead of the code before us. */
	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

uint64_t vscmi_plat_now_ns(void)
{
	uint64_t t = read_cntvct();

	if (!timer_freq) {
		__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(timer_freq));
		if (!timer_freq)
			timer_freq = bm_dt.timer_freq ? bm_dt.timer_freq : 62500000;
	}
	return t / timer_freq * OS_NSEC_PER_SEC + t % timer_freq * OS_NSEC_PER_SEC / timer_freq;
}

/* ---- pages ----------------------------------------------------------------- */

/* At most this much RAM after the image is handed out (32 MiB guests use 30). */
#define BM_MAX_PAGES 16384u

static uintptr_t pages_base;
static size_t pages_total, pages_used, pages_peak;
static uint64_t page_map[BM_MAX_PAGES / 64];	/* bit set: page in use */

static bool page_busy(size_t i)
{
	return page_map[i / 64] >> (i % 64) & 1;
}

static void page_set(size_t i, bool busy)
{
	if (busy)
		page_map[i / 64] |= 1ull << (i % 64);
	else
		page_map[i / 64] &= ~(1ull << (i % 64));
}

void bm_pages_init(void)
{
	uint64_t end;
	uintptr_t dtb_first, dtb_end;

	if (bm_dt_err || !bm_dt.nr_banks)
		return;
	/* The bank holding the image. */
	pages_base = (uintptr_t)_image_end;
	end = pages_base;
	for (unsigned i = 0; i < bm_dt.nr_banks; i++) {
		uint64_t b = bm_dt.bank[i].base, s = bm_dt.bank[i].size;

		if (pages_base >= b && pages_base - b < s)
			end = b + s;
	}
	end = OS_MIN(end, (uint64_t)(1ull << 32));
	pages_total = (size_t)OS_MIN((end - pages_base) / OS_PAGE_SIZE, (uint64_t)BM_MAX_PAGES);
	/* Keep the device tree: Xen put it near the end of RAM. */
	dtb_first = bm_dtb_addr & ~(uintptr_t)(OS_PAGE_SIZE - 1);
	dtb_end = bm_dtb_addr + bm_dtb_size;
	for (uintptr_t p = dtb_first; p < dtb_end; p += OS_PAGE_SIZE)
		if (p >= pages_base && (p - pages_base) / OS_PAGE_SIZE < pages_total)
			page_set((p - pages_base) / OS_PAGE_SIZE, true);
}

void *vscmi_plat_alloc_pages(size_t npages)
{
	size_t run = 0;

	if (!npages || npages > pages_total)
		return NULL;
	for (size_t i = 0; i < pages_total; i++) {
		run = page_busy(i) ? 0 : run + 1;
		if (run == npages) {
			size_t first = i + 1 - npages;
			void *va = (void *)(pages_base + first * OS_PAGE_SIZE);

			for (size_t j = first; j <= i; j++)
				page_set(j, true);
			pages_used += npages;
			pages_peak = OS_MAX(pages_peak, pages_used);
			memset(va, 0, npages * OS_PAGE_SIZE);
			return va;
		}
	}
	return NULL;
}

void vscmi_plat_free_pages(void *va, size_t npages)
{
	uintptr_t p = (uintptr_t)va;
	size_t first;

	if (!va)
		return;
	if (p < pages_base || (p - pages_base) % OS_PAGE_SIZE ||
	    (p - pages_base) / OS_PAGE_SIZE + npages > pages_total) {
		os_err("bm: free of pages %p+%zu outside the allocator", va, npages);
		return;
	}
	first = (p - pages_base) / OS_PAGE_SIZE;
	for (size_t j = first; j < first + npages; j++) {
		if (!page_busy(j)) {
			os_err("bm: page %p freed twice", (void *)(pages_base + j * OS_PAGE_SIZE));
			continue;
		}
		page_set(j, false);
		pages_used--;
	}
}

void bm_pages_stats(size_t *used, size_t *peak, size_t *total)
{
	*used = pages_used;
	*peak = pages_peak;
	*total = pages_total;
}

/* ---- Xen ------------------------------------------------------------------- */

static struct shared_info *shinfo;

int vscmi_plat_hvm_param(unsigned idx, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = idx };
	long rc = vscmi_plat_hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param,
					(unsigned long)&p);

	if (rc)
		return (int)rc;
	*value = p.value;
	return 0;
}

void *vscmi_plat_gfn_to_va(uint64_t gfn)
{
	uint64_t pa = gfn << OS_PAGE_SHIFT;

	if (gfn >> (32 - OS_PAGE_SHIFT))
		return NULL;
	/* RAM and the grant-table region are mapped; Xen's magic pages are not yet. */
	if (bm_mmu_map(pa, OS_PAGE_SIZE, false))
		return NULL;
	return (void *)(uintptr_t)pa;
}

uint64_t vscmi_plat_va_to_gfn(const void *va)
{
	return (uintptr_t)va >> OS_PAGE_SHIFT;
}

struct shared_info *vscmi_plat_shared_info(void)
{
	return shinfo;
}

int vscmi_plat_gnttab_region(uint64_t *first_gfn, unsigned *max_frames)
{
	if (bm_dt_err || !bm_dt.has_xen || bm_dt.gnttab_size < OS_PAGE_SIZE)
		return -ENODEV;
	*first_gfn = bm_dt.gnttab_base >> OS_PAGE_SHIFT;
	*max_frames = (unsigned)OS_MIN(bm_dt.gnttab_size >> OS_PAGE_SHIFT, (uint64_t)UINT32_MAX);
	return 0;
}

void vscmi_plat_poll(void)
{
	/* Xen sets upcall_pending when an unmasked port becomes pending. */
	bool had = !shinfo || OS_READ_ONCE(shinfo->vcpu_info[0].evtchn_upcall_pending);

	evtchn_arm64_poll();
	/* Nothing came: nap until the event PPI (or the timer), then look again. */
	if (!had && bm_gic_idle())
		evtchn_arm64_poll();
}

int bm_xen_init(void)
{
	/* A page of our RAM whose frame Xen replaces with shared_info. */
	void *page = vscmi_plat_alloc_pages(1);
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
	};
	long rc;

	if (!page)
		return -ENOMEM;
	xatp.gpfn = vscmi_plat_va_to_gfn(page);
	rc = vscmi_plat_hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				   (unsigned long)&xatp);
	if (rc)
		return (int)rc;	/* the page stays allocated: Xen may own the frame */
	shinfo = page;
	return 0;
}

void bm_shutdown(unsigned reason)
{
	struct sched_shutdown sd = { .reason = reason };

	for (;;) {
		vscmi_plat_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
				      (unsigned long)&sd);
		__asm__ __volatile__("wfi");
	}
}

/* ---- exceptions ------------------------------------------------------------ */

void bm_exception(unsigned long slot, const uint64_t *regs)
{
	static const char *const kind[4] = { "sync", "irq", "fiq", "serror" };
	static const char *const from[4] = { "el1t", "el1h", "el0-64", "el0-32" };
	uint64_t esr, elr, far, spsr;

	__asm__ __volatile__("mrs %0, esr_el1\n\tmrs %1, elr_el1\n\t"
			     "mrs %2, far_el1\n\tmrs %3, spsr_el1"
			     : "=r"(esr), "=r"(elr), "=r"(far), "=r"(spsr));
	bm_printf("@@ RTOS exception %s from %s: ESR=0x%llx (EC 0x%llx) ELR=0x%llx "
		  "FAR=0x%llx SPSR=0x%llx\n", kind[slot & 3], from[(slot >> 2) & 3],
		  (unsigned long long)esr, (unsigned long long)(esr >> 26),
		  (unsigned long long)elr, (unsigned long long)far,
		  (unsigned long long)spsr);
	for (unsigned i = 0; i < 31; i += 4)
		bm_printf("@@ RTOS   x%-2u %016llx %016llx %016llx %016llx\n", i,
			  (unsigned long long)regs[i], (unsigned long long)regs[i + 1],
			  (unsigned long long)regs[i + 2],
			  (unsigned long long)(i + 3 < 31 ? regs[i + 3] : 0));
	bm_printf("@@ RTOS stopped: SHUTDOWN_crash\n");
	bm_console_flush();
	bm_shutdown(SHUTDOWN_crash);
}
