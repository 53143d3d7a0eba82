/*
 * cycles.c - the modelled clock and its breakdown by exit reason.
 *
 * Guest cycles between two exits belong to the exit that ends them:
 * they are what the guest did to get there.  Cycles inside a #VC
 * handler (delivery to IRET) are counted apart from the rest.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"

void
cycles_reset(struct cycles *cy, const struct cycle_model *m)
{
	memset(cy, 0, sizeof(*cy));
	cy->cy_model = m;
}

/* Moves the guest cycles since the last transition into their bucket. */
static void
split(struct cycles *cy)
{
	uint64_t d = cy->cy_now - cy->cy_mark;

	if (cy->cy_vc_depth > 0)
		cy->cy_vc += d;
	else
		cy->cy_guest += d;
	cy->cy_mark = cy->cy_now;
}

void
cycles_vc(struct cycles *cy)
{
	split(cy);
	cy->cy_vc_depth++;
	cy->cy_now += cy->cy_model->cm_vc_delivery;
	cy->cy_vc += cy->cy_model->cm_vc_delivery;
	cy->cy_mark = cy->cy_now;
}

void
cycles_iret(struct cycles *cy)
{
	split(cy);
	if (cy->cy_vc_depth > 0)
		cy->cy_vc_depth--;
}

static struct cycles_row *
row_get(struct cycles *cy, uint64_t code, uint64_t sub)
{
	struct cycles_row *r;
	int i;

	for (i = 0; i < cy->cy_nrows; i++)
		if (cy->cy_rows[i].cr_code == code &&
		    cy->cy_rows[i].cr_sub == sub)
			return (&cy->cy_rows[i]);
	if (cy->cy_nrows == CYCLES_ROWS) {
		/* The last row collects whatever does not fit. */
		r = &cy->cy_rows[CYCLES_ROWS - 1];
		snprintf(r->cr_what, sizeof(r->cr_what), "(other reasons)");
		r->cr_code = r->cr_sub = UINT64_MAX;
		return (r);
	}
	r = &cy->cy_rows[cy->cy_nrows++];
	r->cr_code = code;
	r->cr_sub = sub;
	return (r);
}

struct cycles_row *
cycles_exit(struct cycles *cy, uint64_t code, uint64_t sub, enum cy_path p)
{
	struct cycles_row *r;

	split(cy);
	r = row_get(cy, code, sub);
	r->cr_n++;
	r->cr_guest += cy->cy_guest;
	r->cr_vc += cy->cy_vc;
	cy->cy_guest = cy->cy_vc = 0;
	cy->cy_now += cy->cy_model->cm_vmexit;
	r->cr_switch += cy->cy_model->cm_vmexit;
	cy->cy_mark = cy->cy_now;
	cy->cy_open = r;
	cy->cy_open_vmm = cy->cy_model->cm_vmm[p];
	return (r);
}

void
cycles_resume(struct cycles *cy)
{
	const struct cycle_model *m = cy->cy_model;

	if (cy->cy_open != NULL) {
		cy->cy_now += cy->cy_open_vmm + m->cm_vmrun;
		cy->cy_open->cr_vmm += cy->cy_open_vmm;
		cy->cy_open->cr_switch += m->cm_vmrun;
		cy->cy_open = NULL;
	}
	cy->cy_mark = cy->cy_now;
}

void
cycles_vmd(struct cycles *cy)
{
	if (cy->cy_open == NULL)
		return;
	cy->cy_now += cy->cy_model->cm_vmd;
	cy->cy_open->cr_vmm += cy->cy_model->cm_vmd;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct cycles_row *x = a, *y = b;

	if (x->cr_code != y->cr_code)
		return (x->cr_code < y->cr_code ? -1 : 1);
	if (x->cr_sub != y->cr_sub)
		return (x->cr_sub < y->cr_sub ? -1 : 1);
	return (0);
}

void
cycles_report(const struct cycles *cy, FILE *f)
{
	struct cycles_row rows[CYCLES_ROWS], tot;
	int i, n = cy->cy_nrows;

	memcpy(rows, cy->cy_rows, sizeof(rows[0]) * (size_t)n);
	qsort(rows, (size_t)n, sizeof(rows[0]), row_cmp);
	memset(&tot, 0, sizeof(tot));
	fprintf(f, "cycles: %s model, %" PRIu64 " cycles\n",
	    cy->cy_model->cm_part, cy->cy_now);
	fprintf(f, "%-26s %8s %14s %14s %14s %14s\n", "exit reason", "exits",
	    "guest code", "#VC handling", "world switch", "vmm");
	for (i = 0; i <= n; i++) {
		const struct cycles_row *r = i < n ? &rows[i] : &tot;

		if (i < n) {
			tot.cr_n += r->cr_n;
			tot.cr_guest += r->cr_guest;
			tot.cr_vc += r->cr_vc;
			tot.cr_switch += r->cr_switch;
			tot.cr_vmm += r->cr_vmm;
		}
		fprintf(f, "%-26s %8" PRIu64 " %14" PRIu64 " %14" PRIu64
		    " %14" PRIu64 " %14" PRIu64 "\n", i < n ? r->cr_what :
		    "total", r->cr_n, r->cr_guest, r->cr_vc, r->cr_switch,
		    r->cr_vmm);
	}
	/* Guest cycles after the last exit belong to no exit reason. */
	if (cy->cy_now - cy->cy_mark + cy->cy_guest + cy->cy_vc != 0)
		fprintf(f, "%-26s %8s %14" PRIu64 "\n", "after the last exit",
		    "", cy->cy_now - cy->cy_mark + cy->cy_guest + cy->cy_vc);
}
