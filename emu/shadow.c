/*
 * shadow.c - shadow page tables, so that the C-bit works.
 *
 * A SEV-ES guest marks its private pages with the C-bit, bit 51 on the
 * modelled part.  Unicorn's page walker knows 40 physical address bits
 * and takes any higher one for a reserved bit: a #PF in 64-bit and in
 * PAE mode alike.  So the emulator never walks the guest's own tables:
 * Unicorn's CR3 points at a copy with the C-bit taken out of every
 * entry, rebuilt whenever the architecture says translations may change
 * (MOV to CR3, INVLPG, paging mode changes).  Unicorn walks the copy
 * for every translation (2.1 does; 2.0 ignored tables set up at VMRUN
 * outside an identity map), so the copy governs what the guest reaches.
 * The copy is also where the CPU learns which guest pages are private.
 *
 * On hardware the C-bit of the mapping an access goes through decides
 * whether that access is encrypted.  sevemu keeps one view per page:
 * a page the guest maps only with the C-bit is private (the host sees
 * ciphertext); a page it maps without the C-bit anywhere is shared,
 * even where an encrypted alias also covers it, as OpenBSD's 2 MiB
 * direct map covers the GHCB pages locore0 maps unencrypted.  So
 * sevemu assumes a page mapped both ways is written through its
 * unencrypted mapping; what a write through the encrypted alias would
 * leave there (ciphertext) is not modelled.
 */
#include <sys/mman.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "shadow.h"

#define PTE_P		0x001ULL
#define PTE_PS		0x080ULL
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL

#define CR0_PG		(1ULL << 31)
#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)

static uint8_t	*pool;		/* host memory of the shadow pages */
static unsigned int npages;	/* pages in use; page 0 is the root */
static int	 failed;
static uint64_t	 generation;
/* Bits per guest page: mapped with the C-bit, mapped without it. */
static uint8_t	*enc_map, *plain_map;
/*
 * Private pages, enc_map & ~plain_map, and the bytes of it that changed
 * since the host view last asked: [dirty_lo, dirty_hi).
 */
static uint8_t	*private_map;
static uint64_t	 dirty_lo = UINT64_MAX, dirty_hi;
/* Leaves (GPA | C-bit, size) of this build and of the last applied. */
struct leaf {
	uint64_t	 l_gpa;
	uint64_t	 l_size;
};
static struct leaf *leaves, *prev_leaves;
static size_t	 nleaves, capleaves, nprev, capprev;
static int	 leaves_lost;

static void	 derive_private(void);
static uint64_t	 private_pages;

uint64_t
shadow_generation(void)
{
	return (generation);
}

const uint8_t *
shadow_private_changes(uint64_t *lo, uint64_t *hi)
{
	*lo = dirty_lo;
	*hi = dirty_hi;
	dirty_lo = UINT64_MAX;
	dirty_hi = 0;
	return (private_map);
}

int
shadow_private(uint64_t gpa)
{
	uint64_t pfn = gpa >> 12;

	if (pfn >= private_pages)
		return (0);
	return (((enc_map[pfn / 8] & ~plain_map[pfn / 8]) >> (pfn % 8)) & 1);
}

int
shadow_open(void)
{
	const struct guestmem_range *r;
	uc_err err;
	int i;

	private_pages = 0;
	for (i = 0; i < cpu.gm.gm_n; i++) {
		r = &cpu.gm.gm_r[i];
		if ((r->gr_gpa + r->gr_len) >> 12 > private_pages)
			private_pages = (r->gr_gpa + r->gr_len) >> 12;
		if (r->gr_gpa + r->gr_len > SHADOW_BASE) {
			cpu_fail(CPU_INVALID, "guest RAM reaches past 0x%llx, "
			    "where the CPU keeps its shadow page tables",
			    (unsigned long long)SHADOW_BASE);
			return (-1);
		}
	}
	enc_map = calloc(private_pages / 8 + 1, 1);
	plain_map = calloc(private_pages / 8 + 1, 1);
	private_map = calloc(private_pages / 8 + 1, 1);
	if (enc_map == NULL || plain_map == NULL || private_map == NULL) {
		cpu_fail(CPU_INVALID, "out of memory");
		return (-1);
	}

	pool = mmap(NULL, SHADOW_PAGES * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED) {
		pool = NULL;
		cpu_fail(CPU_INVALID, "cannot allocate shadow page tables");
		return (-1);
	}
	err = uc_mem_map_ptr(cpu.uc, SHADOW_BASE, SHADOW_PAGES * 4096,
	    UC_PROT_READ | UC_PROT_WRITE, pool);
	if (err != UC_ERR_OK) {
		cpu_fail(CPU_INVALID, "unicorn: cannot map shadow page tables: "
		    "%s", uc_strerror(err));
		return (-1);
	}
	return (0);
}

void
shadow_close(void)
{
	if (pool != NULL)
		munmap(pool, SHADOW_PAGES * 4096);
	pool = NULL;
	npages = 0;
	free(enc_map);
	free(plain_map);
	free(private_map);
	enc_map = plain_map = private_map = NULL;
	dirty_lo = UINT64_MAX;
	dirty_hi = 0;
	free(leaves);
	free(prev_leaves);
	leaves = prev_leaves = NULL;
	nleaves = capleaves = nprev = capprev = 0;
	leaves_lost = 0;
	private_pages = 0;
}

static uint64_t
alloc_page(void)
{
	if (npages == SHADOW_PAGES) {
		failed = 1;
		return (0);
	}
	memset(pool + (uint64_t)npages * 4096, 0, 4096);
	return (SHADOW_BASE + (uint64_t)npages++ * 4096);
}

static void
mark_leaf(uint64_t gpa, uint64_t size, int encrypted)
{
	uint8_t *map = encrypted ? enc_map : plain_map;
	uint64_t pfn = gpa >> 12, end = (gpa + size) >> 12;

	if (end > private_pages)
		end = private_pages;
	/* Bits up to a byte boundary, whole bytes, then the rest. */
	for (; pfn < end && pfn % 8 != 0; pfn++)
		map[pfn / 8] |= 1U << (pfn % 8);
	if (end > pfn && end - pfn >= 8) {
		memset(map + pfn / 8, 0xff, (end - pfn) / 8);
		pfn += (end - pfn) / 8 * 8;
	}
	for (; pfn < end; pfn++)
		map[pfn / 8] |= 1U << (pfn % 8);
}

/*
 * The leaves of a build are listed first and marked in the maps after
 * the walk, and only when they differ from the last build's: a guest
 * that reloads CR3 with the same tables costs a walk, not a pass over
 * maps as large as its RAM.
 */
static void
note_leaf(uint64_t gpa, uint64_t size, int encrypted)
{
	struct leaf *nl;
	size_t cap;

	if (nleaves == capleaves) {
		cap = capleaves ? capleaves * 2 : 1024;
		if ((nl = realloc(leaves, cap * sizeof(*nl))) == NULL) {
			leaves_lost = 1;
			return;
		}
		leaves = nl;
		capleaves = cap;
	}
	leaves[nleaves].l_gpa = gpa | (encrypted ? 1 : 0);
	leaves[nleaves].l_size = size;
	nleaves++;
}

/* Brings the maps in line with this build's leaves if they changed. */
static void
apply_leaves(void)
{
	struct leaf *t;
	size_t i, tcap;

	if (!leaves_lost && nleaves == nprev && (nleaves == 0 ||
	    memcmp(leaves, prev_leaves, nleaves * sizeof(*leaves)) == 0))
		return;
	memset(enc_map, 0, private_pages / 8 + 1);
	memset(plain_map, 0, private_pages / 8 + 1);
	for (i = 0; i < nleaves; i++)
		mark_leaf(leaves[i].l_gpa & ~1ULL, leaves[i].l_size,
		    leaves[i].l_gpa & 1);
	derive_private();
	/* A list that lost leaves never matches: keep none. */
	t = prev_leaves;
	tcap = capprev;
	prev_leaves = leaves;
	capprev = capleaves;
	nprev = leaves_lost ? SIZE_MAX : nleaves;
	leaves = t;
	capleaves = tcap;
	nleaves = 0;
	leaves_lost = 0;
}

/*
 * Copies one table.  wide: 8-byte entries; level: 4..1 (2-level paging
 * uses 2 and 1; PAE's PDPT is level 3 with 4 entries).
 */
static void
copy_table(uint64_t gtable, uint64_t stable, int level, int wide,
    int entries)
{
	uint64_t cbit = wide ? cpu.cbit : 0;
	uint64_t mask = wide ? PTE_ADDR & ~cbit : 0xfffff000ULL;
	uint8_t *g = guestmem_ptr(&cpu.gm, gtable, entries * (wide ? 8 : 4));
	uint8_t *s = pool + (stable - SHADOW_BASE);
	uint64_t e, child;
	int i, large;

	if (g == NULL)
		return;		/* a table outside RAM maps nothing */
	for (i = 0; i < entries; i++) {
		if (wide)
			memcpy(&e, g + i * 8, 8);
		else {
			uint32_t e32;

			memcpy(&e32, g + i * 4, 4);
			e = e32;
		}
		if ((e & PTE_P) == 0)
			continue;
		large = level == 1 || ((e & PTE_PS) && (level == 2 ||
		    (level == 3 && wide && entries == 512)) &&
		    (wide || (cpu_reg(UC_X86_REG_CR4) & CR4_PSE)));
		if (large) {
			uint64_t size = level == 1 ? 4096 : wide ?
			    (1ULL << (12 + 9 * (level - 1))) : (4ULL << 20);

			note_leaf(e & mask & ~(size - 1), size, (e & cbit) != 0);
			e &= ~cbit;
		} else {
			if ((child = alloc_page()) == 0)
				return;
			copy_table(e & mask, child, level - 1, wide,
			    wide ? 512 : 1024);
			e = (e & ~mask & ~cbit) | child;
		}
		if (wide)
			memcpy(s + i * 8, &e, 8);
		else {
			uint32_t e32 = (uint32_t)e;

			memcpy(s + i * 4, &e32, 4);
		}
	}
}

static void
dirty(uint64_t i, uint64_t n)
{
	if (i < dirty_lo)
		dirty_lo = i;
	if (i + n > dirty_hi)
		dirty_hi = i + n;
}

/* A word at a time: at 3 GiB of RAM the maps are 96 KiB each. */
static void
derive_private(void)
{
	uint64_t i, n = private_pages / 8 + 1, e, p, old;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&e, enc_map + i, 8);
		memcpy(&p, plain_map + i, 8);
		memcpy(&old, private_map + i, 8);
		e &= ~p;
		if (e != old) {
			memcpy(private_map + i, &e, 8);
			dirty(i, 8);
		}
	}
	for (; i < n; i++)
		if ((enc_map[i] & ~plain_map[i]) != private_map[i]) {
			private_map[i] = enc_map[i] & ~plain_map[i];
			dirty(i, 1);
		}
}

int
shadow_build(uint64_t cr3, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	npages = 0;
	failed = 0;
	generation++;
	nleaves = 0;
	leaves_lost = 0;
	alloc_page();			/* the root, at SHADOW_BASE */
	if ((cr0 & CR0_PG) == 0) {
		apply_leaves();
		return (0);
	}
	if (efer & EFER_LME)
		copy_table(cr3 & PTE_ADDR & ~cpu.cbit, SHADOW_BASE, 4, 1, 512);
	else if (cr4 & CR4_PAE)
		copy_table(cr3 & 0xffffffe0ULL, SHADOW_BASE, 3, 1, 4);
	else
		copy_table(cr3 & 0xfffff000ULL, SHADOW_BASE, 2, 0, 1024);
	apply_leaves();
	if (failed) {
		cpu_fail(CPU_SHUTDOWN, "the guest's page tables need more than "
		    "%d shadow pages", SHADOW_PAGES);
		return (-1);
	}
	return (0);
}
