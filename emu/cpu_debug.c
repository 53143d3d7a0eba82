/*
 * cpu_debug.c - stops for a debugger: breakpoints, single steps,
 * watched accesses, the next VMGEXIT or #VC, and an interrupt the
 * debugger asks for while the guest runs.
 *
 * Nothing here slows a run without a debugger: the hooks are added at
 * attach.  With one, a block hook polls the debugger every few
 * thousand blocks, breakpoints hook their own address, and only
 * single steps and watchpoints hook every instruction, while they
 * last.  A stop happens before the instruction runs; on resume the
 * instruction is run again from a freshly translated block, so hooks
 * added or removed during the stop take effect at once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "cpu_debug.h"
#include "cpu_internal.h"

/* Blocks between two polls: a syscall per ~4k blocks costs nothing. */
#define POLL_BLOCKS	4096

static void	insn_hook(uc_engine *, uint64_t, uint32_t, void *);
static void	block_hook(uc_engine *, uint64_t, uint32_t, void *);
static void	watch_hook(uc_engine *, uc_mem_type, uint64_t, int, int64_t,
		    void *);

static int
watching(const struct cpu_debugger *d)
{
	int i;

	for (i = 0; i < CPU_DEBUG_WATCHES; i++)
		if (d->cd_wp[i].w_used)
			return (1);
	return (0);
}

/*
 * Drops the translation of every block the CPU has run.  A flush of
 * the whole cache from inside a hook pulls the code out from under the
 * block that is running; invalidating blocks one by one is what the
 * emulator does for self-modifying code, and is safe there.
 */
static void
retranslate_all(void)
{
	size_t i;

	for (i = 0; i < cpu.capblocks; i++)
		if (cpu.blocks[i].b_size != 0)
			uc_ctl_remove_cache(cpu.uc, cpu.blocks[i].b_addr,
			    cpu.blocks[i].b_addr + cpu.blocks[i].b_size);
}

/*
 * Hooks every instruction while a step, a watchpoint or a caught #VC
 * needs it.  Blocks translated before a change keep their old hooks,
 * so a change drops them all.
 */
static int
every_update(struct cpu_debugger *d)
{
	int need = d->cd_step || d->cd_start || d->cd_vc_due || watching(d);

	if (need == d->cd_every_on)
		return (0);
	if (need) {
		if (uc_hook_add(cpu.uc, &d->cd_every, UC_HOOK_CODE,
		    (void *)insn_hook, d, 1, 0) != UC_ERR_OK)
			return (-1);
	} else
		uc_hook_del(cpu.uc, d->cd_every);
	d->cd_every_on = need;
	retranslate_all();
	return (0);
}

static int
bp_add(struct cpu_debugger *d, struct cpu_debug_bp *b)
{
	if (uc_hook_add(cpu.uc, &b->b_hook, UC_HOOK_CODE, (void *)insn_hook,
	    d, b->b_addr, b->b_addr) != UC_ERR_OK)
		return (-1);
	uc_ctl_remove_cache(cpu.uc, b->b_addr, b->b_addr + 1);
	return (0);
}

static int
wp_add(struct cpu_debugger *d, struct cpu_debug_wp *w)
{
	int type = 0;
	uint64_t lo;

	if (w->w_kind != CPU_WATCH_READ)
		type |= UC_HOOK_MEM_WRITE;
	if (w->w_kind != CPU_WATCH_WRITE)
		type |= UC_HOOK_MEM_READ;
	/* Unicorn matches an access by its first byte only. */
	lo = w->w_addr >= 15 ? w->w_addr - 15 : 0;
	return (uc_hook_add(cpu.uc, &w->w_hook, type, (void *)watch_hook, d,
	    lo, w->w_addr + w->w_len - 1) == UC_ERR_OK ? 0 : -1);
}

int
cpu_debug_attach(struct cpu_debugger *d)
{
	int i;

	if (uc_hook_add(cpu.uc, &d->cd_block, UC_HOOK_BLOCK,
	    (void *)block_hook, d, 1, 0) != UC_ERR_OK)
		return (-1);
	/* Breakpoints set on a VM before stay set on this one. */
	for (i = 0; i < CPU_DEBUG_SWBREAKS; i++)
		if (d->cd_sw[i].b_used && bp_add(d, &d->cd_sw[i]) != 0)
			return (-1);
	for (i = 0; i < CPU_DEBUG_HWBREAKS; i++)
		if (d->cd_hw[i].b_used && bp_add(d, &d->cd_hw[i]) != 0)
			return (-1);
	for (i = 0; i < CPU_DEBUG_WATCHES; i++)
		if (d->cd_wp[i].w_used && wp_add(d, &d->cd_wp[i]) != 0)
			return (-1);
	d->cd_attached = 1;
	d->cd_start = 1;
	d->cd_every_on = 0;
	d->cd_reenter = d->cd_skip = d->cd_hit = d->cd_vc_due = 0;
	return (every_update(d));
}

static struct cpu_debug_bp *
bp_find(struct cpu_debug_bp *tab, int n, uint64_t addr)
{
	int i;

	for (i = 0; i < n; i++)
		if (tab[i].b_used && tab[i].b_addr == addr)
			return (&tab[i]);
	return (NULL);
}

static void
stop(struct cpu_debugger *d, enum cpu_stop_why why, uint64_t rip)
{
	struct cpu_stop st;
	enum cpu_resume r;

	memset(&st, 0, sizeof(st));
	st.cs_why = why;
	st.cs_rip = rip;
	st.cs_watch = d->cd_hit_kind;
	st.cs_addr = d->cd_hit_addr;
	st.cs_code = d->cd_vc_code;
	d->cd_start = d->cd_hit = d->cd_vc_due = d->cd_interrupt = 0;
	/* Hooks at a block's start see the RIP of the last exit from one. */
	cpu_set_reg(UC_X86_REG_RIP, rip);
	r = d->cd_stopped(d->cd_arg, &st);
	if (r == CPU_RESUME_KILL) {
		cpu_fail(CPU_SHUTDOWN, "killed by the debugger at rip 0x%"
		    PRIx64, cpu_reg(UC_X86_REG_RIP));
		return;
	}
	d->cd_step = r == CPU_RESUME_STEP;
	if (every_update(d) != 0) {
		cpu_fail(CPU_SHUTDOWN, "unicorn: cannot hook instructions for "
		    "the debugger");
		return;
	}
	/* The debugger may have moved RIP; the block starts there. */
	d->cd_reenter = 1;
	cpu_set_reg(UC_X86_REG_RIP, cpu_reg(UC_X86_REG_RIP));
}

int
cpu_debug_insn(struct cpu_debugger *d, uint64_t rip)
{
	const struct site *s;
	enum cpu_stop_why why;

	if (!d->cd_attached || cpu.stopping || cpu.state == CPU_SHUTDOWN)
		return (0);
	/* More hooks of the instruction that just stopped. */
	if (d->cd_reenter)
		return (1);
	if (d->cd_skip) {
		d->cd_skip = 0;
		if (rip == d->cd_skip_rip)
			return (0);
	}
	if (d->cd_hit)
		why = CPU_STOP_WATCH;
	else if (d->cd_vc_due)
		why = CPU_STOP_VC;
	else if (d->cd_start)
		why = CPU_STOP_START;
	else if (d->cd_step)
		why = CPU_STOP_STEP;
	else if (bp_find(d->cd_sw, CPU_DEBUG_SWBREAKS, rip) != NULL)
		why = CPU_STOP_SWBREAK;
	else if (bp_find(d->cd_hw, CPU_DEBUG_HWBREAKS, rip) != NULL)
		why = CPU_STOP_HWBREAK;
	else if (d->cd_catch_vmgexit && (s = site_find(rip)) != NULL &&
	    s->s_kind == SITE_VMGEXIT) {
		d->cd_catch_vmgexit = 0;
		why = CPU_STOP_VMGEXIT;
	} else
		return (0);
	stop(d, why, rip);
	return (1);
}

void
cpu_debug_exit(struct cpu_debugger *d, uint64_t code, uint64_t info1,
    uint64_t info2, uint64_t rip)
{
	d->cd_exit_code = code;
	d->cd_exit_info1 = info1;
	d->cd_exit_info2 = info2;
	d->cd_exit_rip = rip;
}

void
cpu_debug_vc(struct cpu_debugger *d, uint64_t code)
{
	if (!d->cd_attached || !d->cd_catch_vc)
		return;
	d->cd_catch_vc = 0;
	d->cd_vc_due = 1;
	d->cd_vc_code = code;
	if (every_update(d) != 0)
		cpu_fail(CPU_SHUTDOWN, "unicorn: cannot hook instructions for "
		    "the debugger");
}

/* Every instruction, or a breakpoint's; sites report from site_hook. */
static void
insn_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct block *b = cpu.cur;
	uint64_t ti, tc;

	(void)uc;
	(void)size;
	if (site_find(addr) != NULL)
		return;
	/* A stop leaves the block before this instruction: count so. */
	cpu_rewind(addr, &ti, &tc);
	if (cpu_debug_insn(arg, addr))
		return;
	cpu.insns += ti;
	cpu.cy.cy_now += tc;
	cpu.cur = b;
}

static void
block_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct cpu_debugger *d = arg;

	(void)uc;
	(void)size;
	if (cpu.stopping || cpu.state == CPU_SHUTDOWN)
		return;
	if (d->cd_reenter) {
		/*
		 * The block that stopped gave back what did not run
		 * (cpu_rewind), so this one is counted as any other: a
		 * run under gdb counts what it counts without.
		 */
		d->cd_reenter = 0;
		d->cd_skip = 1;
		d->cd_skip_rip = addr;
		return;
	}
	if (++d->cd_polls < POLL_BLOCKS && !d->cd_interrupt)
		return;
	d->cd_polls = 0;
	if (d->cd_interrupt || d->cd_poll(d->cd_arg))
		stop(d, CPU_STOP_INTERRUPT, addr);
}

static void
watch_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
    int64_t value, void *arg)
{
	struct cpu_debugger *d = arg;
	struct cpu_debug_wp *w;
	int i, write = type == UC_MEM_WRITE;

	(void)uc;
	(void)value;
	for (i = 0; i < CPU_DEBUG_WATCHES && !d->cd_hit; i++) {
		w = &d->cd_wp[i];
		if (!w->w_used || addr >= w->w_addr + w->w_len ||
		    addr + (uint64_t)size <= w->w_addr)
			continue;
		if ((w->w_kind == CPU_WATCH_WRITE && !write) ||
		    (w->w_kind == CPU_WATCH_READ && write))
			continue;
		d->cd_hit = 1;
		d->cd_hit_kind = w->w_kind;
		d->cd_hit_addr = w->w_addr;
	}
}

int
cpu_debug_break(struct cpu_debugger *d, int hw, uint64_t addr, int insert)
{
	struct cpu_debug_bp *tab = hw ? d->cd_hw : d->cd_sw, *b;
	int n = hw ? CPU_DEBUG_HWBREAKS : CPU_DEBUG_SWBREAKS;

	b = bp_find(tab, n, addr);
	if (!insert) {
		if (b == NULL)
			return (-1);
		if (cpu.uc != NULL) {
			uc_hook_del(cpu.uc, b->b_hook);
			uc_ctl_remove_cache(cpu.uc, addr, addr + 1);
		}
		b->b_used = 0;
		return (0);
	}
	if (b != NULL)
		return (0);
	for (b = tab; b < tab + n && b->b_used; b++)
		;
	if (b == tab + n)
		return (-1);
	b->b_addr = addr;
	if (cpu.uc != NULL && bp_add(d, b) != 0)
		return (-1);
	b->b_used = 1;
	return (0);
}

int
cpu_debug_watch(struct cpu_debugger *d, enum cpu_watch_kind kind,
    uint64_t addr, uint64_t len, int insert)
{
	struct cpu_debug_wp *w;
	int i;

	for (i = 0; i < CPU_DEBUG_WATCHES; i++) {
		w = &d->cd_wp[i];
		if (insert ? !w->w_used : (w->w_used && w->w_addr == addr &&
		    w->w_len == len && w->w_kind == kind))
			break;
	}
	if (i == CPU_DEBUG_WATCHES || len == 0 || addr + len < addr)
		return (-1);
	if (!insert) {
		if (cpu.uc != NULL)
			uc_hook_del(cpu.uc, w->w_hook);
		w->w_used = 0;
	} else {
		w->w_addr = addr;
		w->w_len = len;
		w->w_kind = kind;
		if (cpu.uc != NULL && wp_add(d, w) != 0)
			return (-1);
		w->w_used = 1;
	}
	return (cpu.uc != NULL && d->cd_attached ? every_update(d) : 0);
}

/* Forgets every breakpoint, watchpoint and catch: the debugger left. */
void
cpu_debug_clear(struct cpu_debugger *d)
{
	int i;

	for (i = 0; i < CPU_DEBUG_SWBREAKS; i++)
		if (d->cd_sw[i].b_used)
			cpu_debug_break(d, 0, d->cd_sw[i].b_addr, 0);
	for (i = 0; i < CPU_DEBUG_HWBREAKS; i++)
		if (d->cd_hw[i].b_used)
			cpu_debug_break(d, 1, d->cd_hw[i].b_addr, 0);
	for (i = 0; i < CPU_DEBUG_WATCHES; i++)
		if (d->cd_wp[i].w_used)
			cpu_debug_watch(d, d->cd_wp[i].w_kind,
			    d->cd_wp[i].w_addr, d->cd_wp[i].w_len, 0);
	d->cd_catch_vmgexit = d->cd_catch_vc = 0;
}

int
cpu_debug_read(uint64_t va, void *buf, size_t len)
{
	struct paging pg;

	if (cpu.uc == NULL)
		return (-1);
	cpu_paging(&pg);
	return (guestmem_read(&cpu.gm, &pg, va, buf, len));
}

int
cpu_debug_write(uint64_t va, const void *buf, size_t len)
{
	struct paging pg;
	uint64_t p;

	if (cpu.uc == NULL)
		return (-1);
	cpu_paging(&pg);
	if (guestmem_write(&cpu.gm, &pg, va, buf, len) != 0)
		return (-1);
	/* Code written behind the emulator's back: translate it again. */
	for (p = va & ~0xfffULL; p < va + len; p += 4096)
		uc_ctl_remove_cache(cpu.uc, p > va ? p : va,
		    p + 4096 < va + len ? p + 4096 : va + len);
	return (0);
}

int
cpu_debug_reg(int ucreg, void *val)
{
	if (cpu.uc == NULL)
		return (-1);
	if (ucreg == UC_X86_REG_CR3) {
		memcpy(val, &cpu.guest_cr3, sizeof(cpu.guest_cr3));
		return (0);
	}
	return (uc_reg_read(cpu.uc, ucreg, val) == UC_ERR_OK ? 0 : -1);
}

int
cpu_debug_set_reg(int ucreg, const void *val)
{
	/* Paging and mode state has shadows a plain write would miss. */
	if (cpu.uc == NULL || ucreg == UC_X86_REG_CR0 ||
	    ucreg == UC_X86_REG_CR3 || ucreg == UC_X86_REG_CR4 ||
	    ucreg == UC_X86_REG_MSR)
		return (-1);
	return (uc_reg_write(cpu.uc, ucreg, val) == UC_ERR_OK ? 0 : -1);
}

uint64_t
cpu_debug_cr3(void)
{
	return (cpu.guest_cr3);
}

int
cpu_debug_code_bits(void)
{
	return (cpu.uc != NULL ? cpu_code_bits() : 64);
}

const uint8_t *
cpu_debug_vmcb(void)
{
	return (cpu.vmcb);
}

int
cpu_debug_host_wants_regs(void)
{
	const char *e = getenv("SEVEMU_EXIT_REGS");
	char line[128];
	FILE *f;
	int pid = 0;

	if (e != NULL)
		return (strcmp(e, "1") == 0);
	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (0);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "TracerPid: %d", &pid) == 1)
			break;
	fclose(f);
	return (pid != 0);
}
