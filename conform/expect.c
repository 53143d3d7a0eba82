/*
 * expect.c - the verdicts a vmm revision is known to give: one
 * "id verdict" line per requirement that does not conform, # comments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"
#include "shim.h"

int
conf_expect_load(const char *path, struct conf_expect **out, size_t *n,
    char *err, size_t errlen)
{
	struct conf_expect *ce = NULL, *p;
	char line[256], id[64], verdict[32];
	size_t cap = 0, lineno = 0;
	FILE *f;

	*out = NULL;
	*n = 0;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %31s", id, verdict) != 2 ||
		    conf_req_find(id) == NULL ||
		    (strcmp(verdict, "departs") != 0 &&
		    strcmp(verdict, "untestable") != 0)) {
			snprintf(err, errlen, "%s:%zu: not \"<requirement id> "
			    "departs|untestable\" with a known id: %s", path,
			    lineno, line);
			goto fail;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			if ((p = realloc(ce, cap * sizeof(*ce))) == NULL) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			ce = p;
		}
		snprintf(ce[*n].ce_id, sizeof(ce[*n].ce_id), "%s", id);
		ce[*n].ce_verdict = strcmp(verdict, "departs") == 0 ?
		    CONF_DEPARTS : CONF_UNTESTABLE;
		(*n)++;
	}
	fclose(f);
	*out = ce;
	return (0);
fail:
	fclose(f);
	free(ce);
	*n = 0;
	return (-1);
}

const char *
conf_vmm_revision(void)
{
	static char rev[32];
	const char *r = shim_vmm_revision(), *p;
	size_t n;

	/* "1.64" out of the tree's "vmm_machdep.c,v 1.64 2025/09/14". */
	if ((p = strstr(r, ",v ")) != NULL)
		r = p + 3;
	n = strcspn(r, " ");
	snprintf(rev, sizeof(rev), "%.*s", (int)n, r);
	return (rev);
}

void
conf_expect_path(char *buf, size_t len, const char *dir)
{
	snprintf(buf, len, "%s/vmm_machdep-%s.expect", dir,
	    conf_vmm_revision());
}

enum conf_verdict
conf_expected(const char *dir, const char *id)
{
	enum conf_verdict v = CONF_CONFORMS;
	struct conf_expect *ce;
	char path[1024], err[512];
	size_t i, n;

	if (!SEVEMU_VMM_TREE_REAL)
		return (CONF_CONFORMS);
	conf_expect_path(path, sizeof(path), dir);
	if (conf_expect_load(path, &ce, &n, err, sizeof(err)) != 0)
		return (CONF_CONFORMS);
	for (i = 0; i < n; i++)
		if (strcmp(ce[i].ce_id, id) == 0)
			v = ce[i].ce_verdict;
	free(ce);
	return (v);
}
