/*
 * ghcb.h - the Guest-Hypervisor Communication Block of SEV-ES (AMD
 * GHCB specification 56421): the shared page's layout, its valid
 * bitmap and the MSR protocol codes the host side understands.
 */
#ifndef _MACHINE_GHCB_H_
#define _MACHINE_GHCB_H_

#include <sys/types.h>

/*
 * Each valid-bitmap bit covers one quadword of the page: bit n of the
 * bitmap says the guest wrote the quadword at offset 8 * n.
 */
#define GHCB_OFFSET(m)		((m) / 8)
#define GHCB_IDX(m)		(GHCB_OFFSET((m)) / 8)
#define GHCB_BIT(m)		(GHCB_OFFSET((m)) % 8)

/* Field offsets, used as valid-bitmap positions. */
#define GHCB_CPL		0x0CB
#define GHCB_XSS		0x140
#define GHCB_RAX		0x1F8
#define GHCB_RBX		0x318
#define GHCB_RCX		0x308
#define GHCB_RDX		0x310
#define GHCB_SW_EXITCODE	0x390
#define GHCB_SW_EXITINFO1	0x398
#define GHCB_SW_EXITINFO2	0x3A0
#define GHCB_SW_SCRATCH		0x3A8
#define GHCB_XCR0		0x3E8

#define GHCB_MAX		0xFFF
#define GHCB_VB_SZ		0x10

/* The shared buffer: where string I/O and MMIO data travel. */
#define GHCB_SHAREDBUF		0x800
#define GHCB_SHAREDBUF_SZ	0x7F0

#define GHCB_SZ8		0
#define GHCB_SZ16		1
#define GHCB_SZ32		2
#define GHCB_SZ64		3

struct ghcb_sa {
	uint8_t		v_pad0[0xcb];		/* 000h */
	uint8_t		v_cpl;			/* 0CBh */
	uint8_t		v_pad1[0x74];		/* 0CCh */
	uint64_t	v_xss;			/* 140h */
	uint8_t		v_pad2[0x18];		/* 148h */
	uint64_t	v_dr7;			/* 160h */
	uint8_t		v_pad3[0x10];		/* 168h */
	uint64_t	v_rip;			/* 178h */
	uint8_t		v_pad4[0x58];		/* 180h */
	uint64_t	v_rsp;			/* 1D8h */
	uint8_t		v_pad5[0x18];		/* 1E0h */
	uint64_t	v_rax;			/* 1F8h */
	uint8_t		v_pad6[0x108];		/* 200h */
	uint64_t	v_rcx;			/* 308h */
	uint64_t	v_rdx;			/* 310h */
	uint64_t	v_rbx;			/* 318h */
	uint8_t		v_pad7[0x8];		/* 320h */
	uint64_t	v_rbp;			/* 328h */
	uint64_t	v_rsi;			/* 330h */
	uint64_t	v_rdi;			/* 338h */
	uint64_t	v_r8;			/* 340h */
	uint64_t	v_r9;			/* 348h */
	uint64_t	v_r10;			/* 350h */
	uint64_t	v_r11;			/* 358h */
	uint64_t	v_r12;			/* 360h */
	uint64_t	v_r13;			/* 368h */
	uint64_t	v_r14;			/* 370h */
	uint64_t	v_r15;			/* 378h */
	uint8_t		v_pad8[0x10];		/* 380h */
	uint64_t	v_sw_exitcode;		/* 390h */
	uint64_t	v_sw_exitinfo1;		/* 398h */
	uint64_t	v_sw_exitinfo2;		/* 3A0h */
	uint64_t	v_sw_scratch;		/* 3A8h */
	uint8_t		v_pad9[0x38];		/* 3B0h */
	uint64_t	v_xcr0;			/* 3E8h */
	uint8_t		valid_bitmap[0x10];	/* 3F0h */
	uint64_t	v_x87_state_gpa;	/* 400h */
	uint8_t		v_pad10[0x3f8];		/* 408h */
	uint8_t		v_sharedbuf[0x7f0];	/* 800h */
	uint8_t		v_pad11[0xa];		/* FF0h */
	uint16_t	v_ghcb_proto_version;	/* FFAh */
	uint32_t	v_ghcb_usage;		/* FFCh */
};

/* GHCB MSR protocol: request and response codes in bits 11:0. */
#define MSR_PROTO_SEV_INFO_RESP		0x001
#define MSR_PROTO_SEV_INFO_REQ		0x002
#define MSR_PROTO_CPUID_REQ		0x004
#define MSR_PROTO_CPUID_RESP		0x005
#define MSR_PROTO_AP_RESET_HOLD_REQ	0x006
#define MSR_PROTO_AP_RESET_HOLD_RESP	0x007
#define MSR_PROTO_PREF_GPA_REQ		0x010
#define MSR_PROTO_PREF_GPA_RESP		0x011
#define MSR_PROTO_REG_GPA_REQ		0x012
#define MSR_PROTO_REG_GPA_RESP		0x013
#define MSR_PROTO_HV_FEAT_REQ		0x080
#define MSR_PROTO_HV_FEAT_RESP		0x081
#define MSR_PROTO_TERMINATE		0x100

/*
 * The GHCB protocol versions the host side speaks.  Beyond version 1,
 * version 2 asks an SEV-ES (not SNP) hypervisor for the AP reset hold
 * and hypervisor feature MSR protocol requests and the hypervisor
 * feature support NAE event; the SNP parts of version 2 are for SNP
 * hypervisors only.
 */
#define GHCB_PROTO_MIN			1
#define GHCB_PROTO_MAX			2

/* AP jump table NAE event: the sub-function in sw_exitinfo1. */
#define GHCB_AP_JUMP_TABLE_SET		0
#define GHCB_AP_JUMP_TABLE_GET		1

/*
 * The hypervisor's answer in sw_exitinfo1[31:0]: 0 success, 1 an
 * exception for the guest to raise (sw_exitinfo2 in event injection
 * format), 2 a request it refuses (sw_exitinfo2 says why, GHCB_ERR_*).
 */
#define GHCB_RESP_OK			0
#define GHCB_RESP_EXCEPTION		1
#define GHCB_RESP_BAD_INPUT		2

#define GHCB_ERR_NOT_REGISTERED		1
#define GHCB_ERR_INVALID_USAGE		2
#define GHCB_ERR_INVALID_SCRATCH_AREA	3
#define GHCB_ERR_MISSING_INPUT		4
#define GHCB_ERR_INVALID_INPUT		5
#define GHCB_ERR_INVALID_EVENT		6

void	ghcb_clear(struct ghcb_sa *);
int	ghcb_valbm_set(uint8_t *, int);
int	ghcb_valbm_isset(uint8_t *, int);
int	ghcb_valid(struct ghcb_sa *);
int	ghcb_verify_bm(uint8_t *, uint8_t *);

#endif /* _MACHINE_GHCB_H_ */
