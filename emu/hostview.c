/*
 * hostview.c - what the host sees of guest memory through its direct
 * map (PMAP_DIRECT_MAP), enforced with page protections.
 *
 * Private guest pages - those the guest maps with the C-bit - are not
 * readable by the host: on hardware it would read ciphertext.  A page
 * that was the GHCB at an earlier exit but is not the one the GHCB MSR
 * names now is not the handler's to read either.  Both are kept
 * PROT_NONE; when the handler touches one, the fault is noted as a
 * finding and the access is let through - to a page of "ciphertext"
 * for a private page, to the real page for an old GHCB - so the
 * handler goes on as it would on hardware and the run reports what it
 * did instead of crashing.
 */
#include <sys/mman.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conformance.h"
#include "cpu_internal.h"
#include "ghcb_access.h"
#include "hostview.h"
#include "physmem.h"
#include "seam.h"
#include "shadow.h"

#define NOLD		8
#define NFAULTS		8
#define CIPHER_BYTE	0xc5

enum { PAGE_OPEN, PAGE_PRIVATE, PAGE_OLD_GHCB, PAGE_CIPHER };

static struct {
	int		 active;
	uint8_t		*state;		/* per guest page, PAGE_* */
	uint64_t	 npages;
	uint64_t	 gpa_base, hpa_base, len;	/* the one RAM range */
	uint64_t	 ghcb;			/* GHCB page of this exit */
	uint64_t	 gen;			/* shadow generation seen */
	uint8_t		*applied;	/* shadow's private map, as enforced */
	uint64_t	 old[NOLD];		/* earlier GHCB pages */
	int		 nold;
	/* faults noted by the signal handler, reported later */
	struct {
		uint64_t gpa;
		int	 kind;
	} faults[NFAULTS];
	volatile int	 nfaults;
	struct sigaction prev;
} hv;

static uint8_t *
page_va(uint64_t pfn)
{
	return (seam_physmem.sm_direct + hv.hpa_base + pfn * 4096);
}

static void
set_prot(uint64_t pfn, int prot)
{
	mprotect(page_va(pfn), 4096, prot);
}

/* Puts the real page back into the direct map. */
static void
restore_page(uint64_t pfn)
{
	if (hv.state[pfn] == PAGE_CIPHER)
		physmem_remap_direct(hv.hpa_base + pfn * 4096, 4096);
	set_prot(pfn, PROT_READ | PROT_WRITE);
	hv.state[pfn] = PAGE_OPEN;
}

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	uint8_t *a = si->si_addr, *base = seam_physmem.sm_direct;
	uint64_t hpa, pfn;
	void *p;

	if (ghcb_access_fault(si, uc))
		return;
	if (!hv.active || a < base + hv.hpa_base ||
	    a >= base + hv.hpa_base + hv.len)
		goto not_ours;
	hpa = (uint64_t)(a - base);
	pfn = (hpa - hv.hpa_base) >> 12;
	if (hv.state[pfn] != PAGE_PRIVATE && hv.state[pfn] != PAGE_OLD_GHCB)
		goto not_ours;
	if (hv.nfaults < NFAULTS) {
		hv.faults[hv.nfaults].gpa = hv.gpa_base + pfn * 4096;
		hv.faults[hv.nfaults].kind = hv.state[pfn];
		hv.nfaults++;
	}
	if (hv.state[pfn] == PAGE_OLD_GHCB) {
		set_prot(pfn, PROT_READ | PROT_WRITE);
		hv.state[pfn] = PAGE_OPEN;
		return;
	}
	/* A private page: the host gets ciphertext, and keeps its writes. */
	p = mmap(page_va(pfn), 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		goto not_ours;
	memset(p, CIPHER_BYTE, 4096);
	hv.state[pfn] = PAGE_CIPHER;
	return;
not_ours:
	/* Someone else's fault: whoever handled SIGSEGV before us. */
	if (hv.prev.sa_flags & SA_SIGINFO && hv.prev.sa_sigaction != NULL)
		hv.prev.sa_sigaction(sig, si, uc);
	else if (hv.prev.sa_handler != SIG_DFL &&
	    hv.prev.sa_handler != SIG_IGN && hv.prev.sa_handler != NULL)
		hv.prev.sa_handler(sig);
	else {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
}

int
hostview_open(void)
{
	const struct guestmem_range *r;
	struct sigaction sa;

	hostview_close();
	if (cpu.gm.gm_n != 1)
		return (0);	/* one RAM range is all the runner makes */
	r = &cpu.gm.gm_r[0];
	hv.gpa_base = r->gr_gpa;
	hv.hpa_base = r->gr_hpa;
	hv.len = r->gr_len;
	hv.npages = r->gr_len >> 12;
	if ((hv.state = calloc(hv.npages, 1)) == NULL)
		return (-1);
	if ((hv.applied = calloc((hv.gpa_base + hv.len) / 4096 / 8 + 1,
	    1)) == NULL) {
		free(hv.state);
		hv.state = NULL;
		return (-1);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &hv.prev) != 0) {
		free(hv.state);
		free(hv.applied);
		hv.state = NULL;
		hv.applied = NULL;
		return (-1);
	}
	hv.active = 1;
	return (0);
}

void
hostview_close(void)
{
	uint64_t pfn;

	ghcb_access_close();
	if (!hv.active)
		return;
	for (pfn = 0; pfn < hv.npages; pfn++)
		if (hv.state[pfn] != PAGE_OPEN)
			restore_page(pfn);
	sigaction(SIGSEGV, &hv.prev, NULL);
	free(hv.state);
	free(hv.applied);
	memset(&hv, 0, sizeof(hv));
}

static int
is_old_ghcb(uint64_t gpa)
{
	int i;

	for (i = 0; i < hv.nold; i++)
		if (hv.old[i] == gpa)
			return (1);
	return (0);
}

/* Brings one page's protection in line with what it is now. */
static void
fix_page(uint64_t pfn)
{
	uint64_t gpa = hv.gpa_base + pfn * 4096;
	int want;

	if (pfn >= hv.npages)
		return;
	if (shadow_private(gpa))
		want = PAGE_PRIVATE;
	else if (gpa != hv.ghcb && is_old_ghcb(gpa))
		want = PAGE_OLD_GHCB;
	else
		want = PAGE_OPEN;
	if (hv.state[pfn] == want ||
	    (hv.state[pfn] == PAGE_CIPHER && want == PAGE_PRIVATE))
		return;
	if (hv.state[pfn] != PAGE_OPEN)
		restore_page(pfn);
	if (want != PAGE_OPEN) {
		set_prot(pfn, PROT_NONE);
		hv.state[pfn] = want;
	}
}

static void
fix_gpa(uint64_t gpa)
{
	if (gpa >= hv.gpa_base && gpa - hv.gpa_base < hv.len)
		fix_page((gpa - hv.gpa_base) >> 12);
}

/*
 * Pages whose private bit changed since the last update, and only those
 * (shadow.c says which bytes of its map changed):
 * a rebuilt shadow mostly maps what it mapped before, and a walk over
 * every page of a 3 GiB guest at each exit would cost milliseconds.
 */
static void
fix_changed(void)
{
	const uint8_t *now;
	uint64_t lo, hi, j, first, pfn;
	uint8_t d;
	int bit;

	now = shadow_private_changes(&lo, &hi);
	if (now == NULL)
		return;
	first = hv.gpa_base >> 12;
	if (hi > (first + hv.npages + 7) / 8)
		hi = (first + hv.npages + 7) / 8;
	for (j = lo; j < hi; j++) {
		if ((d = now[j] ^ hv.applied[j]) == 0)
			continue;
		for (bit = 0; bit < 8; bit++) {
			pfn = j * 8 + (uint64_t)bit;
			if ((d >> bit) & 1 && pfn >= first)
				fix_page(pfn - first);
		}
		hv.applied[j] = now[j];
	}
}

/*
 * Brings the protections in line with the guest's page tables and the
 * GHCB of this exit.
 */
static void
update(uint64_t ghcb_msr)
{
	uint64_t ghcb = 0, evicted = 0, prev;
	int i;

	if ((ghcb_msr & 0xfff) == 0 && ghcb_msr != 0)
		ghcb = ghcb_msr;
	/* Nothing to redo unless the tables or the GHCB changed. */
	if (hv.gen == shadow_generation() && (ghcb == 0 || ghcb == hv.ghcb))
		return;
	if (hv.gen != shadow_generation())
		fix_changed();
	hv.gen = shadow_generation();
	prev = hv.ghcb;
	if (ghcb != hv.ghcb && hv.ghcb != 0 && !is_old_ghcb(hv.ghcb)) {
		if (hv.nold == NOLD) {
			evicted = hv.old[0];
			memmove(hv.old, hv.old + 1, (NOLD - 1) * sizeof(hv.old[0]));
			hv.nold--;
		}
		hv.old[hv.nold++] = hv.ghcb;
	}
	if (ghcb != 0)
		hv.ghcb = ghcb;
	/* The GHCB pages whose standing may have changed. */
	if (evicted != 0)
		fix_gpa(evicted);
	if (prev != 0)
		fix_gpa(prev);
	fix_gpa(hv.ghcb);
	for (i = 0; i < hv.nold; i++)
		fix_gpa(hv.old[i]);
}

void
hostview_update(uint64_t ghcb_msr)
{
	uint64_t pfn;

	if (!hv.active)
		return;
	update(ghcb_msr);
	/* The access log watches a GHCB that is the handler's to touch. */
	pfn = (ghcb_msr - hv.gpa_base) >> 12;
	if ((ghcb_msr & 0xfff) == 0 && ghcb_msr != 0 &&
	    ghcb_msr >= hv.gpa_base && pfn < hv.npages &&
	    hv.state[pfn] == PAGE_OPEN)
		ghcb_access_begin(page_va(pfn), ghcb_msr);
	else
		ghcb_access_begin(NULL, 0);
}

/* Turns the faults the handler took into findings. */
void
hostview_report(void)
{
	int i, n = hv.nfaults;

	ghcb_access_end();

	for (i = 0; i < n && i < NFAULTS; i++) {
		if (hv.faults[i].kind == PAGE_PRIVATE)
			conformance_finding("handler touched private guest page "
			    "GPA 0x%" PRIx64 " (the guest maps it with the "
			    "C-bit; the host sees ciphertext)",
			    hv.faults[i].gpa);
		else
			conformance_finding("handler read GPA 0x%" PRIx64 ", an "
			    "earlier GHCB; at this exit the GHCB MSR names "
			    "0x%" PRIx64, hv.faults[i].gpa, hv.ghcb);
	}
	hv.nfaults = 0;
}
