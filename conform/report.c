/*
 * report.c - the table for people and the JSON for tools.
 */
#include <stdio.h>
#include <string.h>

#include "conform.h"
#include "shim.h"

const char *
conf_verdict_name(enum conf_verdict v)
{
	switch (v) {
	case CONF_CONFORMS:
		return ("conforms");
	case CONF_DEPARTS:
		return ("departs");
	default:
		return ("untestable");
	}
}

/* The one line that shows the requirement's run again, with its trace. */
static void
reproduce(char *buf, size_t len, const char *id)
{
	if (SEVEMU_VMM_TREE_REAL)
		snprintf(buf, len, "VMM_TREE=%s scripts/conform --only %s "
		    "--trace", shim_vmm_source(), id);
	else
		snprintf(buf, len, "scripts/conform --only %s --trace", id);
}

void
conf_print_row(FILE *f, const struct conf_req *rq,
    const struct conf_result *cv)
{
	char cmd[512];

	fprintf(f, "%-32s %-11s %-22s %s\n", rq->rq_id,
	    conf_verdict_name(cv->cv_verdict), rq->rq_section, rq->rq_text);
	if (cv->cv_verdict == CONF_CONFORMS)
		return;
	reproduce(cmd, sizeof(cmd), rq->rq_id);
	fprintf(f, "    finding:   %s\n    evidence:  %s\n    reproduce: "
	    "%s\n", cv->cv_finding, cv->cv_evidence, cmd);
}

static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int
conf_write_json(const char *path, const struct conf_req *const *rqs,
    const struct conf_result *cvs, size_t n, const char *handler)
{
	char cmd[512];
	FILE *f;
	size_t i;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	fputs("[\n", f);
	for (i = 0; i < n; i++) {
		reproduce(cmd, sizeof(cmd), rqs[i]->rq_id);
		fputs("  {\"id\": ", f);
		json_string(f, rqs[i]->rq_id);
		fputs(", \"section\": ", f);
		json_string(f, rqs[i]->rq_section);
		fputs(", \"requirement\": ", f);
		json_string(f, rqs[i]->rq_text);
		fputs(", \"verdict\": ", f);
		json_string(f, conf_verdict_name(cvs[i].cv_verdict));
		fputs(", \"finding\": ", f);
		json_string(f, cvs[i].cv_finding);
		fputs(", \"evidence\": ", f);
		json_string(f, cvs[i].cv_evidence);
		fputs(", \"reproduce\": ", f);
		json_string(f, cmd);
		fputs(", \"handler\": ", f);
		json_string(f, handler);
		fprintf(f, "}%s\n", i + 1 < n ? "," : "");
	}
	fputs("]\n", f);
	return (fclose(f) == 0 ? 0 : -1);
}
