/*
 * stage2.c - init_x86_64 for stage 2: after locore0, set up the early
 * #VC handling the way the kernel's cpu_init_early_vctrap() does (a
 * long-mode GDT, an IDT whose #VC gate leads to the kernel's vctrap(),
 * the GHCB in the two pages locore0 mapped unencrypted, registered in
 * the GHCB MSR), then make the kernel's own #VC path serve CPUID,
 * WRMSR/RDMSR and port I/O, and end with a verdict on the debug-exit
 * port.  Everything the guest saw is kept in variables for the test.
 *
 * The kernel's panic() and KASSERT end in a GHCB MSR-protocol
 * termination request, as a guest with no console would.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include <machine/trap.h>

#define SEVEMU_COM1		0x3f8
#define SEVEMU_DEBUG_EXIT	0xf4
#define SEVEMU_PAT		0x0007040600070406ULL
/* GHCB MSR protocol termination request, reason set 1 (ours). */
#define SEVEMU_TERM(code)	(0x100ULL | (1ULL << 12) | ((code) << 16))
#define SEVEMU_TERM_PANIC	0x01
#define SEVEMU_TERM_ASSERT	0x02
#define SEVEMU_TERM_REFUSED	0x03
#define SEVEMU_TERM_NOT_ES	0x04

extern paddr_t	sevemu_first_avail;
extern vaddr_t	ghcb_vaddr;
extern paddr_t	ghcb_paddr;
extern int	cpu_sev_guestmode;

void	init_x86_64(paddr_t);
void	main(void *);
void	sevemu_vctrap(void);
void	sevemu_vc_failed(struct trapframe *);

/* What the guest saw, for the test. */
uint32_t	 sevemu_cpuid0[4];
uint32_t	 sevemu_cpuid_sev[4];
uint32_t	 sevemu_cpuid_sev_msr[4];	/* the same over the MSR protocol */
uint64_t	 sevemu_pat_written = SEVEMU_PAT;
uint64_t	 sevemu_pat_read;
uint32_t	 sevemu_lsr;
uint32_t	 sevemu_vc_count;
uint64_t	 sevemu_ghcb_msr;	/* as registered */
const char	*sevemu_panic_fmt;	/* a panic's or assertion's text */
uint64_t	 sevemu_vc_refused_err;	/* exit code vctrap refused */

static uint64_t	 sevemu_gdt[4] __attribute__((aligned(16)));
static uint64_t	 sevemu_idt[2 * NIDT] __attribute__((aligned(16)));

/*
 * The kernel's libkern, which vctrap and ghcb.c call; the names are
 * parenthesized past sys/systm.h's macros for the builtins.
 */
void *
(memset)(void *b, int c, size_t n)
{
	void *d = b;

	__asm volatile("rep stosb" : "+D" (d), "+c" (n) : "a" (c) : "memory");
	return (b);
}

void *
(memcpy)(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm volatile("rep movsb" : "+D" (d), "+S" (src), "+c" (n) : :
	    "memory");
	return (dst);
}

int
(memcmp)(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return (*p - *q);
	return (0);
}

static void __attribute__((noreturn))
terminate(uint64_t code)
{
	wrmsr(MSR_SEV_GHCB, SEVEMU_TERM(code));
	for (;;)
		__asm volatile("rep; vmmcall; hlt");
}

void
panic(const char *fmt, ...)
{
	sevemu_panic_fmt = fmt;
	terminate(SEVEMU_TERM_PANIC);
}

void
__assert(const char *t, const char *f, int l, const char *e)
{
	sevemu_panic_fmt = e;
	terminate(SEVEMU_TERM_ASSERT);
}

void
sevemu_vc_failed(struct trapframe *frame)
{
	sevemu_vc_refused_err = frame->tf_err;
	terminate(SEVEMU_TERM_REFUSED);
}

/*
 * CPUID over the GHCB MSR protocol, what locore0 does before there is
 * a GHCB, to compare the page protocol's answer with.  The GHCB MSR
 * gets the registered page back afterwards.
 */
static void
msr_proto_cpuid(uint32_t leaf, uint32_t r[4])
{
	uint64_t v;
	int reg;

	for (reg = 0; reg < 4; reg++) {
		wrmsr(MSR_SEV_GHCB, (uint64_t)leaf << 32 |
		    (uint64_t)reg << 30 | 0x004);
		__asm volatile("rep; vmmcall" : : : "memory");
		v = rdmsr(MSR_SEV_GHCB);
		r[reg] = (v & 0xfff) == 0x005 ? v >> 32 : 0xffffffff;
	}
	wrmsr(MSR_SEV_GHCB, ghcb_paddr);
}

static void
set_idt_gate(int vec, void (*fn)(void), uint16_t sel)
{
	uint64_t a = (uint64_t)fn;

	sevemu_idt[2 * vec] = (a & 0xffff) | ((uint64_t)sel << 16) |
	    ((uint64_t)(0x80 | SDT_SYS386IGT) << 40) |
	    ((a >> 16 & 0xffff) << 48);
	sevemu_idt[2 * vec + 1] = a >> 32;
}

struct sevemu_desc_ptr {
	uint16_t	limit;
	uint64_t	base;
} __attribute__((packed));

/* A flat long-mode GDT: code at GCODE_SEL, data at GDATA_SEL. */
static void
load_early_tables(void)
{
	struct sevemu_desc_ptr gdtr, idtr;

	sevemu_gdt[GCODE_SEL] = 0x00af9a000000ffffULL;
	sevemu_gdt[GDATA_SEL] = 0x00cf92000000ffffULL;
	gdtr.limit = sizeof(sevemu_gdt) - 1;
	gdtr.base = (uint64_t)sevemu_gdt;
	__asm volatile("lgdt %0" : : "m" (gdtr));

	set_idt_gate(T_VC, sevemu_vctrap, GSEL(GCODE_SEL, SEL_KPL));
	idtr.limit = sizeof(sevemu_idt) - 1;
	idtr.base = (uint64_t)sevemu_idt;
	__asm volatile("lidt %0" : : "m" (idtr));
}

/*
 * Port I/O through %dx, the forms vctrap() decodes (it has no "out
 * %eax,$imm8"), whatever the port number.
 */
static void
out8(uint16_t port, uint8_t v)
{
	__asm volatile("outb %0, %1" : : "a" (v), "d" (port));
}

static void
out32(uint16_t port, uint32_t v)
{
	__asm volatile("outl %0, %1" : : "a" (v), "d" (port));
}

static uint8_t
in8(uint16_t port)
{
	uint8_t v;

	__asm volatile("inb %1, %0" : "=a" (v) : "d" (port));
	return (v);
}

static void
com1_puts(const char *s)
{
	for (; *s != '\0'; s++)
		out8(SEVEMU_COM1, *s);
}

void
init_x86_64(paddr_t first_avail)
{
	uint32_t r[4];

	sevemu_first_avail = first_avail;
	if ((cpu_sev_guestmode & SEV_STAT_ES_ENABLED) == 0)
		terminate(SEVEMU_TERM_NOT_ES);
	load_early_tables();

	/* The two pages locore0 mapped without the C-bit. */
	ghcb_paddr = first_avail;
	ghcb_vaddr = first_avail + KERNBASE;
	memset((void *)ghcb_vaddr, 0, 2 * PAGE_SIZE);
	wrmsr(MSR_SEV_GHCB, ghcb_paddr);
	sevemu_ghcb_msr = rdmsr(MSR_SEV_GHCB);

	/* Each of these raises #VC, which the kernel's vctrap() serves. */
	__asm volatile("cpuid" : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]),
	    "=d" (r[3]) : "a" (0), "c" (0));
	memcpy(sevemu_cpuid0, r, sizeof(r));
	__asm volatile("cpuid" : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]),
	    "=d" (r[3]) : "a" (0x8000001f), "c" (0));
	memcpy(sevemu_cpuid_sev, r, sizeof(r));
	msr_proto_cpuid(0x8000001f, sevemu_cpuid_sev_msr);
	wrmsr(MSR_CR_PAT, sevemu_pat_written);
	sevemu_pat_read = rdmsr(MSR_CR_PAT);
	sevemu_lsr = in8(SEVEMU_COM1 + 5);
	com1_puts("OpenBSD vctrap: CPUID, MSR and port I/O through the GHCB\n");
	out32(SEVEMU_DEBUG_EXIT, 0);
	for (;;)
		__asm volatile("hlt");
}

void
main(void *arg)
{
	for (;;)
		__asm volatile("hlt");
}
