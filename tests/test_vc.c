/*
 * #VC delivery, devices through the vmd role, and the memory
 * encryption checks: what the guest sees, and how runs end when it
 * cannot be delivered.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "image.h"

Test(vc, no_idt_is_a_shutdown)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "vc_no_idt", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_SHUTDOWN, "%s",
	    g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason, "no IDT entry for vector 29")
	    != NULL, "%s", g.gr_result.rr_reason);
	cr_assert(strstr(g.gr_result.rr_reason, "exit code 0x72, cpuid") !=
	    NULL, "%s", g.gr_result.rr_reason);
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
	cr_assert(strstr(g.gr_trace, "#VC") != NULL, "no #VC line in\n%s",
	    g.gr_trace);
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
	cr_assert_eq(guest_u64(&g, "vc_last_rip", 0),
	    guest_u64(&g, "mmio_rip", 0), "#VC(NPF) saved RIP 0x%lx, the "
	    "access is at 0x%lx", (unsigned long)guest_u64(&g, "vc_last_rip",
	    0), (unsigned long)guest_u64(&g, "mmio_rip", 0));
	guest_done(&g);
}

/*
 * OpenBSD's locore path: 32-bit entry, #VC through a 32-bit gate for
 * CPUID and DR7, SEV_STATUS, page tables with the C-bit, long mode,
 * then #VC through a 64-bit gate and the GHCB.
 */
Test(vc, locore_from_protected_mode_to_long_mode)
{
	struct run_opts o = { .ro_protected = 1, .ro_trace = 1 };
	struct guest_run g;
	char vendor[13];

	cr_assert_eq(guest_run(&g, "locore32", &o), 0, "%s", g.gr_err);
	guest_must_reach(&g, g.gr_result.rr_stop == RUN_HALTED,
	    "locore32's last stage");
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s (stage %lu)",
	    g.gr_result.rr_reason,
	    (unsigned long)guest_u64(&g, "stage", 0));
	cr_assert_eq(g.gr_result.rr_regs.rax, 6);
	cr_assert_eq(guest_u64(&g, "stage", 0), 6);
	memcpy(vendor, guest_sym(&g, "vendor", 12), 12);
	vendor[12] = '\0';
	cr_assert_str_eq(vendor, "AuthenticAMD");
	cr_assert_eq(guest_u32(&g, "sev_status", 0), 3);
	cr_assert_eq(guest_u32(&g, "sev_ebx", 0) & 0x3f, 51);
	cr_assert_eq(guest_u32(&g, "sev_ebx64", 0) & 0x3f, 51);
	cr_assert_eq(guest_u64(&g, "cbit_mask", 0), 1ULL << 51);
	cr_assert_geq(guest_u64(&g, "vc32_count", 0), 2);
	cr_assert_str_eq(g.gr_result.rr_serial, "L64\n");
	/* The guest ends in 64-bit mode with its own, C-bit tables. */
	cr_assert(g.gr_result.rr_regs.efer & (1U << 10), "not in long mode");
	/* The vmm saw each write trap on the way. */
	cr_assert(strstr(g.gr_trace, "EFER_WRITE_TRAP") != NULL, "%s",
	    g.gr_trace);
	cr_assert(strstr(g.gr_trace, "CR0_WRITE_TRAP") != NULL, "not in\n%s",
	    g.gr_trace);
	cr_assert(strstr(g.gr_trace, "CR4_WRITE_TRAP") != NULL, "not in\n%s",
	    g.gr_trace);
	cr_assert_eq(g.gr_result.rr_findings, 0, "%s",
	    g.gr_result.rr_finding);
	guest_done(&g);
}

/* A gate with an IST index: the frame lands on the TSS's stack. */
Test(vc, ist_gate_switches_stacks)
{
	struct guest_run g;
	uint64_t top, site, frame[6];

	cr_assert_eq(guest_run(&g, "vc_ist", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_regs.rax, 1);
	cr_assert_eq(guest_u64(&g, "vendor_ebx", 0), 0x68747541);
	cr_assert_eq(image_symbol(&g.gr_runner.r_image, "ist_stack_top", &top),
	    0);
	cr_assert_eq(image_symbol(&g.gr_runner.r_image, "cpuid_site", &site),
	    0);
	memcpy(frame, runner_guest(&g.gr_runner, top - 48, 48), 48);
	cr_assert_eq(frame[0], 0x72, "error code %#lx",
	    (unsigned long)frame[0]);
	/* The CPU saved cpuid_site; the handler moved it past CPUID. */
	cr_assert_eq(frame[1], site + 2, "saved RIP %#lx",
	    (unsigned long)frame[1]);
	cr_assert_eq(frame[2], 0x08, "saved CS");
	guest_done(&g);
}
