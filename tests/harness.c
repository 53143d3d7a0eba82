/*
 * harness.c - the test side of the runner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "conform.h"
#include "harness.h"

const char *
guest_path(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s.elf", SEVEMU_GUEST_DIR, name);
	return (path);
}

int
guest_run(struct guest_run *g, const char *name, const struct run_opts *o)
{
	struct runner_config rc;

	memset(g, 0, sizeof(*g));
	memset(&rc, 0, sizeof(rc));
	rc.rc_image = guest_path(name);
	if (o != NULL) {
		rc.rc_budget = o->ro_budget;
		rc.rc_mem = o->ro_mem;
		rc.rc_entry_protected = o->ro_protected;
		if (o->ro_trace) {
			g->gr_trace_f = open_memstream(&g->gr_trace,
			    &g->gr_trace_len);
			cr_assert_not_null(g->gr_trace_f);
			rc.rc_trace = g->gr_trace_f;
			rc.rc_trace_format = o->ro_trace_format;
		}
	}
	if (runner_open(&g->gr_runner, &rc, g->gr_err, sizeof(g->gr_err)) != 0)
		return (-1);
	g->gr_open = 1;
	runner_run(&g->gr_runner, &g->gr_result);
	if (g->gr_trace_f != NULL)
		fflush(g->gr_trace_f);
	return (0);
}

void *
guest_sym(struct guest_run *g, const char *name, uint64_t len)
{
	void *p = runner_symbol(&g->gr_runner, name, len);

	cr_assert_not_null(p, "guest symbol %s missing", name);
	return (p);
}

uint64_t
guest_u64(struct guest_run *g, const char *name, int index)
{
	uint64_t v;

	memcpy(&v, (uint8_t *)guest_sym(g, name, (index + 1) * 8) + index * 8,
	    8);
	return (v);
}

uint32_t
guest_u32(struct guest_run *g, const char *name, int index)
{
	uint32_t v;

	memcpy(&v, (uint8_t *)guest_sym(g, name, (index + 1) * 4) + index * 4,
	    4);
	return (v);
}

void
guest_done(struct guest_run *g)
{
	if (g->gr_open)
		runner_close(&g->gr_runner);
	if (g->gr_trace_f != NULL)
		fclose(g->gr_trace_f);
	free(g->gr_trace);
	memset(g, 0, sizeof(*g));
}

void
guest_must_reach(struct guest_run *g, int reached, const char *what)
{
	const struct run_result *rr = &g->gr_result;

	if (reached)
		return;
	if (SEVEMU_VMM_TREE_REAL && rr->rr_stop != RUN_HALTED &&
	    rr->rr_stop != RUN_EXITED)
		cr_skip_test("untestable with %s (%s): %s never reached; the "
		    "run ended %s at exit %llu: %s", shim_vmm_source(),
		    shim_vmm_revision(), what, run_stop_name(rr->rr_stop),
		    (unsigned long long)rr->rr_exits, rr->rr_reason);
	cr_assert_fail("%s never reached; the run ended %s at exit %llu: %s "
	    "(console: %s)", what, run_stop_name(rr->rr_stop),
	    (unsigned long long)rr->rr_exits, rr->rr_reason,
	    rr->rr_console != NULL ? rr->rr_console : "");
}

int
guest_expected_departure(const char *id, int ok, const char *seen)
{
	if (conf_expected(SEVEMU_CONFORM_EXPECT, id) == CONF_CONFORMS)
		return (0);
	cr_assert(!ok, "%s conforms with %s (vmm_machdep.c %s), but conform's "
	    "expectations say it departs: update the expectations", id,
	    shim_vmm_source(), conf_vmm_revision());
	cr_log_info("expected departure %s (conform/expect/): %s", id, seen);
	return (1);
}
