/*
 * How runs end when the guest or its image is not well-behaved: each
 * with a reason that names what happened, none with a crash or hang.
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

Test(stops, unknown_msr_protocol_request_is_an_error)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "msr_unsupported", NULL), 0, "%s",
	    g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_ERROR, "%s",
	    g.gr_result.rr_reason);
	/*
	 * EINVAL where vm_run passes the handler's error on; 0 where it
	 * only ends the vCPU (VM_EXIT_TERMINATED), as -current's does.
	 */
	cr_assert(g.gr_result.rr_vmm_error == EINVAL ||
	    g.gr_result.rr_vmm_error == 0, "vmm error %d: %s",
	    g.gr_result.rr_vmm_error, g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason,
	    "MSR-protocol request 0x0ff") != NULL, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(guest_u64(&g, "after", 0), 0, "the guest was resumed");
	guest_done(&g);
}

Test(stops, termination_reports_its_reason)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "terminate", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_TERMINATED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_term_set, 1);
	cr_assert_eq(g.gr_result.rr_term_code, 0x2a);
	cr_assert_eq(guest_u64(&g, "resumed", 0), 0);
	guest_done(&g);
}

Test(stops, budget_stops_a_runaway_guest)
{
	struct run_opts o = { .ro_budget = 100000 };
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "runaway", &o), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_BUDGET, "%s",
	    g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason, "budget of 100000") != NULL,
	    "%s", g.gr_result.rr_reason);
	cr_assert_geq(g.gr_result.rr_insns, 100000);
	cr_assert_lt(g.gr_result.rr_insns, 100000 + 1000);
	guest_done(&g);
}

Test(stops, truncated_image_is_refused)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "truncated", NULL), -1);
	cr_assert(strstr(g.gr_err, "truncated") != NULL, "%s", g.gr_err);
	guest_done(&g);
}

Test(stops, non_elf_image_is_refused)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "notelf", NULL), -1);
	cr_assert(strstr(g.gr_err, "not an ELF file") != NULL, "%s",
	    g.gr_err);
	guest_done(&g);
}

Test(stops, missing_image_is_refused)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "no_such_guest", NULL), -1);
	cr_assert(strstr(g.gr_err, "No such file") != NULL, "%s", g.gr_err);
	guest_done(&g);
}
