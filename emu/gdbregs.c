/*
 * gdbregs.c - gdb's register layouts for the guest, and their target
 * descriptions.
 *
 * gdb insists on its own feature and register names (core with the
 * x87 registers, sse); the control registers and EFER go in a feature
 * of ours, which gdb lists with the general registers.  Feature
 * order is register order, so the table below is the numbering of the
 * g and p packets too.
 *
 * The 32-bit layout is gdb's own i386 one, with no description: gdb
 * 13 refuses an "i386" description while a 64-bit ELF is loaded, and
 * a description it took once cannot be swapped for the ELF's
 * architecture again without an internal error.  The user says
 * `set architecture i386` instead.
 */
#include <stdio.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "cpu_debug.h"
#include "gdbregs.h"

#define MSR_EFER	0xc0000080U

enum feature { F_CORE, F_SSE, F_SEG, F_SYS, F_N };

static const char *const feature_name[F_N] = {
	"org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse",
	"org.gnu.gdb.i386.segments", "org.sevemu.x86.sys"
};

struct reg {
	const char	*r_name;
	unsigned int	 r_bits;
	int		 r_uc;		/* UC_X86_REG_MSR: r_msr */
	const char	*r_type;
	enum feature	 r_feat;
	const char	*r_group;	/* NULL: gdb's default */
	int		 r_ro;		/* not writable from gdb */
};

#define GPR(n, u, t)	{ n, 64, u, t, F_CORE, NULL, 0 }
#define GPR32(n, u, t)	{ n, 32, u, t, F_CORE, NULL, 0 }
#define SEG(n, u)	{ n, 32, u, "int32", F_CORE, NULL, 1 }
#define ST(i)		{ "st" #i, 80, UC_X86_REG_ST0 + i, "i387_ext", \
			  F_CORE, NULL, 0 }
#define FPU(n, u)	{ n, 32, u, "int", F_CORE, "float", 0 }
#define XMM(i)		{ "xmm" #i, 128, UC_X86_REG_XMM0 + i, "vec128", \
			  F_SSE, NULL, 0 }
#define SYS(n, b, u)	{ n, b, u, "int", F_SYS, "system", 1 }

#define X87_REGS \
	ST(0), ST(1), ST(2), ST(3), ST(4), ST(5), ST(6), ST(7), \
	FPU("fctrl", UC_X86_REG_FPCW), FPU("fstat", UC_X86_REG_FPSW), \
	FPU("ftag", UC_X86_REG_FPTAG), FPU("fiseg", UC_X86_REG_FCS), \
	FPU("fioff", UC_X86_REG_FIP), FPU("foseg", UC_X86_REG_FDS), \
	FPU("fooff", UC_X86_REG_FDP), FPU("fop", UC_X86_REG_FOP)

#define SEG_REGS \
	SEG("cs", UC_X86_REG_CS), SEG("ss", UC_X86_REG_SS), \
	SEG("ds", UC_X86_REG_DS), SEG("es", UC_X86_REG_ES), \
	SEG("fs", UC_X86_REG_FS), SEG("gs", UC_X86_REG_GS)

static const struct reg regs64[] = {
	GPR("rax", UC_X86_REG_RAX, "int64"),
	GPR("rbx", UC_X86_REG_RBX, "int64"),
	GPR("rcx", UC_X86_REG_RCX, "int64"),
	GPR("rdx", UC_X86_REG_RDX, "int64"),
	GPR("rsi", UC_X86_REG_RSI, "int64"),
	GPR("rdi", UC_X86_REG_RDI, "int64"),
	GPR("rbp", UC_X86_REG_RBP, "data_ptr"),
	GPR("rsp", UC_X86_REG_RSP, "data_ptr"),
	GPR("r8", UC_X86_REG_R8, "int64"),
	GPR("r9", UC_X86_REG_R9, "int64"),
	GPR("r10", UC_X86_REG_R10, "int64"),
	GPR("r11", UC_X86_REG_R11, "int64"),
	GPR("r12", UC_X86_REG_R12, "int64"),
	GPR("r13", UC_X86_REG_R13, "int64"),
	GPR("r14", UC_X86_REG_R14, "int64"),
	GPR("r15", UC_X86_REG_R15, "int64"),
	GPR("rip", UC_X86_REG_RIP, "code_ptr"),
	GPR32("eflags", UC_X86_REG_EFLAGS, "i386_eflags"),
	SEG_REGS,
	X87_REGS,
	XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
	XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
	{ "mxcsr", 32, UC_X86_REG_MXCSR, "i386_mxcsr", F_SSE, "vector", 0 },
	{ "fs_base", 64, UC_X86_REG_FS_BASE, "int", F_SEG, NULL, 0 },
	{ "gs_base", 64, UC_X86_REG_GS_BASE, "int", F_SEG, NULL, 0 },
	SYS("cr0", 64, UC_X86_REG_CR0),
	SYS("cr2", 64, UC_X86_REG_CR2),
	SYS("cr3", 64, UC_X86_REG_CR3),
	SYS("cr4", 64, UC_X86_REG_CR4),
	SYS("efer", 64, UC_X86_REG_MSR),
};

static const struct reg regs32[] = {
	GPR32("eax", UC_X86_REG_EAX, "int32"),
	GPR32("ecx", UC_X86_REG_ECX, "int32"),
	GPR32("edx", UC_X86_REG_EDX, "int32"),
	GPR32("ebx", UC_X86_REG_EBX, "int32"),
	GPR32("esp", UC_X86_REG_ESP, "data_ptr"),
	GPR32("ebp", UC_X86_REG_EBP, "data_ptr"),
	GPR32("esi", UC_X86_REG_ESI, "int32"),
	GPR32("edi", UC_X86_REG_EDI, "int32"),
	GPR32("eip", UC_X86_REG_EIP, "code_ptr"),
	GPR32("eflags", UC_X86_REG_EFLAGS, "i386_eflags"),
	SEG_REGS,
	X87_REGS,
	XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
	{ "mxcsr", 32, UC_X86_REG_MXCSR, "i386_mxcsr", F_SSE, "vector", 0 },
};

#define NREGS(t)	((int)(sizeof(t) / sizeof(t[0])))

static const struct reg *
reg_at(int bits, int n)
{
	if (bits == 64 && n >= 0 && n < NREGS(regs64))
		return (&regs64[n]);
	if (bits == 32 && n >= 0 && n < NREGS(regs32))
		return (&regs32[n]);
	return (NULL);
}

int
gdbregs_count(int bits)
{
	return (bits == 64 ? NREGS(regs64) : bits == 32 ? NREGS(regs32) : -1);
}

size_t
gdbregs_size(int bits, int n)
{
	const struct reg *r = reg_at(bits, n);

	return (r != NULL ? r->r_bits / 8 : 0);
}

int
gdbregs_read(int bits, int n, uint8_t *buf)
{
	const struct reg *r = reg_at(bits, n);
	uint8_t val[64];
	uc_x86_msr msr;

	if (r == NULL)
		return (-1);
	/* Unicorn writes as many bytes as the register has, or fewer. */
	memset(val, 0, sizeof(val));
	if (r->r_uc == UC_X86_REG_MSR) {
		msr.rid = MSR_EFER;
		msr.value = 0;
		if (cpu_debug_reg(UC_X86_REG_MSR, &msr) != 0)
			return (-1);
		memcpy(val, &msr.value, sizeof(msr.value));
	} else if (cpu_debug_reg(r->r_uc, val) != 0)
		return (-1);
	memcpy(buf, val, r->r_bits / 8);
	return (0);
}

int
gdbregs_write(int bits, int n, const uint8_t *buf)
{
	const struct reg *r = reg_at(bits, n);
	uint8_t val[64];

	if (r == NULL || r->r_ro)
		return (-1);
	memset(val, 0, sizeof(val));
	memcpy(val, buf, r->r_bits / 8);
	return (cpu_debug_set_reg(r->r_uc, val));
}

static const char tdesc_types[] =
"<flags id=\"i386_eflags\" size=\"4\">"
"<field name=\"CF\" start=\"0\" end=\"0\"/>"
"<field name=\"PF\" start=\"2\" end=\"2\"/>"
"<field name=\"AF\" start=\"4\" end=\"4\"/>"
"<field name=\"ZF\" start=\"6\" end=\"6\"/>"
"<field name=\"SF\" start=\"7\" end=\"7\"/>"
"<field name=\"TF\" start=\"8\" end=\"8\"/>"
"<field name=\"IF\" start=\"9\" end=\"9\"/>"
"<field name=\"DF\" start=\"10\" end=\"10\"/>"
"<field name=\"OF\" start=\"11\" end=\"11\"/>"
"<field name=\"RF\" start=\"16\" end=\"16\"/>"
"<field name=\"VM\" start=\"17\" end=\"17\"/>"
"<field name=\"AC\" start=\"18\" end=\"18\"/>"
"<field name=\"ID\" start=\"21\" end=\"21\"/>"
"</flags>";

static const char tdesc_sse_types[] =
"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
"<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
"<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
"<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
"<union id=\"vec128\">"
"<field name=\"v4_float\" type=\"v4f\"/>"
"<field name=\"v2_double\" type=\"v2d\"/>"
"<field name=\"v16_int8\" type=\"v16i8\"/>"
"<field name=\"v8_int16\" type=\"v8i16\"/>"
"<field name=\"v4_int32\" type=\"v4i32\"/>"
"<field name=\"v2_int64\" type=\"v2i64\"/>"
"<field name=\"uint128\" type=\"uint128\"/>"
"</union>"
"<flags id=\"i386_mxcsr\" size=\"4\">"
"<field name=\"IE\" start=\"0\" end=\"0\"/>"
"<field name=\"DE\" start=\"1\" end=\"1\"/>"
"<field name=\"ZE\" start=\"2\" end=\"2\"/>"
"<field name=\"OE\" start=\"3\" end=\"3\"/>"
"<field name=\"UE\" start=\"4\" end=\"4\"/>"
"<field name=\"PE\" start=\"5\" end=\"5\"/>"
"<field name=\"DAZ\" start=\"6\" end=\"6\"/>"
"<field name=\"IM\" start=\"7\" end=\"7\"/>"
"<field name=\"DM\" start=\"8\" end=\"8\"/>"
"<field name=\"ZM\" start=\"9\" end=\"9\"/>"
"<field name=\"OM\" start=\"10\" end=\"10\"/>"
"<field name=\"UM\" start=\"11\" end=\"11\"/>"
"<field name=\"PM\" start=\"12\" end=\"12\"/>"
"<field name=\"FZ\" start=\"15\" end=\"15\"/>"
"</flags>";

static void
build(char *buf, size_t len, int bits, const struct reg *tab, int n)
{
	size_t o;
	int f, i, open;

	o = (size_t)snprintf(buf, len, "<?xml version=\"1.0\"?>"
	    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	    "<target version=\"1.0\"><architecture>%s</architecture>",
	    bits == 64 ? "i386:x86-64" : "i386");
	for (f = 0; f < F_N; f++) {
		open = 0;
		for (i = 0; i < n && o < len; i++) {
			if (tab[i].r_feat != (enum feature)f)
				continue;
			if (!open) {
				o += (size_t)snprintf(buf + o, len - o,
				    "<feature name=\"%s\">%s", feature_name[f],
				    f == F_CORE ? tdesc_types : f == F_SSE ?
				    tdesc_sse_types : "");
				open = 1;
			}
			if (o < len)
				o += (size_t)snprintf(buf + o, len - o,
				    "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\""
				    " regnum=\"%d\"%s%s%s/>", tab[i].r_name,
				    tab[i].r_bits, tab[i].r_type, i,
				    tab[i].r_group ? " group=\"" : "",
				    tab[i].r_group ? tab[i].r_group : "",
				    tab[i].r_group ? "\"" : "");
		}
		if (open && o < len)
			o += (size_t)snprintf(buf + o, len - o, "</feature>");
	}
	if (o < len)
		snprintf(buf + o, len - o, "</target>");
}

const char *
gdbregs_tdesc(int bits)
{
	static char xml64[12288];

	if (bits != 64)
		return (NULL);
	if (xml64[0] == '\0')
		build(xml64, sizeof(xml64), 64, regs64, NREGS(regs64));
	return (xml64);
}
