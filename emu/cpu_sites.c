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
	/* These pointed into the old table. */
	cpu.last = cpu.cur = NULL;
	memset(cpu.recent, 0, sizeof(cpu.recent));
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
	b = cpu.recent[addr % BLOCK_RECENT];
	if (b != NULL && b->b_addr == addr && b->b_size == size)
		return (b);
	if ((cpu.nblocks + 1) * 2 > cpu.capblocks && blocks_grow() != 0)
		return (NULL);
	j = hash64(addr ^ size) & (cpu.capblocks - 1);
	for (;;) {
		b = &cpu.blocks[j];
		if (b->b_size == 0)
			break;
		if (b->b_addr == addr && b->b_size == size) {
			cpu.recent[addr % BLOCK_RECENT] = b;
			return (b);
		}
		j = (j + 1) & (cpu.capblocks - 1);
	}
	b->b_addr = addr;
	b->b_size = size;
	b->b_ninsn = BLOCK_UNSEEN;
	cpu.nblocks++;
	cpu.recent[addr % BLOCK_RECENT] = b;
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
	int		 fresh;
	int		 failed;
	int		 fuse;		/* cyclemodel_insn's carry */
	struct step	*steps;
	uint32_t	 nsteps, capsteps;
	uint32_t	 cycles;
	uint64_t	 rep;		/* REP string first: count mask */
};

/* The mask of a REP string instruction's count register, or 0. */
static uint64_t
rep_string(const cs_insn *insn)
{
	uint8_t p = insn->detail->x86.prefix[0];
	uint8_t as = insn->detail->x86.addr_size;

	if ((p != X86_PREFIX_REP && p != X86_PREFIX_REPNE) ||
	    decode_string_kind(insn->id) == 0)
		return (0);
	return (as == 8 ? UINT64_MAX : as == 4 ? 0xffffffffULL : 0xffffULL);
}

/* Notes where each instruction starts and what the ones before cost. */
static void
scan_insn(void *arg, uint32_t off, const cs_insn *insn)
{
	struct scan *sc = arg;
	struct step *ns;

	if (sc->nsteps + 1 >= sc->capsteps) {
		uint32_t cap = sc->capsteps ? sc->capsteps * 2 : 32;

		if ((ns = realloc(sc->steps, cap * sizeof(*ns))) == NULL) {
			sc->failed = 1;
			return;
		}
		sc->steps = ns;
		sc->capsteps = cap;
	}
	sc->steps[sc->nsteps].st_off = off;
	sc->steps[sc->nsteps].st_cycles = sc->cycles;
	if (sc->nsteps == 0 && insn != NULL)
		sc->rep = rep_string(insn);
	sc->nsteps++;
	/* VMGEXIT's cost is the world switch's. */
	if (insn != NULL)
		sc->cycles += cyclemodel_insn(cpu.cy.cy_model, insn, &sc->fuse);
}

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

/* Notes the guest physical page of linear address va as holding code. */
static void
note_code(const struct paging *pg, uint64_t va)
{
	uint64_t gpa, pfn, n = 0;
	int i;

	if (cpu.code_pages == NULL) {
		for (i = 0; i < cpu.gm.gm_n; i++)
			if ((cpu.gm.gm_r[i].gr_gpa + cpu.gm.gm_r[i].gr_len) >>
			    12 > n)
				n = (cpu.gm.gm_r[i].gr_gpa +
				    cpu.gm.gm_r[i].gr_len) >> 12;
		if ((cpu.code_pages = calloc(n / 8 + 1, 1)) == NULL)
			return;
		cpu.ncode_pages = n;
	}
	if (guestmem_walk(&cpu.gm, pg, va, &gpa, NULL) != 0)
		return;
	pfn = gpa >> 12;
	if (pfn < cpu.ncode_pages)
		cpu.code_pages[pfn / 8] |= 1U << (pfn % 8);
}

int
code_page(uint64_t gpa)
{
	uint64_t pfn = gpa >> 12;

	/* Unknown (no table yet) counts as code: the caller backs off. */
	if (cpu.code_pages == NULL)
		return (1);
	return (pfn < cpu.ncode_pages &&
	    ((cpu.code_pages[pfn / 8] >> (pfn % 8)) & 1));
}

int
sites_scan(struct block *b)
{
	struct scan sc;
	struct paging pg;
	uint64_t gpa;
	uint8_t *code = NULL;
	size_t avail = 0;
	uint64_t addr = b->b_addr;
	int i;

	memset(&sc, 0, sizeof(sc));
	cpu_paging(&pg);
	note_code(&pg, addr);
	note_code(&pg, addr + (b->b_size ? b->b_size - 1 : 0));
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
		b->b_ninsn = 0;
		return (0);
	}
	b->b_ninsn = decode_block_each(&cpu.dec, cpu_code_bits(), code,
	    avail, addr, b->b_size, scan_site, scan_insn, &sc);
	if (!sc.failed && sc.nsteps == b->b_ninsn) {
		/* The end of the block, as a step past its last instruction. */
		sc.steps[sc.nsteps].st_off = b->b_size;
		sc.steps[sc.nsteps].st_cycles = sc.cycles;
		free(b->b_steps);
		b->b_steps = sc.steps;
		b->b_cycles = sc.cycles;
		b->b_rep = b->b_ninsn == 1 ? sc.rep : 0;
	} else {
		free(sc.steps);
		if (!sc.failed)
			b->b_ninsn = 0;
		sc.failed = 1;
	}
	if (sc.failed)
		cpu_fail(CPU_SHUTDOWN, "cannot hook the intercept sites of the "
		    "block at 0x%llx", (unsigned long long)addr);
	return (sc.fresh);
}

/* Which instruction of block b starts at rip; -1 if none does. */
int
block_index(const struct block *b, uint64_t rip, uint32_t *idx)
{
	uint64_t off = rip - b->b_addr;
	uint32_t i;

	if (b->b_steps == NULL || rip < b->b_addr || off >= b->b_size)
		return (-1);
	for (i = 0; i < b->b_ninsn; i++)
		if (b->b_steps[i].st_off == off) {
			*idx = i;
			return (0);
		}
	return (-1);
}

void
sites_free(void)
{
	size_t i;

	for (i = 0; i < cpu.capblocks; i++)
		free(cpu.blocks[i].b_steps);
	free(cpu.blocks);
	free(cpu.sites);
	free(cpu.code_pages);
	cpu.code_pages = NULL;
	cpu.ncode_pages = 0;
	cpu.last = cpu.cur = NULL;
	memset(cpu.recent, 0, sizeof(cpu.recent));
	cpu.blocks = NULL;
	cpu.sites = NULL;
	cpu.nblocks = cpu.capblocks = 0;
	cpu.nsites = cpu.capsites = 0;
}
