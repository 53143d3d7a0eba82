/*
 * gdbmon.c - gdb's `monitor` commands: the SEV-ES view of the guest
 * that gdb's own registers and memory cannot give.  The last #VMEXIT,
 * the VMCB's control fields, the GHCB the GHCB MSR names (with its
 * valid bitmap), the GHCB MSR itself, and a stop at the next VMGEXIT
 * or #VC.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "cpu.h"
#include "cpu_debug.h"
#include "gdbstub.h"
#include "trace.h"
#include "vmcb.h"

#define GHCB_VALID	0x3f0
#define GHCB_VERSION	0xffa
#define GHCB_USAGE	0xffc

struct out {
	char	*o_buf;
	size_t	 o_len, o_pos;
};

static void
say(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
say(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->o_pos >= o->o_len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->o_buf + o->o_pos, o->o_len - o->o_pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->o_pos += (size_t)n;
	if (o->o_pos >= o->o_len)
		o->o_pos = o->o_len - 1;
}

static const struct {
	unsigned int	 off;
	const char	*name;
} ghcb_fields[] = {
	{ 0x0cb, "cpl" }, { 0x0d0, "efer" }, { 0x148, "cr4" },
	{ 0x150, "cr3" }, { 0x158, "cr0" }, { 0x160, "dr7" },
	{ 0x168, "dr6" }, { 0x170, "rflags" }, { 0x178, "rip" },
	{ 0x1d8, "rsp" }, { 0x1f8, "rax" }, { 0x308, "rcx" },
	{ 0x310, "rdx" }, { 0x318, "rbx" }, { 0x328, "rbp" },
	{ 0x330, "rsi" }, { 0x338, "rdi" }, { 0x340, "r8" },
	{ 0x348, "r9" }, { 0x350, "r10" }, { 0x358, "r11" },
	{ 0x360, "r12" }, { 0x368, "r13" }, { 0x370, "r14" },
	{ 0x378, "r15" }, { 0x390, "sw_exitcode" },
	{ 0x398, "sw_exitinfo1" }, { 0x3a0, "sw_exitinfo2" },
	{ 0x3a8, "sw_scratch" }, { 0x3e8, "xcr0" },
};

static void
sym(struct gdbstub *g, uint64_t addr, char *buf, size_t len)
{
	buf[0] = '\0';
	if (g->g_sym != NULL && g->g_sym(g->g_symarg, addr, buf, len) != 0)
		buf[0] = '\0';
}

static void
mon_exit(struct gdbstub *g, struct out *o)
{
	const uint8_t *v = cpu_debug_vmcb();
	uint64_t code;
	char s[80];

	if (v == NULL || cpu_exits() == 0) {
		say(o, "no #VMEXIT yet\n");
		return;
	}
	code = g->g_dbg.cd_exit_code;
	sym(g, g->g_dbg.cd_exit_rip, s, sizeof(s));
	say(o, "exit %" PRIu64 " at rip 0x%" PRIx64 "%s%s%s: code 0x%03"
	    PRIx64 " %s\n", cpu_exits(), g->g_dbg.cd_exit_rip,
	    s[0] ? " <" : "", s, s[0] ? ">" : "", code, svm_exit_name(code));
	say(o, "exitinfo1 0x%" PRIx64 " exitinfo2 0x%" PRIx64 " nrip 0x%"
	    PRIx64 " ghcb msr 0x%" PRIx64 "\n", g->g_dbg.cd_exit_info1,
	    g->g_dbg.cd_exit_info2, vmcb_get64(v, VMCB_NRIP),
	    vmcb_get64(v, VMCB_GHCB_GPA));
	/* svm_handle_vmgexit puts the NAE event's code in the VMCB. */
	if (vmcb_get64(v, VMCB_EXITCODE) != code)
		say(o, "the vmm has since made the VMCB's exitcode 0x%" PRIx64
		    " (%s)\n", vmcb_get64(v, VMCB_EXITCODE),
		    svm_exit_name(vmcb_get64(v, VMCB_EXITCODE)));
}

static void
mon_vmcb(struct out *o)
{
	static const struct {
		unsigned int	 off, size;
		const char	*name;
	} f[] = {
		{ VMCB_INTERCEPT_CR, 4, "intercept_cr" },
		{ VMCB_INTERCEPT_DR, 4, "intercept_dr" },
		{ VMCB_INTERCEPT_EXC, 4, "intercept_exc" },
		{ VMCB_INTERCEPT_MISC1, 4, "intercept_misc1" },
		{ VMCB_INTERCEPT_MISC2, 4, "intercept_misc2" },
		{ VMCB_IOPM_BASE_PA, 8, "iopm_base_pa" },
		{ VMCB_MSRPM_BASE_PA, 8, "msrpm_base_pa" },
		{ VMCB_GUEST_ASID, 4, "guest_asid" },
		{ VMCB_EXITCODE, 8, "exitcode" },
		{ VMCB_EXITINFO1, 8, "exitinfo1" },
		{ VMCB_EXITINFO2, 8, "exitinfo2" },
		{ VMCB_EXITINTINFO, 8, "exitintinfo" },
		{ VMCB_NP_CTL, 8, "np_ctl" },
		{ VMCB_GHCB_GPA, 8, "ghcb_gpa" },
		{ VMCB_N_CR3, 8, "n_cr3" },
		{ VMCB_NRIP, 8, "nrip" },
		{ VMCB_VMSA_PA, 8, "vmsa_pa" },
	};
	const uint8_t *v = cpu_debug_vmcb();
	size_t i;

	if (v == NULL) {
		say(o, "no VMCB: the vCPU has not run yet\n");
		return;
	}
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		say(o, "%-16s 0x%0*" PRIx64 "\n", f[i].name,
		    (int)f[i].size * 2, f[i].size == 4 ?
		    (uint64_t)vmcb_get32(v, f[i].off) : vmcb_get64(v, f[i].off));
}

static void
mon_msr(struct out *o)
{
	uint64_t msr = cpu_ghcb_msr();

	say(o, "GHCB MSR 0x%016" PRIx64 ": ", msr);
	if (msr == 0)
		say(o, "no GHCB, no request\n");
	else if ((msr & 0xfff) != 0)
		say(o, "MSR protocol %s (0x%03" PRIx64 "), data 0x%013" PRIx64
		    "\n", msrproto_name(msr & 0xfff), msr & 0xfff, msr >> 12);
	else
		say(o, "GHCB page at GPA 0x%" PRIx64 "\n", msr);
}

static void
mon_ghcb(struct out *o)
{
	uint64_t msr = cpu_ghcb_msr(), bm[2], code;
	const uint8_t *p;
	unsigned int bit;
	size_t i;

	if (msr == 0 || (msr & 0xfff) != 0) {
		mon_msr(o);
		say(o, "the GHCB MSR names no GHCB page\n");
		return;
	}
	if ((p = cpu_guest_ptr(msr, 4096)) == NULL) {
		say(o, "GHCB at GPA 0x%" PRIx64 " is outside guest RAM\n", msr);
		return;
	}
	code = vmcb_get64(p, 0x390);
	memcpy(bm, p + GHCB_VALID, sizeof(bm));
	say(o, "GHCB at GPA 0x%" PRIx64 ": protocol version %u, usage %u\n",
	    msr, vmcb_get16(p, GHCB_VERSION), vmcb_get32(p, GHCB_USAGE));
	say(o, "sw_exitcode 0x%" PRIx64 " (%s) exitinfo1 0x%" PRIx64
	    " exitinfo2 0x%" PRIx64 " scratch 0x%" PRIx64 "\n", code,
	    svm_exit_name(code), vmcb_get64(p, 0x398), vmcb_get64(p, 0x3a0),
	    vmcb_get64(p, 0x3a8));
	say(o, "rax 0x%" PRIx64 " rbx 0x%" PRIx64 " rcx 0x%" PRIx64 " rdx 0x%"
	    PRIx64 "\n", vmcb_get64(p, 0x1f8), vmcb_get64(p, 0x318),
	    vmcb_get64(p, 0x308), vmcb_get64(p, 0x310));
	say(o, "valid bitmap 0x%016" PRIx64 "%016" PRIx64 ":", bm[1], bm[0]);
	for (bit = 0; bit < 128; bit++) {
		if ((bm[bit / 64] >> (bit % 64) & 1) == 0)
			continue;
		for (i = 0; i < sizeof(ghcb_fields) / sizeof(ghcb_fields[0]);
		    i++)
			if (ghcb_fields[i].off / 8 == bit)
				break;
		if (i < sizeof(ghcb_fields) / sizeof(ghcb_fields[0]))
			say(o, " %s", ghcb_fields[i].name);
		else
			say(o, " 0x%03x", bit * 8);
	}
	say(o, "\n");
}

/* What gdb's 32-bit layout lacks, for either mode. */
static void
mon_sys(struct out *o)
{
	static const struct {
		int		 uc;
		const char	*name;
	} cr[] = {
		{ UC_X86_REG_CR0, "cr0" }, { UC_X86_REG_CR2, "cr2" },
		{ UC_X86_REG_CR3, "cr3" }, { UC_X86_REG_CR4, "cr4" },
	};
	uc_x86_msr efer = { .rid = 0xc0000080U, .value = 0 };
	uc_x86_mmr gdtr, idtr, tr;
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cr) / sizeof(cr[0]); i++) {
		v = 0;
		if (cpu_debug_reg(cr[i].uc, &v) != 0) {
			say(o, "the vCPU has not run yet\n");
			return;
		}
		say(o, "%-4s 0x%016" PRIx64 "%s", cr[i].name, v,
		    i % 2 == 1 ? "\n" : "  ");
	}
	memset(&gdtr, 0, sizeof(gdtr));
	memset(&idtr, 0, sizeof(idtr));
	memset(&tr, 0, sizeof(tr));
	cpu_debug_reg(UC_X86_REG_MSR, &efer);
	cpu_debug_reg(UC_X86_REG_GDTR, &gdtr);
	cpu_debug_reg(UC_X86_REG_IDTR, &idtr);
	cpu_debug_reg(UC_X86_REG_TR, &tr);
	say(o, "efer 0x%016" PRIx64 "\n", efer.value);
	say(o, "gdtr 0x%016" PRIx64 " limit 0x%x\n", gdtr.base, gdtr.limit);
	say(o, "idtr 0x%016" PRIx64 " limit 0x%x\n", idtr.base, idtr.limit);
	say(o, "tr   0x%04x base 0x%016" PRIx64 " limit 0x%x\n", tr.selector,
	    tr.base, tr.limit);
	say(o, "code %d-bit\n", cpu_debug_code_bits());
}

static const char help[] =
"sevemu monitor commands:\n"
"  monitor exit           the last #VMEXIT: number, rip, code, exit info\n"
"  monitor vmcb           the VMCB's control fields\n"
"  monitor ghcb           the GHCB the GHCB MSR names, with its valid bitmap\n"
"  monitor msr            the GHCB MSR, decoded\n"
"  monitor sys            control registers, EFER, GDTR, IDTR, TR\n"
"  monitor catch vmgexit  stop before the next VMGEXIT\n"
"  monitor catch vc       stop at the #VC handler for the next #VC\n"
"  monitor catch off      forget both\n";

int
gdbmon_run(struct gdbstub *g, const char *cmd, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	buf[0] = '\0';
	while (*cmd == ' ')
		cmd++;
	if (strcmp(cmd, "exit") == 0)
		mon_exit(g, &o);
	else if (strcmp(cmd, "vmcb") == 0)
		mon_vmcb(&o);
	else if (strcmp(cmd, "ghcb") == 0)
		mon_ghcb(&o);
	else if (strcmp(cmd, "msr") == 0)
		mon_msr(&o);
	else if (strcmp(cmd, "sys") == 0)
		mon_sys(&o);
	else if (strcmp(cmd, "catch vmgexit") == 0) {
		g->g_dbg.cd_catch_vmgexit = 1;
		say(&o, "the guest stops before its next VMGEXIT\n");
	} else if (strcmp(cmd, "catch vc") == 0) {
		g->g_dbg.cd_catch_vc = 1;
		say(&o, "the guest stops at its #VC handler at the next #VC\n");
	} else if (strcmp(cmd, "catch off") == 0) {
		g->g_dbg.cd_catch_vmgexit = g->g_dbg.cd_catch_vc = 0;
		say(&o, "no catches\n");
	} else if (strcmp(cmd, "help") == 0 || *cmd == '\0')
		say(&o, "%s", help);
	else {
		say(&o, "unknown monitor command \"%s\"\n%s", cmd, help);
		return (-1);
	}
	return (0);
}
