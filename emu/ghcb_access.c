/*
 * ghcb_access.c - the GHCB access log.
 *
 * During an exit the GHCB page is PROT_NONE in the direct map, the
 * handler's only way to it.  Each access faults: the fault gives the
 * address and (error code bit 1) whether it writes, Capstone the size
 * from the faulting instruction.  The page is opened and the
 * instruction single-stepped (TF); the trap closes the page again.  At
 * the end of the exit the log is judged against what the guest handed
 * over (a copy of the page taken at the exit).
 */
#include <sys/mman.h>

#include <capstone/capstone.h>
#include <cpuid.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "conformance.h"
#include "cpu_internal.h"
#include "ghcb_access.h"
#include "trace.h"

#define EFLAGS_TF	0x100ULL
#define PF_WRITE	0x2ULL
#define VALID_BITMAP	0x3f0
#define VALID_END	0x400
#define SHARED_BUFFER	0x800
#define SAVE_END	0x3f0
#define EXITINFO1	0x398

static struct {
	int			 on;
	uint8_t			*va;		/* armed: the page */
	uint64_t		 gpa;
	int			 stepping;
	/* The page as the guest handed it over. */
	uint8_t			 before[4096];
	unsigned int		 n;
	struct ghcb_access	 log[GHCB_ACCESS_MAX];
	uint64_t		 last_rip;	/* of the last access */
	int			 trap_installed;
	struct sigaction	 prev_trap;
	csh			 cs;
	int			 cs_open;
	/* The access being single-stepped. */
	unsigned int		 step_off, step_size;
	int			 step_write;
	struct {
		unsigned int	 exit, off;
		uint64_t	 value;
		int		 fired;
	} race[GHCB_RACE_MAX];
	unsigned int		 nrace, raced;
	unsigned int		 exits;		/* armed, this mode */
	unsigned int		 found[GA_NKINDS];
	char			 text[GA_NKINDS][200];
} ga;

void
ghcb_access_mode(int on)
{
	if (on && !ga.on) {
		memset(ga.found, 0, sizeof(ga.found));
		memset(ga.text, 0, sizeof(ga.text));
	}
	ga.nrace = 0;
	ga.raced = 0;
	ga.exits = 0;
	ga.on = on;
}

int
ghcb_access_race(unsigned int exit, unsigned int off, uint64_t value)
{
	if (ga.nrace == GHCB_RACE_MAX || off > 4096 - 8)
		return (-1);
	ga.race[ga.nrace].exit = exit;
	ga.race[ga.nrace].off = off;
	ga.race[ga.nrace].value = value;
	ga.race[ga.nrace].fired = 0;
	ga.nrace++;
	return (0);
}

unsigned int
ghcb_access_raced(void)
{
	return (ga.raced);
}

/* The racing vCPU writes once the handler has read a field. */
static void
race_after(unsigned int off, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < ga.nrace; i++) {
		if (ga.race[i].fired || ga.race[i].exit != ga.exits ||
		    off >= ga.race[i].off + 8 ||
		    off + size <= ga.race[i].off)
			continue;
		memcpy(ga.va + ga.race[i].off, &ga.race[i].value, 8);
		ga.race[i].fired = 1;
		ga.raced++;
	}
}

unsigned int
ghcb_access_found(enum ghcb_access_kind k)
{
	return (k < GA_NKINDS ? ga.found[k] : 0);
}

const char *
ghcb_access_text(enum ghcb_access_kind k)
{
	return (k < GA_NKINDS ? ga.text[k] : "");
}

/* A finding of kind k, the first of its kind in this exit. */
static void
found(enum ghcb_access_kind k, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ga.found[k]++ == 0)
		memcpy(ga.text[k], buf, sizeof(buf));
	conformance_finding("%s", buf);
}

unsigned int
ghcb_access_count(void)
{
	return (ga.n < GHCB_ACCESS_MAX ? ga.n : GHCB_ACCESS_MAX);
}

const struct ghcb_access *
ghcb_access_get(unsigned int i)
{
	return (i < ghcb_access_count() ? &ga.log[i] : NULL);
}

/* ucontext's copy of the GPR Capstone names, or -1. */
static int
greg(unsigned int reg)
{
	static const struct {
		unsigned int	cs;
		int		uc;
	} map[] = {
		{ X86_REG_RAX, REG_RAX }, { X86_REG_RBX, REG_RBX },
		{ X86_REG_RCX, REG_RCX }, { X86_REG_RDX, REG_RDX },
		{ X86_REG_RSI, REG_RSI }, { X86_REG_RDI, REG_RDI },
		{ X86_REG_RBP, REG_RBP }, { X86_REG_RSP, REG_RSP },
		{ X86_REG_R8, REG_R8 }, { X86_REG_R9, REG_R9 },
		{ X86_REG_R10, REG_R10 }, { X86_REG_R11, REG_R11 },
		{ X86_REG_R12, REG_R12 }, { X86_REG_R13, REG_R13 },
		{ X86_REG_R14, REG_R14 }, { X86_REG_R15, REG_R15 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].cs == reg)
			return (map[i].uc);
	return (-1);
}

/*
 * The value of opmask register k (AVX-512) at the fault, from the XSAVE
 * image in the signal frame; all ones if it cannot be found.
 */
static uint64_t
opmask(const ucontext_t *uc, int k)
{
	const uint8_t *xs = (const uint8_t *)uc->uc_mcontext.fpregs;
	unsigned int a, b, c, d;
	uint64_t bv, v;

	if (xs == NULL || k < 0 || k > 7 ||
	    !__get_cpuid_count(0xd, 5, &a, &b, &c, &d) || b == 0)
		return (~0ULL);
	memcpy(&bv, xs + 512, 8);
	if (!(bv & (1ULL << 5)))
		return (0);
	memcpy(&v, xs + b + 8 * k, 8);
	return (v);
}

/* Bytes per element of a masked move, by its mnemonic. */
static unsigned int
element_size(const char *mnemonic)
{
	size_t n = strlen(mnemonic);

	if (strncmp(mnemonic, "vmovdq", 6) == 0) {
		if (n >= 2 && strcmp(mnemonic + n - 2, "64") == 0)
			return (8);
		if (n >= 2 && strcmp(mnemonic + n - 2, "32") == 0)
			return (4);
		if (n >= 2 && strcmp(mnemonic + n - 2, "16") == 0)
			return (2);
		return (1);
	}
	if (n >= 2 && strcmp(mnemonic + n - 2, "ps") == 0)
		return (4);
	if (n >= 2 && strcmp(mnemonic + n - 2, "pd") == 0)
		return (8);
	return (1);
}

/*
 * The bytes [*start, *start + return) of the page that the faulting
 * instruction accesses: its memory operand that holds the fault
 * address, narrowed by an AVX-512 write mask (glibc's small memset and
 * memcpy use those).  The fault address and 1 if it cannot be decoded.
 */
static unsigned int
access_range(const ucontext_t *uc, uint8_t *fault, uint8_t **start)
{
	const greg_t *r = uc->uc_mcontext.gregs;
	const uint8_t *rip = (const uint8_t *)r[REG_RIP];
	uint8_t *lo, *hi;
	const cs_x86_op *op;
	const char *k;
	uint64_t ea, mask;
	unsigned int size = 1, elem;
	cs_insn *insn;
	int i, b, x, bit, first, last;

	*start = fault;
	if (!ga.cs_open || cs_disasm(ga.cs, rip, 16, (uint64_t)(uintptr_t)rip,
	    1, &insn) != 1)
		return (1);
	for (i = 0; i < insn->detail->x86.op_count; i++) {
		op = &insn->detail->x86.operands[i];
		if (op->type != X86_OP_MEM || op->size == 0)
			continue;
		b = op->mem.base == X86_REG_INVALID ? -2 : greg(op->mem.base);
		x = op->mem.index == X86_REG_INVALID ? -2 :
		    greg(op->mem.index);
		if (b == -1 || x == -1)
			continue;
		ea = (uint64_t)op->mem.disp;
		if (b >= 0)
			ea += (uint64_t)r[b];
		if (x >= 0)
			ea += (uint64_t)r[x] * (uint64_t)op->mem.scale;
		lo = (uint8_t *)(uintptr_t)ea;
		hi = lo + op->size;
		if (fault < lo || fault >= hi)
			continue;
		if ((k = strstr(insn->op_str, "{k")) != NULL &&
		    (mask = opmask(uc, k[2] - '0')) != ~0ULL) {
			elem = element_size(insn->mnemonic);
			first = last = -1;
			for (bit = 0; bit < 64 && (unsigned int)bit * elem <
			    op->size; bit++) {
				if (!(mask & (1ULL << bit)))
					continue;
				if (first < 0)
					first = bit;
				last = bit;
			}
			if (first >= 0) {
				hi = lo + (last + 1) * elem;
				lo += first * elem;
			}
		}
		if (lo < ga.va)
			lo = ga.va;
		if (hi > ga.va + 4096)
			hi = ga.va + 4096;
		if (hi > lo) {
			*start = lo;
			size = (unsigned int)(hi - lo);
		}
		break;
	}
	cs_free(insn, 1);
	return (size);
}

static void
on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	if (!ga.stepping) {
		if (ga.prev_trap.sa_flags & SA_SIGINFO &&
		    ga.prev_trap.sa_sigaction != NULL)
			ga.prev_trap.sa_sigaction(sig, si, ucv);
		else if (ga.prev_trap.sa_handler != SIG_DFL &&
		    ga.prev_trap.sa_handler != SIG_IGN &&
		    ga.prev_trap.sa_handler != NULL)
			ga.prev_trap.sa_handler(sig);
		return;
	}
	ga.stepping = 0;
	uc->uc_mcontext.gregs[REG_EFL] &= ~EFLAGS_TF;
	if (ga.va != NULL) {
		if (!ga.step_write)
			race_after(ga.step_off, ga.step_size);
		mprotect(ga.va, 4096, PROT_NONE);
	}
}

int
ghcb_access_fault(const siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *a = si->si_addr, *start;
	struct ghcb_access *e;
	unsigned int size;
	uint64_t rip;
	int write;

	if (ga.va == NULL || a < ga.va || a >= ga.va + 4096)
		return (0);
	size = access_range(uc, a, &start);
	write = (uc->uc_mcontext.gregs[REG_ERR] & PF_WRITE) != 0;
	rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	/*
	 * A REP string instruction faults once per element: the elements
	 * that follow one another are one access.
	 */
	if (ga.n > 0 && ga.n <= GHCB_ACCESS_MAX && rip == ga.last_rip &&
	    (e = &ga.log[ga.n - 1])->ga_write == write &&
	    e->ga_off + e->ga_size == start - ga.va) {
		e->ga_size = (uint16_t)(e->ga_size + size);
	} else {
		if (ga.n < GHCB_ACCESS_MAX) {
			e = &ga.log[ga.n];
			e->ga_off = (uint16_t)(start - ga.va);
			e->ga_size = (uint16_t)size;
			e->ga_write = write;
		}
		ga.n++;
	}
	ga.last_rip = rip;
	ga.step_off = (unsigned int)(start - ga.va);
	ga.step_size = size;
	ga.step_write = write;
	mprotect(ga.va, 4096, PROT_READ | PROT_WRITE);
	ga.stepping = 1;
	uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TF;
	return (1);
}

void
ghcb_access_begin(uint8_t *va, uint64_t gpa)
{
	struct sigaction sa;

	if (ga.va != NULL)
		ghcb_access_end();
	ga.n = 0;
	ga.last_rip = 0;
	if (!ga.on || va == NULL)
		return;
	ga.exits++;
	if (!ga.cs_open && cs_open(CS_ARCH_X86, CS_MODE_64, &ga.cs) ==
	    CS_ERR_OK) {
		cs_option(ga.cs, CS_OPT_DETAIL, CS_OPT_ON);
		ga.cs_open = 1;
	}
	if (!ga.trap_installed) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_trap;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGTRAP, &sa, &ga.prev_trap) != 0)
			return;
		ga.trap_installed = 1;
	}
	memcpy(ga.before, va, sizeof(ga.before));
	if (mprotect(va, 4096, PROT_NONE) != 0)
		return;
	ga.va = va;
	ga.gpa = gpa;
}

static int
was_valid(unsigned int off)
{
	unsigned int bit = off / 8;

	return ((ga.before[VALID_BITMAP + bit / 8] >> (bit % 8)) & 1);
}

static int
answer_valid(unsigned int off)
{
	unsigned int bit = off / 8;

	return ((ga.va[VALID_BITMAP + bit / 8] >> (bit % 8)) & 1);
}

/* The findings of one exit's log, each kind once with its first case. */
static void
judge(void)
{
	unsigned int i, n = ghcb_access_count(), off, end, slot;
	unsigned int first_write = n, reads[4096 / 8];
	int twice = 0, unmarked = 0, outside = 0, beyond = 0, late = 0;
	const struct ghcb_access *e;

	memset(reads, 0, sizeof(reads));
	for (i = 0; i < n; i++) {
		e = &ga.log[i];
		off = e->ga_off;
		end = off + e->ga_size;
		if (e->ga_write) {
			if (first_write == n)
				first_write = i;
			if (!beyond && off < SHARED_BUFFER && end > VALID_END) {
				beyond = 1;
				found(GA_WRITE_PAST_BITMAP, "handler wrote "
				    "GHCB 0x%03x-0x%03x, beyond the 16-byte "
				    "valid bitmap", off, end - 1);
			}
			if (!outside && off < SAVE_END && !answer_valid(off)) {
				outside = 1;
				found(GA_WRITE_NOT_RETURNED, "handler wrote "
				    "GHCB 0x%03x (%u bytes), a field its "
				    "answer does not mark valid", off,
				    e->ga_size);
			}
			continue;
		}
		if (!late && first_write < i) {
			late = 1;
			found(GA_READ_AFTER_ANSWER, "handler read GHCB "
			    "0x%03x after writing its answer (access %u, "
			    "first write %u)", off, i + 1, first_write + 1);
		}
		if (off >= SAVE_END)
			continue;
		for (slot = off / 8; slot * 8 < end && slot * 8 < SAVE_END;
		    slot++) {
			if (++reads[slot] == 2 && !twice) {
				twice = 1;
				found(GA_DOUBLE_FETCH, "double fetch: handler "
				    "read GHCB 0x%03x twice in one exit "
				    "(access %u)", slot * 8, i + 1);
			}
			if (!unmarked && !was_valid(slot * 8)) {
				unmarked = 1;
				found(GA_READ_NOT_VALID, "handler read GHCB "
				    "0x%03x, which the guest did not mark "
				    "valid", slot * 8);
			}
		}
	}
}

void
ghcb_access_end(void)
{
	unsigned int i;

	if (ga.va == NULL)
		return;
	mprotect(ga.va, 4096, PROT_READ | PROT_WRITE);
	ga.stepping = 0;
	/*
	 * What the racing vCPU wrote and the handler left alone goes back,
	 * so that the checks of the answer see only the handler's writes.
	 */
	for (i = 0; i < ga.nrace; i++)
		if (ga.race[i].fired && ga.race[i].exit == ga.exits &&
		    memcmp(ga.va + ga.race[i].off, &ga.race[i].value, 8) == 0)
			memcpy(ga.va + ga.race[i].off,
			    ga.before + ga.race[i].off, 8);
	if (cpu.cfg.cc_trace != NULL)
		for (i = 0; i < ghcb_access_count(); i++)
			trace_event(cpu.cfg.cc_trace, "ghcb access %u: %s "
			    "0x%03x, %u byte%s", i + 1, ga.log[i].ga_write ?
			    "write" : "read ", ga.log[i].ga_off,
			    ga.log[i].ga_size, ga.log[i].ga_size == 1 ? "" :
			    "s");
	if (ga.n > GHCB_ACCESS_MAX)
		conformance_finding("GHCB access log: %u accesses in one exit, "
		    "only the first %d judged", ga.n, GHCB_ACCESS_MAX);
	judge();
	ga.va = NULL;
}

void
ghcb_access_close(void)
{
	if (ga.va != NULL)
		mprotect(ga.va, 4096, PROT_READ | PROT_WRITE);
	ga.va = NULL;
	ga.stepping = 0;
	if (ga.trap_installed)
		sigaction(SIGTRAP, &ga.prev_trap, NULL);
	ga.trap_installed = 0;
	if (ga.cs_open)
		cs_close(&ga.cs);
	ga.cs_open = 0;
}
