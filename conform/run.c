/*
 * run.c - one run of guests/conform_steps.S for one requirement: the
 * steps go into the guest before it starts, the answers come out after
 * it stops, whatever stopped it.
 */
#include <stdio.h>
#include <string.h>

#include "conform.h"
#include "console.h"
#include "ghcb_access.h"
#include "image.h"

#define STEP_KIND	0x000
#define STEP_MSR	0x008
#define STEP_PAGE	0x010
#define STEP_RESUMED	0x018
#define STEP_MSR_AFTER	0x020

static void
copy_text(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

int
conf_run(const struct conf_req *rq, struct conf_run *cr, FILE *trace)
{
	struct runner_config rc;
	struct run_result res;
	struct runner r;
	uint8_t *steps;
	uint64_t v;
	char path[1024];
	size_t boot;
	int i;

	memset(cr, 0, sizeof(*cr));
	memset(&rc, 0, sizeof(rc));
	snprintf(path, sizeof(path), "%s/%s.elf", SEVEMU_GUEST_DIR,
	    CONF_GUEST);
	rc.rc_image = path;
	rc.rc_trace = trace;
	/* A few thousand instructions per step; anything more is a hang. */
	rc.rc_budget = 2000000;
	if (runner_open(&r, &rc, cr->cr_err, sizeof(cr->cr_err)) != 0)
		return (-1);
	if (image_symbol(&r.r_image, "conf_ghcb", &cr->cr_ghcb[0]) != 0 ||
	    (steps = runner_symbol(&r, "conf_steps",
	    CONF_MAXSTEPS * CONF_STEP_SIZE)) == NULL) {
		snprintf(cr->cr_err, sizeof(cr->cr_err), "%s.elf lacks "
		    "conf_ghcb or conf_steps", CONF_GUEST);
		runner_close(&r);
		return (-1);
	}
	/* What the vmm prints from here on is about this run's requests. */
	boot = strlen(console_text());
	cr->cr_ghcb[1] = cr->cr_ghcb[0] + 4096;
	cr->cr_mmio = RUNNER_MMIO_BASE;
	rq->rq_setup(rq, cr);

	for (i = 0; i < cr->cr_nsteps; i++) {
		uint8_t *s = steps + (size_t)i * CONF_STEP_SIZE;

		memcpy(s + STEP_KIND, &cr->cr_step[i].cs_kind, 8);
		memcpy(s + STEP_MSR, &cr->cr_step[i].cs_msr, 8);
		memcpy(s + STEP_PAGE, &cr->cr_step[i].cs_page, 8);
		memcpy(s + CONF_STEP_SEND, cr->cr_step[i].cs_send, 4096);
	}
	/* Every answer is also judged by how the handler touched the page. */
	ghcb_access_mode(1);
	for (i = 0; i < (int)cr->cr_nrace; i++)
		ghcb_access_race(cr->cr_race_exit[i], cr->cr_race_off[i],
		    cr->cr_race_value[i]);
	runner_run(&r, &res);
	cr->cr_raced = ghcb_access_raced();
	ghcb_access_mode(0);
	for (i = 0; i < GA_NKINDS; i++) {
		cr->cr_access[i] = ghcb_access_found(i);
		copy_text(cr->cr_access_text[i], sizeof(cr->cr_access_text[i]),
		    ghcb_access_text(i));
	}
	for (i = 0; i < cr->cr_nsteps; i++) {
		uint8_t *s = steps + (size_t)i * CONF_STEP_SIZE;

		memcpy(&v, s + STEP_RESUMED, 8);
		cr->cr_step[i].cs_resumed = v == 1;
		memcpy(&cr->cr_step[i].cs_msr_after, s + STEP_MSR_AFTER, 8);
		memcpy(cr->cr_step[i].cs_back, s + CONF_STEP_BACK, 4096);
	}
	cr->cr_ran = 1;
	cr->cr_stop = res.rr_stop;
	cr->cr_vmm_error = res.rr_vmm_error;
	cr->cr_exits = res.rr_exits;
	cr->cr_term_set = res.rr_term_set;
	cr->cr_term_code = res.rr_term_code;
	cr->cr_findings = res.rr_findings;
	copy_text(cr->cr_finding, sizeof(cr->cr_finding), res.rr_finding);
	copy_text(cr->cr_reason, sizeof(cr->cr_reason), res.rr_reason);
	if (res.rr_console != NULL && strlen(res.rr_console) >= boot)
		copy_text(cr->cr_console, sizeof(cr->cr_console),
		    res.rr_console + boot);
	cr->cr_serial_len = res.rr_serial_len;
	if (res.rr_serial != NULL)
		memcpy(cr->cr_serial, res.rr_serial,
		    res.rr_serial_len < sizeof(cr->cr_serial) - 1 ?
		    res.rr_serial_len : sizeof(cr->cr_serial) - 1);
	memcpy(cr->cr_mmio_dev, r.r_mmio, sizeof(cr->cr_mmio_dev));
	runner_close(&r);
	return (0);
}
