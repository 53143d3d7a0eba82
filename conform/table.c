/*
 * table.c - all requirements in one list, and checking one of them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conform.h"

const struct conf_req *
conf_reqs(size_t *n)
{
	static struct conf_req all[CONF_MAXREQS];
	static size_t nall;

	if (nall == 0) {
		memcpy(all, conf_reqs_msr, conf_nreqs_msr * sizeof(all[0]));
		nall = conf_nreqs_msr;
		memcpy(all + nall, conf_reqs_ghcb,
		    conf_nreqs_ghcb * sizeof(all[0]));
		nall += conf_nreqs_ghcb;
		memcpy(all + nall, conf_reqs_nae,
		    conf_nreqs_nae * sizeof(all[0]));
		nall += conf_nreqs_nae;
		memcpy(all + nall, conf_reqs_access,
		    conf_nreqs_access * sizeof(all[0]));
		nall += conf_nreqs_access;
		memcpy(all + nall, conf_reqs_race,
		    conf_nreqs_race * sizeof(all[0]));
		nall += conf_nreqs_race;
	}
	*n = nall;
	return (all);
}

const struct conf_req *
conf_req_find(const char *id)
{
	const struct conf_req *all;
	size_t i, n;

	all = conf_reqs(&n);
	for (i = 0; i < n; i++)
		if (strcmp(all[i].rq_id, id) == 0)
			return (&all[i]);
	return (NULL);
}

void
conf_check(const struct conf_req *rq, struct conf_result *cv, FILE *trace)
{
	static struct conf_run cr;	/* 100 KiB: not on the stack */
	unsigned int access = 0;
	char stop[600];
	int i, n, answered = 0;

	memset(cv, 0, sizeof(*cv));
	if (conf_run(rq, &cr, trace) != 0) {
		conf_untestable(cv, "the guest could not run: %s", cr.cr_err);
		return;
	}
	rq->rq_judge(rq, &cr, cv);
	/*
	 * The CPU's own checks of every answer count for this one too; the
	 * access log's findings are requirements of their own (access.*).
	 */
	for (i = 0; i < GA_NKINDS; i++)
		access += cr.cr_access[i];
	if (cv->cv_verdict == CONF_CONFORMS && cr.cr_findings > access)
		conf_departs(cv, "spec finding: %s", cr.cr_finding);
	conf_describe_stop(&cr, stop, sizeof(stop));
	for (i = 0; i < cr.cr_nsteps; i++)
		answered += cr.cr_step[i].cs_resumed;
	n = snprintf(cv->cv_evidence, sizeof(cv->cv_evidence),
	    "guest %s, %d step%s, %d answered; %s", CONF_GUEST, cr.cr_nsteps,
	    cr.cr_nsteps == 1 ? "" : "s", answered, stop);
	if (cr.cr_findings != 0 && n > 0 && (size_t)n < sizeof(cv->cv_evidence))
		snprintf(cv->cv_evidence + n, sizeof(cv->cv_evidence) - n,
		    "; %u spec finding%s, first: %s", cr.cr_findings,
		    cr.cr_findings == 1 ? "" : "s", cr.cr_finding);
}
