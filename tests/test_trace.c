/*
 * The trace: one line per exit, identical on every run.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

static char *
trace_of_opts(const char *guest, int protected)
{
	struct run_opts o = { .ro_trace = 1, .ro_protected = protected };
	struct guest_run g;
	char *t;

	cr_assert_eq(guest_run(&g, guest, &o), 0, "%s", g.gr_err);
	t = strndup(g.gr_trace, g.gr_trace_len);
	guest_done(&g);
	return (t);
}

static char *
trace_of(const char *guest)
{
	return (trace_of_opts(guest, 0));
}

Test(trace, two_runs_give_identical_traces)
{
	char *a = trace_of("cpuid_msr"), *b = trace_of("cpuid_msr");

	cr_assert_gt(strlen(a), 0);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

/* TSC reads, #VC, vmd round trips and MMIO: still the same bytes. */
Test(trace, nae_and_locore_traces_are_identical_too)
{
	char *a = trace_of("nae_all"), *b = trace_of("nae_all");
	char *c = trace_of_opts("locore32", 1), *d = trace_of_opts("locore32", 1);

	cr_assert_gt(strlen(a), 1000);
	cr_assert_str_eq(a, b);
	cr_assert_gt(strlen(c), 500);
	cr_assert_str_eq(c, d);
	free(a);
	free(b);
	free(c);
	free(d);
}

static int
count_lines(const char *t, const char *prefix)
{
	const char *p = t;
	int n = 0;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return (n);
}

Test(trace, one_line_per_exit_with_symbol_and_answer)
{
	char *t = trace_of("cpuid_msr");

	/* 16 CPUID requests and the final HLT. */
	cr_assert_eq(count_lines(t, "exit "), 17, "%s", t);
	cr_assert(strstr(t, "vmgexit") != NULL, "%s", t);
	cr_assert(strstr(t, "VMGEXIT") != NULL, "%s", t);
	/* Leaf 0 EBX "Auth" comes back in bits 63:32 of a 0x005 reply. */
	cr_assert(strstr(t, "-> 0x6874754140000005") != NULL, "%s", t);
	cr_assert(strstr(t, "guest halted") != NULL, "%s", t);
	free(t);
}
