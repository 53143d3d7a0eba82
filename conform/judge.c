/*
 * judge.c - verdicts: what a step's answer says about the handler, and
 * the evidence that goes with it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conform.h"

void
conf_conforms(struct conf_result *cv)
{
	cv->cv_verdict = CONF_CONFORMS;
	cv->cv_finding[0] = '\0';
}

static void
verdict(struct conf_result *cv, enum conf_verdict v, const char *fmt,
    va_list ap)
{
	cv->cv_verdict = v;
	vsnprintf(cv->cv_finding, sizeof(cv->cv_finding), fmt, ap);
}

void
conf_departs(struct conf_result *cv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict(cv, CONF_DEPARTS, fmt, ap);
	va_end(ap);
}

void
conf_untestable(struct conf_result *cv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict(cv, CONF_UNTESTABLE, fmt, ap);
	va_end(ap);
}

/* The last line the vmm printed, which is what it said about the stop. */
static const char *
last_line(const char *text, char *buf, size_t len)
{
	const char *end = text + strlen(text), *p;

	while (end > text && end[-1] == '\n')
		end--;
	for (p = end; p > text && p[-1] != '\n'; p--)
		;
	snprintf(buf, len, "%.*s", (int)(end - p), p);
	return (buf);
}

void
conf_describe_stop(const struct conf_run *cr, char *buf, size_t len)
{
	char line[300];

	snprintf(buf, len, "the run ended %s at exit %" PRIu64 ": %s%s%s%s",
	    run_stop_name(cr->cr_stop), cr->cr_exits, cr->cr_reason,
	    cr->cr_console[0] ? "; the vmm said \"" : "",
	    last_line(cr->cr_console, line, sizeof(line)),
	    cr->cr_console[0] ? "\"" : "");
}

const uint8_t *
conf_answered(const struct conf_run *cr, int k, int pre,
    struct conf_result *cv)
{
	const struct conf_step *s = &cr->cr_step[k];
	uint64_t info1, info2;
	char stop[600];

	if (!s->cs_resumed) {
		conf_describe_stop(cr, stop, sizeof(stop));
		if (pre)
			conf_untestable(cv, "step %d, which only sets up, was "
			    "never answered: %s", k + 1, stop);
		else
			conf_departs(cv, "step %d was never answered: %s",
			    k + 1, stop);
		return (NULL);
	}
	info1 = conf_get(s->cs_back, G_EXITINFO1);
	info2 = conf_get(s->cs_back, G_EXITINFO2);
	if ((info1 & 0xffffffff) != 0) {
		if (pre)
			conf_untestable(cv, "step %d, which only sets up, was "
			    "refused (sw_exitinfo1 0x%" PRIx64 ", sw_exitinfo2 "
			    "0x%" PRIx64 ")", k + 1, info1, info2);
		else
			conf_departs(cv, "step %d refused: sw_exitinfo1 "
			    "0x%" PRIx64 ", sw_exitinfo2 0x%" PRIx64, k + 1,
			    info1, info2);
		return (NULL);
	}
	return (s->cs_back);
}

void
conf_refused(const struct conf_run *cr, int k, uint64_t reason,
    struct conf_result *cv)
{
	const struct conf_step *s = &cr->cr_step[k];
	uint64_t info1, info2;
	char stop[600];

	if (!s->cs_resumed) {
		conf_describe_stop(cr, stop, sizeof(stop));
		conf_departs(cv, "not answered in the GHCB (sw_exitinfo1 2, "
		    "reason %" PRIu64 "): %s", reason, stop);
		return;
	}
	info1 = conf_get(s->cs_back, G_EXITINFO1);
	info2 = conf_get(s->cs_back, G_EXITINFO2);
	if ((info1 & 0xffffffff) == 0) {
		conf_departs(cv, "accepted: sw_exitinfo1 0x%" PRIx64 ", the "
		    "guest runs on as if the request had been served", info1);
		return;
	}
	if ((info1 & 0xffffffff) != 2 || info2 != reason ||
	    !conf_valid(s->cs_back, G_EXITINFO1) ||
	    !conf_valid(s->cs_back, G_EXITINFO2)) {
		conf_departs(cv, "refused with sw_exitinfo1 0x%" PRIx64
		    "%s, sw_exitinfo2 0x%" PRIx64 "%s, not 2 and %" PRIu64,
		    info1, conf_valid(s->cs_back, G_EXITINFO1) ? "" :
		    " (not valid)", info2, conf_valid(s->cs_back,
		    G_EXITINFO2) ? "" : " (not valid)", reason);
		return;
	}
	conf_conforms(cv);
}

void
conf_judge_refused(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	conf_refused(cr, cr->cr_nsteps - 1, rq->rq_arg, cv);
}

void
conf_judge_answered(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	if (conf_answered(cr, cr->cr_nsteps - 1, 0, cv) != NULL)
		conf_conforms(cv);
}

/* The last step refused for a reason fixed by the judge's name. */
void
conf_judge_missing(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	conf_refused(cr, cr->cr_nsteps - 1, GHCB_ERR_MISSING_INPUT, cv);
}

void
conf_judge_event(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	conf_refused(cr, cr->cr_nsteps - 1, GHCB_ERR_INVALID_EVENT, cv);
}

void
conf_judge_scratch(const struct conf_req *rq, const struct conf_run *cr,
    struct conf_result *cv)
{
	(void)rq;
	conf_refused(cr, cr->cr_nsteps - 1, GHCB_ERR_INVALID_SCRATCH, cv);
}
