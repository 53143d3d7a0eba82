/*
 * GHCB protocol version 2: the NAE events that no #VC raises (AP reset
 * hold, AP jump table, hypervisor feature support, unsupported event),
 * one per test, and which of them a GHCB that says version 1 may use.
 * ghcb_v2 sends them through a GHCB page and keeps each answer's
 * sw_exitinfo1 and sw_exitinfo2 (guests/ghcb_v2.S).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

#define GHCB_RESP_BAD_INPUT		2
#define GHCB_ERR_INVALID_INPUT		5
#define GHCB_ERR_INVALID_EVENT		6

/* guests/ghcb_v2.S: the GPA it sets as the AP jump table. */
#define JUMP_TABLE_GPA			0xabc000ULL
#define STEPS				7

static struct guest_run g;

static void
run_v2(void)
{
	cr_assert_eq(guest_run(&g, "ghcb_v2", NULL), 0, "%s", g.gr_err);
	guest_must_reach(&g, g.gr_result.rr_stop == RUN_HALTED,
	    "ghcb_v2's last step");
	cr_assert_eq(g.gr_result.rr_regs.rax, STEPS, "steps answered");
	cr_assert_eq(g.gr_result.rr_findings, 0, "%s",
	    g.gr_result.rr_finding);
}

static void
done_v2(void)
{
	guest_done(&g);
}

/* The answer to a step: success, and sw_exitinfo2 as given. */
static void
answered(const char *step, uint64_t info2)
{
	char sym1[64], sym2[64];
	uint64_t v1, v2;

	snprintf(sym1, sizeof(sym1), "%s_info1", step);
	snprintf(sym2, sizeof(sym2), "%s_info2", step);
	v1 = guest_u64(&g, sym1, 0);
	v2 = guest_u64(&g, sym2, 0);
	cr_assert_eq(v1, 0, "%s: sw_exitinfo1 %#lx, sw_exitinfo2 %#lx; "
	    "console: %s", step, (unsigned long)v1, (unsigned long)v2,
	    g.gr_result.rr_console);
	cr_assert_eq(v2, info2, "%s: sw_exitinfo2 %#lx, not %#lx", step,
	    (unsigned long)v2, (unsigned long)info2);
}

/* The answer to a step: refused, with reason. */
static void
refused(const char *step, uint64_t reason, const char *message)
{
	char sym[64];

	snprintf(sym, sizeof(sym), "%s_info1", step);
	cr_assert_eq(guest_u64(&g, sym, 0) & 0xffffffff, GHCB_RESP_BAD_INPUT,
	    "%s: sw_exitinfo1", step);
	snprintf(sym, sizeof(sym), "%s_info2", step);
	cr_assert_eq(guest_u64(&g, sym, 0), reason, "%s: reason", step);
	cr_assert(strstr(g.gr_result.rr_console, message) != NULL,
	    "console: %s", g.gr_result.rr_console);
}

TestSuite(ghcb_v2, .init = run_v2, .fini = done_v2);

/* SEV-ES only: no SNP feature, the bitmap the MSR protocol's 0x080 gives. */
Test(ghcb_v2, hypervisor_feature_support)
{
	struct guest_run m;
	uint64_t msr, nae;

	answered("hv_features", 0);
	/* One machine at a time: this run ends before the next starts. */
	nae = guest_u64(&g, "hv_features_info2", 0);
	guest_done(&g);
	cr_assert_eq(guest_run(&m, "msrproto_all", NULL), 0, "%s", m.gr_err);
	cr_assert_eq(m.gr_result.rr_stop, RUN_HALTED, "%s",
	    m.gr_result.rr_reason);
	msr = guest_u64(&m, "hv_features", 0);
	cr_assert_eq(msr & 0xfff, 0x081);
	cr_assert_eq(msr >> 12, nae, "MSR protocol and NAE event disagree");
	guest_done(&m);
}

Test(ghcb_v2, ap_jump_table_set_then_get)
{
	cr_assert_eq(guest_u64(&g, "jump_table_gpa", 0), JUMP_TABLE_GPA);
	answered("jump_set", 0);
	answered("jump_get", JUMP_TABLE_GPA);
}

/* One vcpu, no SIPI to wait for: released at once. */
Test(ghcb_v2, ap_reset_hold_is_released)
{
	uint64_t v = guest_u64(&g, "reset_hold_info2", 0);

	cr_assert_eq(guest_u64(&g, "reset_hold_info1", 0), 0);
	cr_assert_neq(v, 0, "AP not released");
}

Test(ghcb_v2, ap_jump_table_other_subfunction_is_invalid_input)
{
	refused("jump_bad", GHCB_ERR_INVALID_INPUT,
	    "AP jump table: sw_exitinfo1 0x2 is neither 0 (SET) nor 1 (GET)");
}

/* Version 2 added hypervisor feature support, not the AP events. */
Test(ghcb_v2, version_1_ghcb_has_no_hypervisor_feature_event)
{
	refused("v1_hv_features", GHCB_ERR_INVALID_EVENT,
	    "hypervisor feature support: an event of protocol version 2, "
	    "the GHCB speaks version 1");
}

Test(ghcb_v2, version_1_ghcb_has_the_ap_jump_table)
{
	answered("v1_jump_get", JUMP_TABLE_GPA);
}
