/*
 * vmcb.h - the VMCB and VMSA as the CPU sees them (AMD64 APM vol. 2,
 * appendix B), by byte offset.  This is all the machine knows of the
 * vmm's data: what VMRUN reads and #VMEXIT writes.
 */
#ifndef SEVEMU_VMCB_H
#define SEVEMU_VMCB_H

#include <stdint.h>
#include <string.h>

/* Control area. */
#define VMCB_INTERCEPT_CR	0x000
#define VMCB_INTERCEPT_DR	0x004
#define VMCB_INTERCEPT_EXC	0x008
#define VMCB_INTERCEPT_MISC1	0x00c
#define VMCB_INTERCEPT_MISC2	0x010
#define VMCB_IOPM_BASE_PA	0x040
#define VMCB_MSRPM_BASE_PA	0x048
#define VMCB_TSC_OFFSET		0x050
#define VMCB_GUEST_ASID		0x058
#define VMCB_EXITCODE		0x070
#define VMCB_EXITINFO1		0x078
#define VMCB_EXITINFO2		0x080
#define VMCB_EXITINTINFO	0x088
#define VMCB_NP_CTL		0x090
#define VMCB_GHCB_GPA		0x0a0
#define VMCB_N_CR3		0x0b0
#define VMCB_NRIP		0x0c8
#define VMCB_VMSA_PA		0x108

#define VMCB_NP_ENABLE		(1ULL << 0)
#define VMCB_SEV_ENABLE		(1ULL << 1)
#define VMCB_SEVES_ENABLE	(1ULL << 2)

/* MISC1 intercept bits. */
#define VMCB_I1_RDTSC		(1U << 14)
#define VMCB_I1_RDPMC		(1U << 15)
#define VMCB_I1_CPUID		(1U << 18)
#define VMCB_I1_INVD		(1U << 22)
#define VMCB_I1_HLT		(1U << 24)
#define VMCB_I1_IOIO		(1U << 27)
#define VMCB_I1_MSR		(1U << 28)
#define VMCB_I1_SHUTDOWN	(1U << 31)
/* MISC2 intercept bits. */
#define VMCB_I2_VMRUN		(1U << 0)
#define VMCB_I2_VMMCALL		(1U << 1)
#define VMCB_I2_RDTSCP		(1U << 7)
#define VMCB_I2_WBINVD		(1U << 9)
#define VMCB_I2_MONITOR		(1U << 10)
#define VMCB_I2_MWAIT		(1U << 11)
#define VMCB_I2_EFER_TRAP	(1U << 15)
#define VMCB_I2_CR0_TRAP	(1U << 16)
#define VMCB_I2_CR4_TRAP	(1U << 20)
/* INTERCEPT_DR: reads in bits 0-15, writes in bits 16-31. */
#define VMCB_IDR_READ(n)	(1U << (n))
#define VMCB_IDR_WRITE(n)	(1U << (16 + (n)))

/* State save area (VMSA under SEV-ES), offsets within the save area. */
#define VMSA_ES			0x000
#define VMSA_CS			0x010
#define VMSA_SS			0x020
#define VMSA_DS			0x030
#define VMSA_FS			0x040
#define VMSA_GS			0x050
#define VMSA_GDTR		0x060
#define VMSA_LDTR		0x070
#define VMSA_IDTR		0x080
#define VMSA_TR			0x090
#define VMSA_CPL		0x0cb
#define VMSA_EFER		0x0d0
#define VMSA_CR4		0x148
#define VMSA_CR3		0x150
#define VMSA_CR0		0x158
#define VMSA_DR7		0x160
#define VMSA_DR6		0x168
#define VMSA_RFLAGS		0x170
#define VMSA_RIP		0x178
#define VMSA_RSP		0x1d8
#define VMSA_RAX		0x1f8
#define VMSA_CR2		0x240
#define VMSA_RCX		0x308
#define VMSA_RDX		0x310
#define VMSA_RBX		0x318
#define VMSA_RBP		0x328
#define VMSA_RSI		0x330
#define VMSA_RDI		0x338
#define VMSA_R8			0x340
#define VMSA_XCR0		0x3e8

/* Within a segment entry: selector, attributes, limit, base. */
#define VMSA_SEG_SEL		0x0
#define VMSA_SEG_ATTR		0x2
#define VMSA_SEG_LIMIT		0x4
#define VMSA_SEG_BASE		0x8

#define VMCB_SAVE_AREA		0x400

/* Exit codes the machine raises itself. */
#define VMEXIT_CR0_WRITE_TRAP	0x090
#define VMEXIT_CR4_WRITE_TRAP	0x094
#define VMEXIT_EFER_WRITE_TRAP	0x08f
#define VMEXIT_INTR		0x060
#define VMEXIT_HLT		0x078
#define VMEXIT_SHUTDOWN		0x07f
#define VMEXIT_NPF		0x400
#define VMEXIT_VMGEXIT		0x403
#define VMEXIT_INVALID		((uint64_t)-1)

static inline uint64_t
vmcb_get64(const uint8_t *p, unsigned int off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return (v);
}

static inline uint32_t
vmcb_get32(const uint8_t *p, unsigned int off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return (v);
}

static inline uint16_t
vmcb_get16(const uint8_t *p, unsigned int off)
{
	uint16_t v;

	memcpy(&v, p + off, sizeof(v));
	return (v);
}

static inline void
vmcb_put64(uint8_t *p, unsigned int off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

#endif /* SEVEMU_VMCB_H */
