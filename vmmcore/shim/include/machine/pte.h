/*
 * machine/pte.h - amd64 page table entries (also the format of nested
 * page tables under SVM).
 */
#ifndef _SHIM_MACHINE_PTE_H_
#define _SHIM_MACHINE_PTE_H_

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

#endif /* _SHIM_MACHINE_PTE_H_ */
