/*
 * #VC delivery, devices through the vmd role, and the memory
 * encryption checks: what the guest sees, and how runs end when it
 * cannot be delivered.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

Test(vc, no_idt_is_a_shutdown)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "vc_no_idt", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_SHUTDOWN, "%s",
	    g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason, "no IDT entry for vector 29")
	    != NULL, "%s", g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason, "exit code 0x72") != NULL,
	    "%s", g.gr_result.rr_reason);
	cr_assert_eq(guest_u64(&g, "reached", 0), 1);
	cr_assert_eq(guest_u64(&g, "after_cpuid", 0), 0);
	guest_done(&g);
}

Test(vc, gate_not_present_is_a_shutdown)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "vc_not_present", NULL), 0, "%s",
	    g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_SHUTDOWN, "%s",
	    g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason, "not present") != NULL, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(guest_u64(&g, "vc_count", 0), 0);
	guest_done(&g);
}

/* COM1 output through #VC, the GHCB and vmd; the verdict port. */
Test(vc, serial_output_and_verdict)
{
	struct run_opts o = { .ro_trace = 1 };
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "serial_hello", &o), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_EXITED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_verdict, 0);
	cr_assert_str_eq(g.gr_result.rr_serial, "hello from the guest\n");
	cr_assert_eq(guest_u64(&g, "chars_sent", 0), 21);
	/* Each character: a #VC for the LSR poll and one for the OUT. */
	cr_assert_geq(guest_u64(&g, "vc_count", 0), 42);
	cr_assert(strstr(g.gr_trace, "#VC") != NULL);
	cr_assert(strstr(g.gr_trace, "0x07b IOIO") != NULL, "%s", g.gr_trace);
	cr_assert(strstr(g.gr_trace, "EAGAIN: vmd serves out to port 0x3f8")
	    != NULL, "%s", g.gr_trace);
	guest_done(&g);
}

/* A GHCB the guest maps with the C-bit: the handler reads ciphertext. */
Test(vc, handler_touching_private_memory_is_reported)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "ghcb_private", NULL), 0, "%s", g.gr_err);
	cr_assert_neq(g.gr_result.rr_stop, RUN_HALTED);
	cr_assert_geq(g.gr_result.rr_findings, 1);
	cr_assert(strstr(g.gr_result.rr_finding, "handler touched private "
	    "guest page GPA") != NULL, "%s", g.gr_result.rr_finding);
	cr_assert_eq(guest_u64(&g, "tables_loaded", 0), 1);
	guest_done(&g);
}

/* A load from outside guest RAM comes back to the guest as #VC(NPF). */
Test(vc, mmio_access_raises_vc_npf)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "mmio_npf", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_TERMINATED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_term_set, 1);
	cr_assert_eq(g.gr_result.rr_term_code, 3);
	cr_assert_eq(guest_u64(&g, "vc_last_code", 0), 0x400);
	cr_assert_eq(guest_u64(&g, "before_mmio", 0), 1);
	cr_assert_eq(guest_u64(&g, "after_mmio", 0), 0);
	guest_done(&g);
}
