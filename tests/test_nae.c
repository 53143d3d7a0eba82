/*
 * The GHCB page protocol, one NAE event per test: nae_all executes
 * each instruction natively, its #VC handler turns it into a GHCB
 * request, and each test checks what came back to the guest.  Bit n of
 * nae_errors / nae_vc_mask is event n (guests/README.md).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "seam.h"

static struct guest_run g;

static void
run_nae(void)
{
	cr_assert_eq(guest_run(&g, "nae_all", NULL), 0, "%s", g.gr_err);
}

static void
done(void)
{
	guest_done(&g);
}

/* The guest got past event n: the run halted, or a later event began. */
static void
reached(int n)
{
	uint64_t vcs = guest_u64(&g, "nae_vc_mask", 0);
	char what[64];

	snprintf(what, sizeof(what), "the end of NAE event %d", n);
	guest_must_reach(&g, g.gr_result.rr_stop == RUN_HALTED ||
	    (n < 63 && (vcs >> (n + 1)) != 0), what);
}

/* Event n went through #VC and the GHCB and was answered. */
static void
answered(int n)
{
	uint64_t errors = guest_u64(&g, "nae_errors", 0);
	uint64_t vcs = guest_u64(&g, "nae_vc_mask", 0);

	reached(n);

	cr_assert_eq((errors >> n) & 1, 0, "event %d failed (errors %#lx, "
	    "info %#lx)", n, (unsigned long)errors,
	    (unsigned long)guest_u64(&g, "vc_error_info", 0));
	cr_assert_eq((vcs >> n) & 1, 1, "event %d raised no #VC", n);
}

static uint32_t
host(uint32_t leaf, int reg)
{
	uint32_t r[4];

	seam_cpuid(leaf, 0, r);
	return (r[reg]);
}

TestSuite(nae, .init = run_nae, .fini = done);

Test(nae, all_events_without_findings)
{
	guest_must_reach(&g, g.gr_result.rr_stop == RUN_HALTED,
	    "the guest's HLT after all events");
	cr_assert_eq(g.gr_result.rr_findings, 0, "%s",
	    g.gr_result.rr_finding);
}

Test(nae, cpuid_leaf0_matches_msr_protocol)
{
	int i;

	answered(0);
	for (i = 0; i < 4; i++)
		cr_assert_eq(guest_u32(&g, "cpuid_vc", i),
		    guest_u32(&g, "cpuid_msr", i), "register %d", i);
	cr_assert_eq(guest_u32(&g, "cpuid_vc", 1), host(0, 1));
}

Test(nae, cpuid_leaf1_signature_and_hypervisor_bit)
{
	answered(1);
	cr_assert_eq(guest_u32(&g, "cpuid_vc", 4), host(1, 0));
	cr_assert(guest_u32(&g, "cpuid_vc", 6) & (1U << 31), "bit 31 clear in "
	    "0x%08x", guest_u32(&g, "cpuid_vc", 6));
}

Test(nae, cpuid_extended_leaves_agree)
{
	answered(2);
	answered(3);
	cr_assert_eq(guest_u64(&g, "cpuid_agree", 0), 1);
	cr_assert_eq(guest_u32(&g, "cpuid_vc", 13) & 0x3f, 51);
}

Test(nae, cpuid_leaf_d_takes_xcr0)
{
	answered(4);
	cr_assert(guest_u32(&g, "cpuid_d", 0) & 1, "x87 not in XCR0 mask");
	cr_assert_geq(guest_u32(&g, "cpuid_d", 1), 0x240);
}

Test(nae, sev_status_is_passed_through)
{
	reached(5);
	cr_assert_eq(guest_u64(&g, "sev_status", 0), 3);
	cr_assert_eq((guest_u64(&g, "nae_vc_mask", 0) >> 5) & 1, 0);
}

Test(nae, msr_write_then_read)
{
	answered(6);
	answered(7);
	cr_assert_eq(guest_u64(&g, "pat_read", 0),
	    guest_u64(&g, "pat_written", 0));
}

Test(nae, rdtsc_moves_forward)
{
	answered(8);
	answered(9);
	cr_assert_gt(guest_u64(&g, "tsc1", 0), guest_u64(&g, "tsc0", 0));
}

Test(nae, rdtscp_gives_tsc_aux)
{
	answered(10);
	cr_assert_eq(guest_u64(&g, "tscp_aux", 0), 0);
	cr_assert_neq(guest_u64(&g, "tscp", 0), 0);
}

Test(nae, rdpmc_reads_zero)
{
	answered(11);
	cr_assert_eq(guest_u64(&g, "pmc0", 0), 0);
}

Test(nae, dr7_read_and_write)
{
	answered(12);
	answered(13);
	answered(14);
	cr_assert_eq(guest_u64(&g, "dr7_initial", 0), 0x400);
	cr_assert_eq(guest_u64(&g, "dr7_after", 0), 0x401);
}

Test(nae, vmmcall_has_no_hypercalls)
{
	answered(15);
	cr_assert_eq(guest_u64(&g, "vmmcall_rax", 0), (uint64_t)-1);
}

Test(nae, invd_wbinvd_monitor_mwait)
{
	answered(16);
	answered(17);
	answered(18);
	answered(19);
}

Test(nae, port_out_reaches_vmd)
{
	answered(20);
	answered(21);
	answered(22);
	cr_assert_str_eq(g.gr_result.rr_serial, "OK\nnae_all ok\n");
}

Test(nae, port_in_of_each_size)
{
	answered(23);
	answered(24);
	answered(25);
	answered(26);
	answered(27);
	cr_assert_eq(guest_u64(&g, "com1_lsr", 0), 0x60);
	cr_assert_eq(guest_u64(&g, "in16", 0), 0x112233445566ffffULL);
	cr_assert_eq(guest_u64(&g, "in32", 0), 0xffffffffULL);
}

Test(nae, rep_outsb_through_the_shared_buffer)
{
	answered(28);
	cr_assert_eq(guest_u64(&g, "outsb_rcx", 0), 0);
	cr_assert_eq(guest_u64(&g, "outsb_advance", 0), 11);
}

Test(nae, mmio_read_and_write_reach_vmd)
{
	uint64_t dev;

	reached(30);
	cr_assert_eq((guest_u64(&g, "nae_errors", 0) >> 29) & 3, 0);
	cr_assert_eq(guest_u64(&g, "mmio_status", 0), 0);
	cr_assert_eq(guest_u64(&g, "mmio_write_status", 0), 0);
	cr_assert_eq(guest_u64(&g, "mmio_read_value", 0),
	    0x0706050403020100ULL);
	memcpy(&dev, g.gr_runner.r_mmio, 8);
	cr_assert_eq(dev, 0x5a5a5a5a5a5a5a5aULL);
}

/*
 * The CPU has 6 counters: RDPMC 5 reads 0, RDPMC 6 raises #GP (vector
 * 13, an exception with error code 0: event 0x80000b0d).
 */
Test(nae_bounds, rdpmc_past_the_last_counter_faults)
{
	struct guest_run r;

	cr_assert_eq(guest_run(&r, "rdpmc_bound", NULL), 0, "%s", r.gr_err);
	guest_must_reach(&r, r.gr_result.rr_stop == RUN_HALTED,
	    "the end of rdpmc_bound");
	cr_assert_eq(guest_u64(&r, "last_info1", 0), 0, "RDPMC 5: %#lx",
	    (unsigned long)guest_u64(&r, "last_info1", 0));
	cr_assert_eq(guest_u64(&r, "last_rax", 0), 0);
	cr_assert_eq(guest_u64(&r, "last_rdx", 0), 0);
	cr_assert_eq(guest_u64(&r, "past_info1", 0), 1, "RDPMC 6: %#lx",
	    (unsigned long)guest_u64(&r, "past_info1", 0));
	cr_assert_eq(guest_u64(&r, "past_info2", 0), 0x80000b0dULL,
	    "RDPMC 6 event %#lx", (unsigned long)guest_u64(&r, "past_info2", 0));
	guest_done(&r);
}
