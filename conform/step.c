/*
 * step.c - writing the requests of a requirement's run.
 */
#include <string.h>

#include "conform.h"

static struct conf_step *
next_step(struct conf_run *cr)
{
	struct conf_step *s;

	/* The tables never ask for more; a full list repeats the last. */
	if (cr->cr_nsteps == CONF_MAXSTEPS)
		return (&cr->cr_step[CONF_MAXSTEPS - 1]);
	s = &cr->cr_step[cr->cr_nsteps++];
	memset(s, 0, sizeof(*s));
	return (s);
}

struct conf_step *
conf_msr(struct conf_run *cr, uint64_t msr)
{
	struct conf_step *s = next_step(cr);

	s->cs_kind = CONF_KIND_MSR;
	s->cs_msr = msr;
	return (s);
}

void
conf_cpl3(struct conf_run *cr)
{
	next_step(cr)->cs_kind = CONF_KIND_CPL3;
}

struct conf_step *
conf_ghcb(struct conf_run *cr, uint64_t code, uint64_t info1, uint64_t info2)
{
	struct conf_step *s = next_step(cr);
	uint16_t version = 1;
	uint32_t usage = 0;

	s->cs_kind = CONF_KIND_GHCB;
	memcpy(s->cs_send + G_VERSION, &version, 2);
	memcpy(s->cs_send + G_USAGE, &usage, 4);
	conf_set(s, G_EXITCODE, code);
	conf_set(s, G_EXITINFO1, info1);
	conf_set(s, G_EXITINFO2, info2);
	return (s);
}

/* A save-area field without its valid bit. */
void
conf_put(struct conf_step *s, unsigned int off, uint64_t v)
{
	memcpy(s->cs_send + off, &v, off == G_CPL ? 1 : 8);
}

/* A save-area field and its valid bit (bit off / 8). */
void
conf_set(struct conf_step *s, unsigned int off, uint64_t v)
{
	conf_put(s, off, v);
	s->cs_send[G_VALID + off / 64] |= 1U << ((off / 8) % 8);
}

void
conf_unset(struct conf_step *s, unsigned int off)
{
	s->cs_send[G_VALID + off / 64] &= ~(1U << ((off / 8) % 8));
}

uint64_t
conf_get(const uint8_t *page, unsigned int off)
{
	uint64_t v = 0;

	memcpy(&v, page + off, off == G_CPL ? 1 : 8);
	return (v);
}

int
conf_valid(const uint8_t *page, unsigned int off)
{
	return ((page[G_VALID + off / 64] >> ((off / 8) % 8)) & 1);
}

void
conf_race(struct conf_run *cr, unsigned int off, uint64_t v)
{
	unsigned int exit = 0;
	int i;

	if (cr->cr_nrace == GHCB_RACE_MAX)
		return;
	/* Each GHCB page step is one exit with a GHCB, in order. */
	for (i = 0; i < cr->cr_nsteps; i++)
		exit += cr->cr_step[i].cs_kind == CONF_KIND_GHCB;
	cr->cr_race_exit[cr->cr_nrace] = exit;
	cr->cr_race_off[cr->cr_nrace] = off;
	cr->cr_race_value[cr->cr_nrace] = v;
	cr->cr_nrace++;
}
