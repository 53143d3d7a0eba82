/*
 * Unit tests of the machine's parts: the intercept decoder and the
 * software page walker.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "decode.h"
#include "guestmem.h"

struct found {
	int		n;
	uint64_t	addr[16];
	enum site_kind	kind[16];
	uint8_t		len[16];
};

static void
collect(void *arg, uint64_t addr, uint8_t len, enum site_kind kind)
{
	struct found *f = arg;

	if (f->n < 16) {
		f->addr[f->n] = addr;
		f->len[f->n] = len;
		f->kind[f->n++] = kind;
	}
}

Test(decode, finds_every_intercept_site)
{
	static const uint8_t code[] = {
		0x0f, 0xa2,			/* cpuid */
		0x48, 0x89, 0xc3,		/* mov %rax, %rbx */
		0x0f, 0x32,			/* rdmsr */
		0x0f, 0x30,			/* wrmsr */
		0xf3, 0x0f, 0x01, 0xd9,		/* vmgexit */
		0xec,				/* in (%dx), %al */
		0xe6, 0x80,			/* out %al, $0x80 */
		0x0f, 0x21, 0xf8,		/* mov %dr7, %rax */
		0x0f, 0x22, 0xc0,		/* mov %rax, %cr0 */
		0x0f, 0x01, 0xd9,		/* vmmcall */
		0xf4,				/* hlt */
	};
	static const enum site_kind want[] = {
		SITE_CPUID, SITE_RDMSR, SITE_WRMSR, SITE_VMGEXIT
	};
	struct decoder d;
	struct found f;
	unsigned int n;
	int i;

	cr_assert_eq(decoder_open(&d), 0);
	memset(&f, 0, sizeof(f));
	n = decode_block(&d, 64, code, sizeof(code), 0x1000, 13, collect, &f);
	/* cpuid, mov, rdmsr, wrmsr, vmgexit: 13 bytes, 5 instructions. */
	cr_assert_eq(n, 5);
	cr_assert_eq(f.n, 4);
	for (i = 0; i < 4; i++)
		cr_assert_eq(f.kind[i], want[i], "site %d", i);
	cr_assert_eq(f.addr[3], 0x1009);
	cr_assert_eq(f.len[3], 4);

	memset(&f, 0, sizeof(f));
	decode_block(&d, 64, code + 13, sizeof(code) - 13, 0x100d,
	    sizeof(code) - 13, collect, &f);
	cr_assert_eq(f.n, 6);
	cr_assert_eq(f.kind[0], SITE_IOIO);
	cr_assert_eq(f.kind[1], SITE_IOIO);
	cr_assert_eq(f.kind[2], SITE_DR_READ);
	cr_assert_eq(f.kind[3], SITE_CR_WRITE);
	cr_assert_eq(f.kind[4], SITE_VMMCALL);
	cr_assert_eq(f.kind[5], SITE_HLT);
	decoder_close(&d);
}

Test(decode, text_names_vmgexit)
{
	static const uint8_t vmgexit[] = { 0xf3, 0x0f, 0x01, 0xd9 };
	static const uint8_t rdmsr[] = { 0x0f, 0x32 };
	struct decoder d;
	char buf[64];

	cr_assert_eq(decoder_open(&d), 0);
	decode_text(&d, 64, vmgexit, sizeof(vmgexit), 0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "vmgexit");
	decode_text(&d, 64, rdmsr, sizeof(rdmsr), 0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "rdmsr");
	decoder_close(&d);
}

/* 4-level tables with the C-bit at 51 on the leaf. */
Test(guestmem, walk_strips_the_cbit)
{
	static uint64_t mem[5 * 512] __attribute__((aligned(4096)));
	struct guestmem gm;
	struct paging pg;
	uint64_t gpa, cbit = 1ULL << 51;
	int c;

	memset(mem, 0, sizeof(mem));
	memset(&gm, 0, sizeof(gm));
	gm.gm_n = 1;
	gm.gm_r[0].gr_gpa = 0;
	gm.gm_r[0].gr_len = sizeof(mem);
	gm.gm_r[0].gr_host = (uint8_t *)mem;
	mem[0] = 0x1000 | cbit | 3;			/* PML4[0] */
	mem[512 + 0] = 0x2000 | cbit | 3;		/* PDPT[0] */
	mem[1024 + 1] = 0x200000 | cbit | 0x83;		/* PD[1]: 2 MiB */
	mem[1024 + 0] = 0x3000 | 3;			/* PD[0] */
	mem[1536 + 4] = 0x4000 | 3;			/* PT[4], shared */
	memset(&pg, 0, sizeof(pg));
	pg.pg_cr0 = 0x80000001;
	pg.pg_cr3 = 0;
	pg.pg_cr4 = 0x20;
	pg.pg_efer = 0x500;
	pg.pg_cbit = cbit;

	cr_assert_eq(guestmem_walk(&gm, &pg, 0x212345, &gpa, &c), 0);
	cr_assert_eq(gpa, 0x212345);
	cr_assert_eq(c, 1);
	cr_assert_eq(guestmem_walk(&gm, &pg, 0x4010, &gpa, &c), 0);
	cr_assert_eq(gpa, 0x4010);
	cr_assert_eq(c, 0);
	cr_assert_eq(guestmem_walk(&gm, &pg, 0x5000, &gpa, &c), -1);
	cr_assert_eq(guestmem_walk(&gm, &pg, 0x40000000, &gpa, &c), -1);
}

Test(guestmem, paging_off_is_identity)
{
	struct guestmem gm;
	struct paging pg;
	uint64_t gpa;

	memset(&gm, 0, sizeof(gm));
	memset(&pg, 0, sizeof(pg));
	pg.pg_cr0 = 1;
	cr_assert_eq(guestmem_walk(&gm, &pg, 0x1234, &gpa, NULL), 0);
	cr_assert_eq(gpa, 0x1234);
}
