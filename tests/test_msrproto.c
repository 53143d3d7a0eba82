/*
 * The locore path: CPUID through the GHCB MSR protocol, answered by
 * vmm_handle_cpuid from the host CPU model.
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "image.h"
#include "seam.h"
#include "hostcpu.h"

#define LEAVES	4
static const uint32_t leaves[LEAVES] = {
	0x00000000, 0x00000001, 0x80000000, 0x8000001f
};

static uint32_t
host(uint32_t leaf, int reg)
{
	uint32_t r[4];

	seam_cpuid(leaf, 0, r);
	return (r[reg]);
}

Test(msrproto, cpuid_responses_echo_the_register)
{
	struct guest_run g;
	int l, reg;

	cr_assert_eq(guest_run(&g, "cpuid_msr", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_regs.rax, 16);
	for (l = 0; l < LEAVES; l++) {
		for (reg = 0; reg < 4; reg++) {
			uint64_t raw = guest_u64(&g, "cpuid_raw", l * 4 + reg);

			cr_assert_eq(raw & 0xfff, 0x005, "leaf %#x reg %d: "
			    "response %#lx", leaves[l], reg,
			    (unsigned long)raw);
			cr_assert_eq((raw >> 30) & 3, (uint64_t)reg);
			cr_assert_eq(raw & 0x3ffff000ULL, 0,
			    "reserved bits 29:12 set in %#lx",
			    (unsigned long)raw);
			cr_assert_eq(raw >> 32,
			    guest_u32(&g, "cpuid_vals", l * 4 + reg));
		}
	}
	guest_done(&g);
}

Test(msrproto, vendor_and_sev_leaf)
{
	struct guest_run g;
	const char *vendor;

	cr_assert_eq(guest_run(&g, "cpuid_msr", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	vendor = guest_sym(&g, "vendor", 13);
	cr_assert_str_eq(vendor, "AuthenticAMD");
	/* Leaf 0x8000001F: SEV (bit 1) and SEV-ES (bit 3), C-bit 51. */
	cr_assert(guest_u32(&g, "cpuid_vals", 12) & (1U << 1), "bit 1 clear in "
	    "0x%08x", guest_u32(&g, "cpuid_vals", 12));
	cr_assert(guest_u32(&g, "cpuid_vals", 12) & (1U << 3), "bit 3 clear in "
	    "0x%08x", guest_u32(&g, "cpuid_vals", 12));
	if (!SEVEMU_VMM_TREE_REAL)
		cr_assert_eq(guest_u32(&g, "cpuid_vals", 12) & 1, 0,
		    "SME offered to the guest");
	cr_assert_eq(guest_u32(&g, "cpuid_vals", 13) & 0x3f, 51);
	/* Leaf 1: the host's signature, and the hypervisor bit set. */
	cr_assert_eq(guest_u32(&g, "cpuid_vals", 4), host(1, 0));
	cr_assert(guest_u32(&g, "cpuid_vals", 6) & (1U << 31), "bit 31 clear in "
	    "0x%08x", guest_u32(&g, "cpuid_vals", 6));
	/* Leaf 0x80000000 reaches at least 0x8000001F. */
	cr_assert_geq(guest_u32(&g, "cpuid_vals", 8), 0x8000001f);
	guest_done(&g);
}

/*
 * Encrypted state: what the vmm holds of the guest's registers is the
 * poison pattern, not the guest's values (RBX held "Auth" a moment
 * ago), so a handler that used an unsynced register would compute
 * garbage, visibly.
 */
Test(msrproto, vmm_sees_no_unsynced_registers)
{
	struct guest_run g;
	uint64_t rbx, rdx;

	cr_assert_eq(guest_run(&g, "cpuid_msr", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(shim_vcpu_gueststate(g.gr_runner.r_vmid, &rbx, &rdx), 0);
	cr_assert_eq(rbx, 0x5e5e5e5e5e5e5e5eULL, "vg_rbx %#lx",
	    (unsigned long)rbx);
	cr_assert_eq(rdx, 0x5e5e5e5e5e5e5e5eULL);
	cr_assert_neq(g.gr_result.rr_regs.rbx, rbx);
	guest_done(&g);
}

Test(msrproto, model_is_overridable)
{
	static const uint32_t milan_47[4] = { 0x0001000b, 0x0000006f,
	    0x000001fd, 0x00000064 };
	struct guest_run g;

	cr_assert_eq(hostcpu_set_cpuid(0x8000001f, 0, milan_47), 0);
	cr_assert_eq(guest_run(&g, "cpuid_msr", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(guest_u32(&g, "cpuid_vals", 13) & 0x3f, 47);
	guest_done(&g);
	hostcpu_reset();
}

/* The rest of the MSR protocol, one request per test. */
static struct guest_run all;

static void
run_all(void)
{
	cr_assert_eq(guest_run(&all, "msrproto_all", NULL), 0, "%s",
	    all.gr_err);
	guest_must_reach(&all, all.gr_result.rr_stop == RUN_HALTED,
	    "msrproto_all's last request");
	cr_assert_eq(all.gr_result.rr_regs.rax, 5);
	cr_assert_eq(all.gr_result.rr_findings, 0, "%s",
	    all.gr_result.rr_finding);
}

static void
done_all(void)
{
	guest_done(&all);
}

TestSuite(msrproto_more, .init = run_all, .fini = done_all);

Test(msrproto_more, sev_information)
{
	uint64_t v = guest_u64(&all, "sev_info", 0);

	cr_assert_eq(v & 0xfff, 0x001, "%#lx", (unsigned long)v);
	cr_assert_eq(v >> 48, 2, "max protocol");
	cr_assert_eq((v >> 32) & 0xffff, 1, "min protocol");
	cr_assert_eq((v >> 24) & 0xff, 51, "C-bit position");
	cr_assert_eq(v & 0xfff000, 0, "reserved bits 23:12");
}

Test(msrproto_more, preferred_ghcb_gpa)
{
	uint64_t v = guest_u64(&all, "pref_ghcb", 0);

	cr_assert_eq(v & 0xfff, 0x011);
	/* All ones: no preference. */
	cr_assert_eq(v >> 12, 0xfffffffffffffULL);
}

Test(msrproto_more, register_ghcb_gpa)
{
	uint64_t page;

	cr_assert_eq(image_symbol(&all.gr_runner.r_image, "ghcb_page", &page),
	    0);
	cr_assert_eq(guest_u64(&all, "reg_response", 0), page | 0x013);
	cr_assert_eq(guest_u64(&all, "reg_ok", 0), 1);
}

Test(msrproto_more, hypervisor_features)
{
	uint64_t v = guest_u64(&all, "hv_features", 0);

	cr_assert_eq(v & 0xfff, 0x081);
	/* SEV-ES only: no SNP (bit 0) or later features. */
	cr_assert_eq(v >> 12, 0);
}

Test(msrproto_more, ap_reset_hold)
{
	uint64_t v = guest_u64(&all, "ap_hold", 0);

	cr_assert_eq(v & 0xfff, 0x007);
	cr_assert_neq(v >> 12, 0, "AP not released");
}
