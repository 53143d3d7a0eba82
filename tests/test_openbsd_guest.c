/*
 * OpenBSD's own SEV-ES guest code, built from a tree (GUEST_TREE, by
 * default VMM_TREE), run through whichever handler this build has:
 * locore0.S from its 32-bit entry to init_x86_64 (stage 1), then the
 * kernel's vctrap() and ghcb.c serving CPUID, MSRs and port I/O
 * (stage 2).  Each test asserts the state a kernel must have there,
 * from the architecture, the CPU model and the tree's own constants
 * (which the glue exports); nothing derived from OpenBSD's code is
 * stored here.
 */
#include <inttypes.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "image.h"
#include "openbsd_guest_missing.h"
#include "seam.h"

#define OBSD_MEM	(64ULL << 20)
#define CR0_ET		(1ULL << 4)
#define EFER_SCE	(1ULL << 0)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_NXE	(1ULL << 11)
#define PTE_NX		(1ULL << 63)
#define SEV_STATUS_SEV	0x1
#define SEV_STATUS_ES	0x2

static void
need_images(void)
{
	if (SEVEMU_OPENBSD_GUEST_MISSING[0] != '\0')
		cr_skip_test("%s", SEVEMU_OPENBSD_GUEST_MISSING);
}

static void
run_stage(struct guest_run *g, const char *name)
{
	struct run_opts o = { .ro_protected = 1, .ro_mem = OBSD_MEM };

	need_images();
	cr_assert_eq(guest_run(g, name, &o), 0, "%s", g->gr_err);
}

static uint64_t
guest_pa_u64(struct guest_run *g, uint64_t pa)
{
	uint64_t v;
	void *p = runner_guest(&g->gr_runner, pa, 8);

	cr_assert_not_null(p, "guest physical address 0x%" PRIx64
	    " outside RAM", pa);
	memcpy(&v, p, 8);
	return (v);
}

/*
 * The leaf entry mapping va in the 4-level tables at cr3, and the page
 * size it maps; fails the test where nothing maps it.
 */
static uint64_t
leaf_pte(struct guest_run *g, uint64_t cr3, uint64_t frame, uint64_t va,
    uint64_t *size)
{
	uint64_t table = cr3 & frame, e = 0;
	uint64_t ps = guest_u64(g, "sevemu_pg_ps", 0);
	int level, shift;

	for (level = 4; level >= 1; level--) {
		shift = 12 + 9 * (level - 1);
		e = guest_pa_u64(g, table + ((va >> shift) & 0x1ff) * 8);
		cr_assert(e & 1, "va 0x%" PRIx64 ": level %d entry 0x%" PRIx64
		    " not present", va, level, e);
		if (level == 1 || (level <= 3 && (e & ps))) {
			*size = 1ULL << shift;
			return (e);
		}
		table = e & frame;
	}
	return (e);
}

static void
sev_cpuid(uint32_t *cbit, uint32_t *reduction)
{
	uint32_t r[4];

	seam_cpuid(0x8000001f, 0, r);
	*cbit = r[1] & 0x3f;
	*reduction = (r[1] >> 6) & 0x3f;
}

Test(openbsd_guest, locore0_reaches_init_x86_64_in_long_mode)
{
	struct guest_run g;
	struct cpu_regs *r = &g.gr_result.rr_regs;
	uint64_t start, efer;

	run_stage(&g, "openbsd_locore0");
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s: %s",
	    run_stop_name(g.gr_result.rr_stop), g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_findings, 0, "%s",
	    g.gr_result.rr_finding);
	cr_assert_eq(image_symbol(&g.gr_runner.r_image, "init_x86_64",
	    &start), 0);
	cr_assert(r->rip >= start && r->rip < start + 64, "halted at rip "
	    "0x%" PRIx64 ", not in init_x86_64 at 0x%" PRIx64, r->rip, start);
	cr_assert_eq(r->cr0, 0x1 | CR0_ET | 0x20 |
	    guest_u64(&g, "sevemu_cr0_default", 0), "cr0 0x%" PRIx64, r->cr0);
	cr_assert_eq(r->cr4, guest_u64(&g, "sevemu_cr4_default", 0),
	    "cr4 0x%" PRIx64, r->cr4);
	efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	cr_assert_eq(r->efer, efer, "efer 0x%" PRIx64 ", want 0x%" PRIx64,
	    r->efer, efer);
	guest_done(&g);
}

Test(openbsd_guest, locore0_detects_sev_es_and_the_c_bit)
{
	struct guest_run g;
	uint32_t cbit, reduction;
	uint64_t keep, frame, lgframe;

	run_stage(&g, "openbsd_locore0");
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	sev_cpuid(&cbit, &reduction);
	cr_assert_eq(guest_u32(&g, "cpu_sev_guestmode", 0),
	    SEV_STATUS_SEV | SEV_STATUS_ES, "cpu_sev_guestmode 0x%x",
	    guest_u32(&g, "cpu_sev_guestmode", 0));
	cr_assert_eq(guest_u64(&g, "pg_crypt", 0), 1ULL << cbit,
	    "pg_crypt 0x%" PRIx64 ", C-bit %u", guest_u64(&g, "pg_crypt", 0),
	    cbit);
	/* The frame masks lose the top `reduction' bits below bit 52. */
	keep = (((1ULL << 20) >> reduction) - 1) << 32 | 0xffffffffULL;
	frame = guest_u64(&g, "sevemu_pg_frame_initial", 0) & keep;
	lgframe = guest_u64(&g, "sevemu_pg_lgframe_initial", 0) & keep;
	cr_assert_eq(guest_u64(&g, "pg_frame", 0), frame, "pg_frame 0x%"
	    PRIx64 ", want 0x%" PRIx64, guest_u64(&g, "pg_frame", 0), frame);
	cr_assert_eq(guest_u64(&g, "pg_lgframe", 0), lgframe, "pg_lgframe 0x%"
	    PRIx64 ", want 0x%" PRIx64, guest_u64(&g, "pg_lgframe", 0),
	    lgframe);
	cr_assert_eq(guest_u64(&g, "pg_nx", 0), PTE_NX);
	/* The vendor, from CPUID leaf 0 over the MSR protocol. */
	cr_assert_str_eq((char *)guest_sym(&g, "cpu_vendor", 16),
	    "AuthenticAMD");
	guest_done(&g);
}

Test(openbsd_guest, locore0_page_tables_carry_the_c_bit)
{
	struct guest_run g;
	uint64_t cr3, frame, crypt, pml4, rw, v, e, slot, want;

	run_stage(&g, "openbsd_locore0");
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr3 = g.gr_result.rr_regs.cr3;
	frame = guest_u64(&g, "pg_frame", 0);
	crypt = guest_u64(&g, "pg_crypt", 0);
	v = guest_u64(&g, "sevemu_pg_v", 0);
	rw = guest_u64(&g, "sevemu_pg_rw", 0);
	pml4 = cr3 & frame;
	cr_assert_eq(cr3 & crypt, 0, "cr3 0x%" PRIx64 " has the C-bit", cr3);

	/* The recursive slot maps the PML4 itself, encrypted, NX. */
	slot = guest_u64(&g, "sevemu_pdir_slot_pte", 0);
	e = guest_pa_u64(&g, pml4 + slot * 8);
	want = pml4 | v | rw | PTE_NX | crypt;
	cr_assert_eq(e, want, "PML4[%" PRIu64 "] 0x%" PRIx64 ", want 0x%"
	    PRIx64, slot, e, want);
	/* The identity map of the low slots is gone. */
	cr_assert_eq(guest_pa_u64(&g, pml4), 0, "PML4[0] 0x%" PRIx64,
	    guest_pa_u64(&g, pml4));
	/* The kernel's and the direct map's slots: present, encrypted. */
	slot = guest_u64(&g, "sevemu_l4_slot_kernbase", 0);
	e = guest_pa_u64(&g, pml4 + slot * 8);
	cr_assert_eq(e & (v | rw | crypt), v | rw | crypt, "PML4[%" PRIu64
	    "] 0x%" PRIx64, slot, e);
	slot = guest_u64(&g, "sevemu_pdir_slot_direct", 0) +
	    (*(uint8_t *)guest_sym(&g, "pmap_direct_rand", 1) &
	    guest_u64(&g, "sevemu_direct_map_start_mask", 0));
	e = guest_pa_u64(&g, pml4 + slot * 8);
	cr_assert_eq(e & (v | rw | crypt | PTE_NX), v | rw | crypt | PTE_NX,
	    "PML4[%" PRIu64 "] 0x%" PRIx64, slot, e);
	guest_done(&g);
}

Test(openbsd_guest, locore0_maps_the_ghcb_pages_unencrypted)
{
	struct guest_run g;
	uint64_t cr3, frame, crypt, ghcb, kva, dva, e, size, slot;
	int i;

	run_stage(&g, "openbsd_locore0");
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr3 = g.gr_result.rr_regs.cr3;
	frame = guest_u64(&g, "pg_frame", 0);
	crypt = guest_u64(&g, "pg_crypt", 0);
	/* init_x86_64's argument: the two GHCB pages come first. */
	ghcb = guest_u64(&g, "sevemu_first_avail", 0);
	cr_assert(ghcb != 0 && (ghcb & 0xfff) == 0, "first_avail 0x%" PRIx64,
	    ghcb);
	kva = guest_u64(&g, "sevemu_kernbase", 0) + ghcb;
	for (i = -1; i <= 2; i++) {
		e = leaf_pte(&g, cr3, frame, kva + i * 4096, &size);
		cr_assert_eq(size, 4096);
		cr_assert_eq(e & frame & ~crypt, ghcb + i * 4096, "page %d: "
		    "pte 0x%" PRIx64, i, e);
		cr_assert(e & PTE_NX, "page %d: pte 0x%" PRIx64 " not NX", i,
		    e);
		if (i == 0 || i == 1)
			cr_assert_eq(e & crypt, 0, "GHCB page %d mapped with "
			    "the C-bit: pte 0x%" PRIx64, i, e);
		else
			cr_assert_eq(e & crypt, crypt, "neighbour %d of the "
			    "GHCB mapped without the C-bit: pte 0x%" PRIx64, i,
			    e);
	}
	/* The direct map covers the same pages encrypted, with 2 MiB pages. */
	slot = guest_u64(&g, "sevemu_pdir_slot_direct", 0);
	dva = 0xffff000000000000ULL | (slot << 39);
	e = leaf_pte(&g, cr3, frame, dva + ghcb, &size);
	cr_assert_eq(size, 2ULL << 20);
	cr_assert_eq(e & crypt, crypt, "direct map pte 0x%" PRIx64, e);
	guest_done(&g);
}

Test(openbsd_guest, vctrap_serves_cpuid_msr_and_port_io)
{
	static const char out[] =
	    "OpenBSD vctrap: CPUID, MSR and port I/O through the GHCB\n";
	struct guest_run g;
	uint32_t r[4];
	char seen[200];
	int i;

	run_stage(&g, "openbsd_vctrap");
	cr_assert_eq(g.gr_result.rr_stop, RUN_EXITED, "%s: %s (panic: %s)",
	    run_stop_name(g.gr_result.rr_stop), g.gr_result.rr_reason,
	    g.gr_result.rr_console);
	cr_assert_eq(g.gr_result.rr_verdict, 0);
	cr_assert_eq(g.gr_result.rr_findings, 0, "%s",
	    g.gr_result.rr_finding);
	cr_assert_eq(guest_u64(&g, "sevemu_ghcb_msr", 0),
	    guest_u64(&g, "sevemu_first_avail", 0));
	/*
	 * OpenBSD's guest never writes the GHCB's protocol version: a
	 * finding about the guest, and the handler served it anyway.
	 */
	cr_assert_eq(g.gr_result.rr_guest_findings, 1, "%u guest findings: %s",
	    g.gr_result.rr_guest_findings, g.gr_result.rr_guest_finding);
	cr_assert(strstr(g.gr_result.rr_guest_finding, "protocol version 0") !=
	    NULL, "%s", g.gr_result.rr_guest_finding);
	seam_cpuid(0, 0, r);
	for (i = 0; i < 4; i++)
		cr_assert_eq(guest_u32(&g, "sevemu_cpuid0", i), r[i],
		    "CPUID 0 reg %d: 0x%x, want 0x%x", i,
		    guest_u32(&g, "sevemu_cpuid0", i), r[i]);
	/*
	 * The vmm may hide features of leaf 0x8000001f, but it must give
	 * the same answer both ways, with SEV and SEV-ES (EAX bits 1, 3)
	 * and the part's C-bit position and address reduction (EBX).
	 */
	for (i = 0; i < 4; i++)
		cr_assert_eq(guest_u32(&g, "sevemu_cpuid_sev", i),
		    guest_u32(&g, "sevemu_cpuid_sev_msr", i), "CPUID "
		    "0x8000001f reg %d: 0x%x through the GHCB, 0x%x through "
		    "the MSR protocol", i, guest_u32(&g, "sevemu_cpuid_sev", i),
		    guest_u32(&g, "sevemu_cpuid_sev_msr", i));
	seam_cpuid(0x8000001f, 0, r);
	cr_assert_eq(guest_u32(&g, "sevemu_cpuid_sev", 0) & 0xa, 0xa,
	    "CPUID 0x8000001f EAX 0x%x", guest_u32(&g, "sevemu_cpuid_sev", 0));
	cr_assert_eq(guest_u32(&g, "sevemu_cpuid_sev", 1), r[1],
	    "CPUID 0x8000001f EBX 0x%x, the part's 0x%x",
	    guest_u32(&g, "sevemu_cpuid_sev", 1), r[1]);
	snprintf(seen, sizeof(seen), "PAT read back 0x%" PRIx64 ", wrote 0x%"
	    PRIx64, guest_u64(&g, "sevemu_pat_read", 0),
	    guest_u64(&g, "sevemu_pat_written", 0));
	if (!guest_expected_departure("nae.wrmsr.then_rdmsr",
	    guest_u64(&g, "sevemu_pat_read", 0) ==
	    guest_u64(&g, "sevemu_pat_written", 0), seen))
		cr_assert_eq(guest_u64(&g, "sevemu_pat_read", 0),
		    guest_u64(&g, "sevemu_pat_written", 0), "%s", seen);
	cr_assert_eq(guest_u32(&g, "sevemu_lsr", 0), 0x60, "LSR 0x%x",
	    guest_u32(&g, "sevemu_lsr", 0));
	cr_assert_eq(g.gr_result.rr_serial_len, sizeof(out) - 1);
	cr_assert_str_eq(g.gr_result.rr_serial, out);
	/* CPUID twice, WRMSR, RDMSR, IN, one OUT a byte, the verdict. */
	cr_assert_eq(guest_u32(&g, "sevemu_vc_count", 0),
	    2 + 1 + 1 + 1 + (sizeof(out) - 1) + 1);
	guest_done(&g);
}
