/*
 * repstring.c - REP STOS done by the host, at an intercept site.
 *
 * Unicorn runs each iteration of a REP string instruction as a
 * translated block of its own, with a slow store: clearing a 4 KiB
 * GHCB page, as every #VC handler does, costs more than the rest of
 * the #VC round trip.  Here the iterations are done page by page with
 * memset, with the instruction's exact semantics where they are
 * simple: 64-bit code at CPL0, 64-bit addresses, either direction,
 * pages that are present, writable and in guest RAM.  Anything else (a
 * page that would fault, MMIO, an element across a page boundary, a
 * 67h prefix) is left to the emulator from the iteration reached, and
 * a REP instruction may stop between iterations, so nothing is lost.
 * So is a page that translated code came from: the emulator's own
 * stores see self-modifying code.
 * Each iteration counts as one instruction and one string step of the
 * cycle model, as when the emulator runs it.
 */
#include <string.h>

#include "cpu_internal.h"

#define PTE_P		0x001ULL
#define PTE_RW		0x002ULL
#define PTE_US		0x004ULL
#define PTE_PS		0x080ULL
#define PTE_ADDR	0x000ffffffffff000ULL
#define CR0_WP		(1ULL << 16)
#define CR4_SMAP	(1ULL << 21)
#define RFLAGS_AC	(1ULL << 18)
#define RFLAGS_DF	(1ULL << 10)

/*
 * The host address of a CPL0 write to linear address va in long mode,
 * with the bytes left in its page; NULL if the write would fault or
 * leave guest RAM.
 */
static uint8_t *
writable(uint64_t va, uint64_t *left, uint64_t *gpa)
{
	uint64_t cr0 = cpu_reg(UC_X86_REG_CR0), cr4 = cpu_reg(UC_X86_REG_CR4);
	uint64_t mask = PTE_ADDR & ~cpu.cbit, table = cpu.guest_cr3 & mask;
	uint64_t pte = 0, size = 0;
	const uint8_t *p;
	int level, rw = 1, user = 1;

	for (level = 4; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);

		p = guestmem_ptr(&cpu.gm, table + ((va >> shift) & 0x1ff) * 8,
		    8);
		if (p == NULL)
			return (NULL);
		memcpy(&pte, p, 8);
		if ((pte & PTE_P) == 0)
			return (NULL);
		rw &= (pte & PTE_RW) != 0;
		user &= (pte & PTE_US) != 0;
		if (level == 1 || ((pte & PTE_PS) && level <= 3)) {
			size = 1ULL << shift;
			break;
		}
		table = pte & mask;
	}
	if ((!rw && (cr0 & CR0_WP)) || (user && (cr4 & CR4_SMAP) &&
	    (cpu_reg(UC_X86_REG_RFLAGS) & RFLAGS_AC) == 0))
		return (NULL);
	/* At most to the end of this 4 KiB page, whatever the entry maps. */
	*left = 4096 - (va & 0xfff);
	*gpa = ((pte & mask) & ~(size - 1)) + (va & (size - 1));
	return (guestmem_ptr(&cpu.gm, *gpa, *left));
}

/* Prefixes and operand size of a REP STOS; -1 if not one we do. */
static int
decode(const uint8_t *c, size_t n, unsigned int *esize, size_t *len)
{
	size_t i = 0;
	int rep = 0, rexw = 0, o16 = 0;

	for (; i < n; i++) {
		if (c[i] == 0xf3)
			rep = 1;
		else if (c[i] == 0x66)
			o16 = 1;
		else if (c[i] == 0x2e || c[i] == 0x3e || c[i] == 0x26 ||
		    c[i] == 0x36 || c[i] == 0x64 || c[i] == 0x65)
			continue;	/* STOS writes ES: no override */
		else
			break;
	}
	if (i < n && (c[i] & 0xf0) == 0x40) {
		rexw = (c[i] & 0x08) != 0;
		i++;
	}
	if (!rep || i >= n)
		return (-1);
	if (c[i] == 0xaa)
		*esize = 1;
	else if (c[i] == 0xab)
		*esize = rexw ? 8 : o16 ? 2 : 4;
	else
		return (-1);
	*len = i + 1;
	return (0);
}

/* n elements of esize bytes, each the low bytes of v. */
static void
fill(uint8_t *dst, uint64_t v, unsigned int esize, uint64_t n)
{
	uint64_t k, pat = v;
	uint32_t v32 = (uint32_t)v;
	uint16_t v16 = (uint16_t)v;

	if (esize < 8)
		pat = esize == 1 ? (v & 0xff) * 0x0101010101010101ULL :
		    esize == 2 ? (uint64_t)v16 * 0x0001000100010001ULL :
		    (uint64_t)v32 * 0x0000000100000001ULL;
	if (pat == (pat & 0xff) * 0x0101010101010101ULL) {
		memset(dst, (int)(pat & 0xff), n * esize);
		return;
	}
	for (k = 0; k < n; k++) {
		switch (esize) {
		case 2:
			memcpy(dst + k * 2, &v16, 2);
			break;
		case 4:
			memcpy(dst + k * 4, &v32, 4);
			break;
		default:
			memcpy(dst + k * 8, &v, 8);
			break;
		}
	}
}

int
rep_stos(uint64_t rip)
{
	uint8_t code[16], *dst;
	uint64_t rcx, rdi, rax, left, nbytes, n, cost, gpa;
	unsigned int esize;
	size_t len, got;
	int down;

	/* 64-bit code at CPL0; the rest is the emulator's. */
	if (cpu_code_bits() != 64 || (cpu_reg(UC_X86_REG_CS) & 3) != 0)
		return (0);
	got = cpu_fetch(rip, code);
	if (decode(code, got, &esize, &len) != 0)
		return (0);
	rcx = cpu_reg(UC_X86_REG_RCX);
	rdi = cpu_reg(UC_X86_REG_RDI);
	rax = cpu_reg(UC_X86_REG_RAX);
	down = (cpu_reg(UC_X86_REG_RFLAGS) & RFLAGS_DF) != 0;
	cost = cpu.cy.cy_model->cm_insn[CY_STRING];
	if (rcx == 0) {
		/* No iteration: the instruction still retires, once. */
		cpu.insns++;
		cpu.cy.cy_now += cost;
	}
	while (rcx > 0 && cpu.insns < cpu.budget) {
		/* The elements that fit in rdi's page, in this direction. */
		if ((dst = writable(rdi, &left, &gpa)) == NULL)
			break;
		/*
		 * Code translated from this page would have to be dropped,
		 * through a mapping that may not be executable: leave it
		 * to the emulator, which sees self-modifying code.
		 */
		if (code_page(gpa))
			break;
		if (left < esize)
			break;	/* an element across the page end */
		n = down ? ((rdi & 0xfff) + esize) / esize : left / esize;
		if (n > rcx)
			n = rcx;
		if (n > cpu.budget - cpu.insns)
			n = cpu.budget - cpu.insns;
		nbytes = n * esize;
		if (down)
			dst -= nbytes - esize;
		fill(dst, rax, esize, n);
		rdi = down ? rdi - nbytes : rdi + nbytes;
		rcx -= n;
		cpu.insns += n;
		cpu.cy.cy_now += n * cost;
	}
	cpu_set_reg(UC_X86_REG_RCX, rcx);
	cpu_set_reg(UC_X86_REG_RDI, rdi);
	if (rcx != 0 && cpu.insns >= cpu.budget) {
		/* Stopped between iterations, as an interrupt would. */
		cpu_budget_exhausted(rip);
		return (1);
	}
	if (rcx != 0)
		return (0);	/* the emulator goes on from here */
	cpu.site_cost = 0;
	cpu_redirect(rip + len);
	return (1);
}
