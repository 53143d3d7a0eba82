/*
 * machine/pte.h - amd64 page table entries (also the format of nested
 * page tables under SVM).
 */
#ifndef _SHIM_MACHINE_PTE_H_
#define _SHIM_MACHINE_PTE_H_

#include <sys/types.h>

#define L1_SHIFT	12
#define L2_SHIFT	21
#define L3_SHIFT	30
#define L4_SHIFT	39
#define NBPD_L1		(1ULL << L1_SHIFT)
#define NBPD_L2		(1ULL << L2_SHIFT)
#define NBPD_L3		(1ULL << L3_SHIFT)
#define NBPD_L4		(1ULL << L4_SHIFT)

#define PG_V		0x0000000000000001UL
#define PG_RW		0x0000000000000002UL
#define PG_u		0x0000000000000004UL
#define PG_PS		0x0000000000000080UL
#define PG_NX		0x8000000000000000UL
#define PG_FRAME	0x000ffffffffff000UL
#define PG_LGFRAME	0x000fffffffe00000UL

/* Set by the MMU: PG_U (used) on any access, PG_M on a write. */
#define PG_U		0x0000000000000020UL
#define PG_M		0x0000000000000040UL

/* Virtual address bits each level indexes. */
#define L4_MASK		0x0000ff8000000000UL
#define L3_MASK		0x0000007fc0000000UL
#define L2_MASK		0x000000003fe00000UL
#define L1_MASK		0x00000000001ff000UL

#ifndef _LOCORE
typedef uint64_t	pt_entry_t;	/* a PTE */
typedef uint64_t	pd_entry_t;	/* a PDE */
#endif

/* PKRU with every protection key but key 0 access-disabled. */
#define PGK_VALUE	0xfffffffc

#endif /* _SHIM_MACHINE_PTE_H_ */
