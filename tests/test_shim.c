/*
 * The kernel shim's pieces on their own: the page allocator over host
 * memory, nested page tables, and the MSR-protocol encoding.
 */
#include <criterion/criterion.h>

#include "physmem.h"
#include "shim.h"

static void
boot(void)
{
	cr_assert_eq(physmem_create(4ULL << 20, 8ULL << 20), 0);
	cr_assert_eq(shim_km_boot(), 0);
}

static void
halt(void)
{
	shim_km_shutdown();
	physmem_destroy();
}

Test(shim, km_hands_out_kernel_pages_never_page_zero)
{
	uint64_t a, b, used;

	boot();
	used = shim_km_pages_used();
	a = shim_km_alloc_pages(1);
	b = shim_km_alloc_pages(3);
	cr_assert_neq(a, 0);
	cr_assert_neq(b, 0);
	cr_assert_eq(a & 0xfff, 0);
	cr_assert_lt(b + 3 * 4096, (4ULL << 20) + 1);
	cr_assert(b + 3 * 4096 <= a || a + 4096 <= b, "pages overlap");
	cr_assert_eq(shim_km_pages_used(), used + 4);
	shim_km_free_pages(a, 1);
	shim_km_free_pages(b, 3);
	cr_assert_eq(shim_km_pages_used(), used);
	halt();
}

Test(shim, km_runs_out_cleanly)
{
	boot();
	cr_assert_eq(shim_km_alloc_pages(shim_km_pages_total() + 1), 0);
	halt();
}

Test(shim, npt_maps_and_walks)
{
	struct pmap *pm;
	uint64_t hpa;

	boot();
	pm = shim_npt_create();
	cr_assert_not_null(pm);
	cr_assert_eq(shim_npt_map(pm, 0, 4ULL << 20, 8ULL << 20), 0);
	cr_assert_eq(shim_npt_extract(pm, 0x123456, &hpa), 1);
	cr_assert_eq(hpa, (4ULL << 20) + 0x123456);
	cr_assert_eq(shim_npt_extract(pm, (8ULL << 20) - 1, &hpa), 1);
	cr_assert_eq(hpa, (12ULL << 20) - 1);
	cr_assert_eq(shim_npt_extract(pm, 8ULL << 20, &hpa), 0);
	cr_assert_neq(shim_npt_root(pm), 0);
	/* Below the PML4, a PDPT and one PD of 2 MiB pages cover 8 MiB. */
	cr_assert_eq(shim_npt_table_pages(pm), 2);
	shim_npt_destroy(pm);
	halt();
}

Test(shim, msrproto_cpuid_encoding)
{
	unsigned int reg;
	uint32_t val;

	cr_assert_eq(shim_msrproto_cpuid_req(0x8000001f, 1),
	    0x8000001f40000004ULL);
	cr_assert_eq(shim_msrproto_cpuid_resp(0x0000007340000005ULL, &reg,
	    &val), 0);
	cr_assert_eq(reg, 1);
	cr_assert_eq(val, 0x73);
	/* Wrong code, or reserved bits 29:12 set: not a response. */
	cr_assert_neq(shim_msrproto_cpuid_resp(0x0000007340000004ULL, &reg,
	    &val), 0);
	cr_assert_neq(shim_msrproto_cpuid_resp(0x0000007340001005ULL, &reg,
	    &val), 0);
}

Test(shim, msrproto_terminate_encoding)
{
	uint8_t set, code;

	cr_assert_eq(shim_msrproto_terminate(1, 0x2a), 0x2a1100ULL);
	cr_assert_eq(shim_msrproto_term_decode(0x2a1100ULL, &set, &code), 0);
	cr_assert_eq(set, 1);
	cr_assert_eq(code, 0x2a);
	cr_assert_neq(shim_msrproto_term_decode(0x2a1004ULL, &set, &code), 0);
}
