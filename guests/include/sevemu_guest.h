/*
 * sevemu_guest.h - writing sevemu guests in C.
 *
 * Freestanding: only <stdint.h> and <stddef.h>.  A guest defines
 * guest_main(); the SDK's _start gives it a 16 KiB stack and halts
 * with its return value in RAX when it returns.  Link with VC
 * (sevemu_add_guest) for the #VC handler: then CPUID, RDMSR/WRMSR,
 * IN/OUT and the rest work as instructions, served through ghcb_page.
 * The calls below are the SDK's assembly (guests/lib/) and lib/sdk.c.
 */
#ifndef SEVEMU_GUEST_H
#define SEVEMU_GUEST_H

#include <stddef.h>
#include <stdint.h>

#define SEVEMU_COM1		0x3f8	/* transmit holding register */
#define SEVEMU_COM1_LSR		0x3fd	/* line status */
#define SEVEMU_COM1_LSR_THRE	0x20	/* transmitter empty */
#define SEVEMU_DEBUG_EXIT	0xf4	/* a write ends the run */
#define SEVEMU_GHCB_PAGE_SIZE	4096

/* The MSR-protocol response codes, bits 11:0 of the GHCB MSR. */
#define SEVEMU_MSR_SEV_INFO_RESP	0x001
#define SEVEMU_MSR_CPUID_RESP		0x005
/* CPUID registers for msrproto_cpuid(). */
#define SEVEMU_CPUID_EAX	0
#define SEVEMU_CPUID_EBX	1
#define SEVEMU_CPUID_ECX	2
#define SEVEMU_CPUID_EDX	3

/* What the guest writes: called by _start, result left in RAX. */
uint64_t	guest_main(void);

/* MSR protocol (lib/msrproto.S): GHCB MSR = msr, VMGEXIT, the answer. */
uint64_t	ghcb_msr_vmgexit(uint64_t msr);
/* One CPUID register; the raw response (code 0x005 in bits 11:0). */
uint64_t	msrproto_cpuid(uint32_t function, uint32_t reg);
/* Asks to be terminated; halts for good if the hypervisor resumes. */
__attribute__((noreturn)) void terminate(uint32_t set, uint32_t code);

/*
 * The GHCB (lib/ghcb.S).  ghcb is a 4 KiB-aligned shared page; the
 * guest's memory is identity-mapped, so its address is its GPA.
 * ghcb_cpuid returns 0 and fills regs (RAX, RBX, RCX, RDX), or a
 * nonzero error (GHCB_ERR_* of sevemu.inc).  ghcb_nae sends a request
 * whose inputs are already in the page and returns sw_exitinfo1 as the
 * hypervisor left it (bits 31:0 zero: success).
 */
int		ghcb_cpuid(void *ghcb, uint32_t leaf, uint32_t subleaf,
		    uint64_t regs[4]);
void		*ghcb_clear(void *ghcb);
uint64_t	ghcb_nae(void *ghcb, uint64_t exitcode, uint64_t exitinfo1,
		    uint64_t exitinfo2);

/* The #VC handler (lib/vc.S, with VC): its IDT, its GHCB, its count. */
void		idt_install(void);
extern uint8_t	ghcb_page[SEVEMU_GHCB_PAGE_SIZE];
extern uint64_t	vc_count;	/* #VCs taken */
extern uint64_t	vc_error;	/* the latest failure, 0 if none */

/* lib/sdk.c */
/* CPUID through the MSR protocol: 0 and *value, or -1 on a bad reply. */
int		msrproto_cpuid_value(uint32_t function, uint32_t reg,
		    uint32_t *value);
/* COM1, polling the line status first (IN and OUT: needs VC). */
void		com1_putc(char);
void		com1_puts(const char *);
/* Ends the run with this verdict (0: success). */
__attribute__((noreturn)) void guest_verdict(uint32_t verdict);

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return (v);
}

void	*memset(void *, int, size_t);
void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
int	 memcmp(const void *, const void *, size_t);

#endif /* SEVEMU_GUEST_H */
