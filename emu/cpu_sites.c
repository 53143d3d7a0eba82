/*
 * cpu_sites.c - the blocks the CPU has seen and the intercept sites in
 * them, each with its own code hook.
 */
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

static uint64_t
hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (x);
}

static int
blocks_grow(void)
{
	size_t i, cap = cpu.capblocks ? cpu.capblocks * 2 : 1024;
	struct block *nb, *old = cpu.blocks;

	if ((nb = calloc(cap, sizeof(*nb))) == NULL)
		return (-1);
	for (i = 0; i < cpu.capblocks; i++) {
		if (old[i].b_size == 0)
			continue;
		size_t j = hash64(old[i].b_addr ^ old[i].b_size) & (cap - 1);
		while (nb[j].b_size != 0)
			j = (j + 1) & (cap - 1);
		nb[j] = old[i];
	}
	free(old);
	cpu.blocks = nb;
	cpu.capblocks = cap;
	return (0);
}

struct block *
block_lookup(uint64_t addr, uint32_t size)
{
	struct block *b;
	size_t j;

	/* Unicorn reports 0 for a block it could not translate whole. */
	if (size == 0)
		size = 1;
	if ((cpu.nblocks + 1) * 2 > cpu.capblocks && blocks_grow() != 0)
		return (NULL);
	j = hash64(addr ^ size) & (cpu.capblocks - 1);
	for (;;) {
		b = &cpu.blocks[j];
		if (b->b_size == 0)
			break;
		if (b->b_addr == addr && b->b_size == size)
			return (b);
		j = (j + 1) & (cpu.capblocks - 1);
	}
	b->b_addr = addr;
	b->b_size = size;
	b->b_ninsn = BLOCK_UNSEEN;
	cpu.nblocks++;
	return (b);
}

static int
sites_grow(void)
{
	size_t i, cap = cpu.capsites ? cpu.capsites * 2 : 256;
	struct site *ns, *old = cpu.sites;

	if ((ns = calloc(cap, sizeof(*ns))) == NULL)
		return (-1);
	for (i = 0; i < cpu.capsites; i++) {
		if (!old[i].s_used)
			continue;
		size_t j = hash64(old[i].s_addr) & (cap - 1);
		while (ns[j].s_used)
			j = (j + 1) & (cap - 1);
		ns[j] = old[i];
	}
	free(old);
	cpu.sites = ns;
	cpu.capsites = cap;
	return (0);
}

struct site *
site_find(uint64_t addr)
{
	size_t j;

	if (cpu.capsites == 0)
		return (NULL);
	j = hash64(addr) & (cpu.capsites - 1);
	while (cpu.sites[j].s_used) {
		if (cpu.sites[j].s_addr == addr)
			return (&cpu.sites[j]);
		j = (j + 1) & (cpu.capsites - 1);
	}
	return (NULL);
}

/* Returns the site at addr, adding it (and its hook) if it is new. */
static struct site *
site_get(uint64_t addr, int *fresh)
{
	struct site *s;
	uc_hook h;
	size_t j;

	if ((s = site_find(addr)) != NULL)
		return (s);
	if ((cpu.nsites + 1) * 2 > cpu.capsites && sites_grow() != 0)
		return (NULL);
	if (cpu_hook_site(addr, &h) != 0)
		return (NULL);
	j = hash64(addr) & (cpu.capsites - 1);
	while (cpu.sites[j].s_used)
		j = (j + 1) & (cpu.capsites - 1);
	s = &cpu.sites[j];
	memset(s, 0, sizeof(*s));
	s->s_addr = addr;
	s->s_used = 1;
	cpu.nsites++;
	/* Code translated before the hook existed must go. */
	uc_ctl_remove_cache(cpu.uc, addr, addr + 1);
	*fresh = 1;
	return (s);
}

struct scan {
	int	fresh;
	int	failed;
};

static void
scan_site(void *arg, uint64_t addr, uint8_t len, enum site_kind kind)
{
	struct scan *sc = arg;
	struct site *s, *t;

	if ((s = site_get(addr, &sc->fresh)) == NULL) {
		sc->failed = 1;
		return;
	}
	s->s_len = len;
	s->s_kind = kind;
	/* A write trap is reported once the write has retired. */
	if (kind == SITE_CR_WRITE || kind == SITE_WRMSR) {
		if ((t = site_get(addr + len, &sc->fresh)) == NULL) {
			sc->failed = 1;
			return;
		}
		t->s_trap_point = 1;
	}
}

int
sites_scan(uint64_t addr, uint32_t size, uint32_t *ninsn)
{
	struct scan sc = { 0, 0 };
	struct paging pg;
	uint64_t gpa;
	uint8_t *code = NULL;
	size_t avail = 0;
	int i;

	cpu_paging(&pg);
	if (guestmem_walk(&cpu.gm, &pg, addr, &gpa, NULL) == 0) {
		for (i = 0; i < cpu.gm.gm_n; i++) {
			struct guestmem_range *r = &cpu.gm.gm_r[i];

			if (gpa >= r->gr_gpa && gpa - r->gr_gpa < r->gr_len) {
				code = r->gr_host + (gpa - r->gr_gpa);
				avail = r->gr_len - (gpa - r->gr_gpa);
				break;
			}
		}
	}
	if (code == NULL) {
		*ninsn = 0;
		return (0);
	}
	*ninsn = decode_block(&cpu.dec, cpu_code_bits(), code,
	    avail, addr, size, scan_site, &sc);
	if (sc.failed)
		cpu_fail(CPU_SHUTDOWN, "cannot hook the intercept sites of the "
		    "block at 0x%llx", (unsigned long long)addr);
	return (sc.fresh);
}

void
sites_free(void)
{
	free(cpu.blocks);
	free(cpu.sites);
	cpu.blocks = NULL;
	cpu.sites = NULL;
	cpu.nblocks = cpu.capblocks = 0;
	cpu.nsites = cpu.capsites = 0;
}
