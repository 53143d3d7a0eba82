/*
 * main.c - conform: checks the built handler against every requirement
 * and prints the table; --json for tools, --expect to compare with the
 * verdicts known for the handler's revision (ctest does that).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"
#include "shim.h"

static void
usage(void)
{
	fprintf(stderr, "usage: conform [--json FILE] [--only ID] [--trace] "
	    "[--expect DIR] [--write-expect FILE] [--list]\n"
	    "exit status: 0 all conform (or, with --expect, as expected), "
	    "1 something departs or is untestable (or differs from the "
	    "expectations), 2 the suite could not run\n");
	exit(2);
}

static const struct conf_expect *
expected(const struct conf_expect *ce, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(ce[i].ce_id, id) == 0)
			return (&ce[i]);
	return (NULL);
}

/* Compares with the expectations; returns the number of differences. */
static int
compare(const struct conf_req *const *rqs, const struct conf_result *cvs,
    size_t n, const struct conf_expect *ce, size_t nce, const char *file)
{
	const struct conf_expect *e;
	enum conf_verdict want;
	int bad = 0, listed = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		e = expected(ce, nce, rqs[i]->rq_id);
		want = e != NULL ? e->ce_verdict : CONF_CONFORMS;
		if (cvs[i].cv_verdict == want) {
			if (want != CONF_CONFORMS) {
				if (listed++ == 0)
					printf("\nexpected for this revision "
					    "(%s):\n", file);
				printf("  %-32s %s\n", rqs[i]->rq_id,
				    conf_verdict_name(want));
			}
			continue;
		}
		bad++;
		if (want == CONF_CONFORMS)
			printf("FAIL %s: new %s: %s\n", rqs[i]->rq_id,
			    conf_verdict_name(cvs[i].cv_verdict),
			    cvs[i].cv_finding);
		else
			printf("FAIL %s: expected %s, measured %s: update the "
			    "expectations (%s)\n", rqs[i]->rq_id,
			    conf_verdict_name(want),
			    conf_verdict_name(cvs[i].cv_verdict), file);
	}
	return (bad);
}

static int
write_expect(const char *path, const struct conf_req *const *rqs,
    const struct conf_result *cvs, size_t n)
{
	FILE *f;
	size_t i;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	fprintf(f, "# Verdicts measured by scripts/conform for vmm_machdep.c "
	    "%s.\n# Requirements not listed conform.\n", conf_vmm_revision());
	for (i = 0; i < n; i++)
		if (cvs[i].cv_verdict != CONF_CONFORMS)
			fprintf(f, "%s %s\n", rqs[i]->rq_id,
			    conf_verdict_name(cvs[i].cv_verdict));
	return (fclose(f) == 0 ? 0 : -1);
}

/* Writes what was asked for; returns the exit status. */
static int
report(const struct conf_req *const *rqs, const struct conf_result *cvs,
    size_t n, size_t nconform, int ran, const char *json, const char *wexp,
    const char *expdir, const char *handler, const char *file,
    const struct conf_expect *ce, size_t nce)
{
	int bad;

	if (json != NULL && conf_write_json(json, rqs, cvs, n, handler) != 0) {
		fprintf(stderr, "conform: cannot write %s: %s\n", json,
		    strerror(errno));
		return (2);
	}
	if (wexp != NULL && write_expect(wexp, rqs, cvs, n) != 0) {
		fprintf(stderr, "conform: cannot write %s: %s\n", wexp,
		    strerror(errno));
		return (2);
	}
	if (ran == 0) {
		fprintf(stderr, "conform: no guest could run: %s\n",
		    cvs[0].cv_finding);
		return (2);
	}
	if (expdir != NULL) {
		bad = compare(rqs, cvs, n, ce, nce, file);
		printf("%s: %d difference%s from the expectations\n",
		    bad ? "FAIL" : "ok", bad, bad == 1 ? "" : "s");
		return (bad ? 1 : 0);
	}
	return (nconform == n ? 0 : 1);
}

int
main(int argc, char **argv)
{
	const char *json = NULL, *only = NULL, *expdir = NULL, *wexp = NULL;
	static const struct conf_req *rqs[CONF_MAXREQS];
	static struct conf_result cvs[CONF_MAXREQS];
	const struct conf_req *all;
	struct conf_expect *ce = NULL;
	size_t i, n, nall, nce = 0, count[3] = { 0, 0, 0 };
	char handler[512], file[1024], err[512];
	int trace = 0, list = 0, ran = 0, rc;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && i + 1 < (size_t)argc)
			json = argv[++i];
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < (size_t)argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--expect") == 0 &&
		    i + 1 < (size_t)argc)
			expdir = argv[++i];
		else if (strcmp(argv[i], "--write-expect") == 0 &&
		    i + 1 < (size_t)argc)
			wexp = argv[++i];
		else if (strcmp(argv[i], "--trace") == 0)
			trace = 1;
		else if (strcmp(argv[i], "--list") == 0)
			list = 1;
		else
			usage();
	}

	all = conf_reqs(&nall);
	for (i = n = 0; i < nall; i++)
		if (only == NULL || strcmp(all[i].rq_id, only) == 0)
			rqs[n++] = &all[i];
	if (n == 0) {
		fprintf(stderr, "conform: no requirement %s (--list names "
		    "them)\n", only);
		return (2);
	}
	if (list) {
		for (i = 0; i < n; i++)
			printf("%-32s %-22s %s\n", rqs[i]->rq_id,
			    rqs[i]->rq_section, rqs[i]->rq_text);
		return (0);
	}
	if (SEVEMU_VMM_TREE_REAL)
		snprintf(handler, sizeof(handler), "%s (vmm_machdep.c %s)",
		    shim_vmm_source(), conf_vmm_revision());
	else
		snprintf(handler, sizeof(handler), "vmmcore (sevemu's own)");
	if (expdir != NULL && SEVEMU_VMM_TREE_REAL) {
		conf_expect_path(file, sizeof(file), expdir);
		if (conf_expect_load(file, &ce, &nce, err, sizeof(err)) != 0) {
			fprintf(stderr, "conform: no expectations for %s: %s\n"
			    "conform: measure them with scripts/conform "
			    "--write-expect %s\n", handler, err, file);
			return (2);
		}
	} else
		snprintf(file, sizeof(file), "every requirement conforms");

	printf("GHCB conformance of %s: %zu requirements\n\n", handler, n);
	printf("%-32s %-11s %-22s %s\n", "id", "verdict", "spec",
	    "requirement");
	for (i = 0; i < n; i++) {
		conf_check(rqs[i], &cvs[i], trace ? stdout : NULL);
		if (strncmp(cvs[i].cv_finding, "the guest could not run",
		    23) != 0)
			ran++;
		count[cvs[i].cv_verdict]++;
		conf_print_row(stdout, rqs[i], &cvs[i]);
		fflush(stdout);
	}
	printf("\n%zu conform, %zu depart, %zu untestable\n",
	    count[CONF_CONFORMS], count[CONF_DEPARTS], count[CONF_UNTESTABLE]);

	rc = report(rqs, cvs, n, count[CONF_CONFORMS], ran, json, wexp,
	    expdir, handler, file, ce, nce);
	free(ce);
	return (rc);
}
