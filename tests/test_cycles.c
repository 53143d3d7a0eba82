/*
 * The cycle model, the virtual TSC and the exact instruction budget:
 * what a guest that counts its own instructions and times itself sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cyclemodel.h"
#include "cycles.h"
#include "harness.h"

#define M	cyclemodel_milan

static void
run_steps(uint64_t budget)
{
	struct run_opts o = { .ro_budget = budget };
	struct guest_run g;
	uint64_t incs = budget / 3;

	cr_assert_eq(guest_run(&g, "budget_steps", &o), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_BUDGET, "budget %lu: %s",
	    (unsigned long)budget, g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_insns, budget, "budget %lu: %lu "
	    "instructions retired", (unsigned long)budget,
	    (unsigned long)g.gr_result.rr_insns);
	cr_assert_eq(g.gr_result.rr_regs.rbx, incs, "budget %lu: the guest "
	    "counted %lu incs, not %lu", (unsigned long)budget,
	    (unsigned long)g.gr_result.rr_regs.rbx, (unsigned long)incs);
	guest_done(&g);
}

Test(cycles, budget_stops_after_exactly_n_instructions)
{
	static const uint64_t budgets[] = { 1, 2, 3, 4, 5, 6, 7, 100, 1001,
	    30000 };
	size_t i;

	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++)
		run_steps(budgets[i]);
}

/*
 * REP string instructions: each iteration counts, one with a zero
 * count counts once, whether the host or the emulator runs them.
 */
Test(cycles, rep_iterations_count_one_each)
{
	struct guest_run g;
	uint64_t n;

	cr_assert_eq(guest_run(&g, "rep_steps", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(g.gr_result.rr_insns, 15, "%lu instructions",
	    (unsigned long)g.gr_result.rr_insns);
	cr_assert_str_eq((char *)guest_sym(&g, "rep_dst", 8), "abcde**",
	    "%s", (char *)guest_sym(&g, "rep_dst", 8));
	guest_done(&g);
	for (n = 1; n < 15; n++) {
		struct run_opts o = { .ro_budget = n };

		cr_assert_eq(guest_run(&g, "rep_steps", &o), 0, "%s",
		    g.gr_err);
		cr_assert_eq(g.gr_result.rr_stop, RUN_BUDGET, "budget %lu: %s",
		    (unsigned long)n, g.gr_result.rr_reason);
		cr_assert_eq(g.gr_result.rr_insns, n, "budget %lu: %lu "
		    "instructions", (unsigned long)n,
		    (unsigned long)g.gr_result.rr_insns);
		guest_done(&g);
	}
}

/* REP STOS done by the host, or by the emulator from where it stops. */
Test(cycles, rep_stos_has_its_exact_semantics)
{
	struct guest_run g;
	const uint8_t *p;
	const uint64_t *d;
	int i;

	cr_assert_eq(guest_run(&g, "rep_stos", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	d = guest_sym(&g, "stos_down", 32);
	cr_assert_eq(d[0], 0, "stos_down[0] 0x%lx", (unsigned long)d[0]);
	for (i = 1; i < 4; i++)
		cr_assert_eq(d[i], 0x1122334455667788ULL, "stos_down[%d] 0x%lx",
		    i, (unsigned long)d[i]);
	p = guest_sym(&g, "stos_pages", 8192);
	for (i = 4080; i < 4112; i++) {
		uint8_t want = i < 4088 || i >= 4104 ? 0 :
		    i >= 4094 && i < 4102 ? 0x5a : 0xa5;

		cr_assert_eq(p[i], want, "stos_pages[%d] = 0x%02x, not 0x%02x",
		    i, p[i], want);
	}
	cr_assert_eq(guest_u64(&g, "stos_rcx", 0), 0);
	cr_assert_eq(guest_u64(&g, "stos_rdi", 0) & 0xfff, 4102 - 4096,
	    "rdi 0x%lx", (unsigned long)guest_u64(&g, "stos_rdi", 0));
	guest_done(&g);
}

struct tsc_seen {
	uint64_t	loop, exit, rdtsc, first;
};

static void
run_tsc(struct tsc_seen *t)
{
	struct guest_run g;

	cr_assert_eq(guest_run(&g, "tsc_measure", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	t->loop = guest_u64(&g, "loop_cycles", 0);
	t->exit = guest_u64(&g, "exit_cycles", 0);
	t->rdtsc = guest_u64(&g, "rdtsc_cycles", 0);
	t->first = guest_u64(&g, "tsc_first", 0);
	guest_done(&g);
}

Test(cycles, tsc_around_a_loop_counts_the_modelled_cycles)
{
	struct tsc_seen t;
	/* RDMSR, shl, or, mov, then 10,000 times dec + fused jnz. */
	uint64_t want = M.cm_insn[CY_RDMSR_WRMSR] + 3 * M.cm_insn[CY_ALU] +
	    10000 * (M.cm_insn[CY_ALU] + M.cm_insn[CY_FUSED_JCC]);

	run_tsc(&t);
	cr_assert_eq(t.loop, want, "loop: the guest saw %lu cycles, the "
	    "model says %lu", (unsigned long)t.loop, (unsigned long)want);
	cr_assert_eq(t.loop, 10103, "loop: %lu cycles",
	    (unsigned long)t.loop);
}

Test(cycles, tsc_around_an_msr_protocol_exit_counts_a_world_switch)
{
	struct tsc_seen t;
	/*
	 * RDMSR, shl, or, mov, mov, mov, xor, WRMSR of the GHCB MSR,
	 * VMGEXIT (#VMEXIT, the vmm, VMRUN), mov.
	 */
	uint64_t want = 2 * M.cm_insn[CY_RDMSR_WRMSR] +
	    7 * M.cm_insn[CY_ALU] + M.cm_vmexit + M.cm_vmm[CYP_MSRPROTO] +
	    M.cm_vmrun;

	run_tsc(&t);
	cr_assert_eq(t.exit, want, "exit: the guest saw %lu cycles, the "
	    "model says %lu", (unsigned long)t.exit, (unsigned long)want);
	cr_assert_eq(t.exit, 3007, "exit: %lu cycles",
	    (unsigned long)t.exit);
}

Test(cycles, rdtsc_reads_the_same_clock_through_vc_or_natively)
{
	struct tsc_seen t;

	run_tsc(&t);
	if (SEVEMU_VMM_TREE_REAL) {
		/* OpenBSD's vmm lets RDTSC through: rdtsc, shl, or, mov. */
		cr_assert_eq(t.rdtsc, M.cm_insn[CY_RDTSC] +
		    3 * M.cm_insn[CY_ALU], "rdtsc: %lu cycles",
		    (unsigned long)t.rdtsc);
		return;
	}
	/*
	 * Ours intercepts it: from the vmm's read in the first round trip
	 * to its read in the second lie a VMRUN, the rest of the #VC
	 * handler and IRETQ, then a #VC, the handler up to its VMGEXIT, a
	 * #VMEXIT and the vmm.  The guest code is lib/vc.S's.
	 */
	cr_assert_geq(t.rdtsc, M.cm_vmrun + M.cm_vc_delivery + M.cm_vmexit +
	    M.cm_vmm[CYP_GHCB], "rdtsc: %lu cycles", (unsigned long)t.rdtsc);
	cr_assert_eq(t.rdtsc, 4614, "rdtsc: %lu cycles", (unsigned long)t.rdtsc);
}

Test(cycles, the_same_guest_sees_the_same_cycles_every_run)
{
	struct tsc_seen a, b;

	run_tsc(&a);
	run_tsc(&b);
	cr_assert(memcmp(&a, &b, sizeof(a)) == 0, "first run: %lu %lu %lu "
	    "%lu, second: %lu %lu %lu %lu", (unsigned long)a.loop,
	    (unsigned long)a.exit, (unsigned long)a.rdtsc,
	    (unsigned long)a.first, (unsigned long)b.loop,
	    (unsigned long)b.exit, (unsigned long)b.rdtsc,
	    (unsigned long)b.first);
}

static char *
cycles_of(const char *guest)
{
	struct guest_run g;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(guest_run(&g, guest, NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_not_null(f = open_memstream(&buf, &len));
	cpu_cycles_report(f);
	fclose(f);
	guest_done(&g);
	return (buf);
}

Test(cycles, breakdown_names_each_exit_reason_and_is_the_same_every_run)
{
	char *a = cycles_of("demo"), *b = cycles_of("demo");
	const char *row;
	unsigned long n, guest, vc, sw, vmm;

	cr_assert_str_eq(a, b, "first run:\n%s\nsecond run:\n%s", a, b);
	cr_assert_not_null(row = strstr(a, "VMGEXIT msr:CPUID"), "%s", a);
	cr_assert_eq(sscanf(row + strlen("VMGEXIT msr:CPUID"),
	    "%lu %lu %lu %lu %lu", &n, &guest, &vc, &sw, &vmm), 5, "%s", a);
	cr_assert_eq(n, 6, "%s", a);
	cr_assert_eq(vc, 0, "%s", a);
	cr_assert_eq(sw, 6 * (M.cm_vmexit + M.cm_vmrun), "%s", a);
	cr_assert_eq(vmm, 6 * M.cm_vmm[CYP_MSRPROTO], "%s", a);
	cr_assert_not_null(strstr(a, "VMGEXIT ghcb:CPUID"), "%s", a);
	cr_assert_not_null(strstr(a, "HLT "), "%s", a);
	free(a);
	free(b);
}

/*
 * The breakdown's buckets, driven by hand with a model of round
 * numbers: guest cycles before a #VC are guest code, from delivery to
 * IRET #VC handling, and both belong to the exit that ends them.
 */
Test(cycles, buckets_follow_the_exit_that_ends_them)
{
	static const struct cycle_model m = {
		.cm_part = "test",
		.cm_vmexit = 1000,
		.cm_vmrun = 900,
		.cm_vc_delivery = 100,
		.cm_vmm = { [CYP_GHCB] = 50, [CYP_HLT] = 7 },
		.cm_vmd = 5000,
	};
	struct cycles cy;
	struct cycles_row *r;

	cycles_reset(&cy, &m);
	cy.cy_now += 10;		/* guest code */
	cycles_vc(&cy);			/* +100 delivery */
	cy.cy_now += 20;		/* the handler, up to its VMGEXIT */
	r = cycles_exit(&cy, 0x403, 0x72, CYP_GHCB);
	cr_assert_eq(r->cr_guest, 10);
	cr_assert_eq(r->cr_vc, 120);
	cr_assert_eq(r->cr_switch, 1000);
	cr_assert_eq(cy.cy_now, 1130);
	cycles_vmd(&cy);
	cycles_resume(&cy);
	cr_assert_eq(r->cr_vmm, 5050);
	cr_assert_eq(r->cr_switch, 1900);
	cr_assert_eq(cy.cy_now, 1130 + 5050 + 900);
	cy.cy_now += 3;			/* the handler's rest */
	cycles_iret(&cy);
	cy.cy_now += 4;			/* guest code again */
	r = cycles_exit(&cy, 0x078, 0, CYP_HLT);
	cr_assert_eq(r->cr_n, 1);
	cr_assert_eq(r->cr_vc, 3);
	cr_assert_eq(r->cr_guest, 4);
	cr_assert_eq(cy.cy_nrows, 2);
}
