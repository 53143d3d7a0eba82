/*
 * bench_roundtrip - MSR-protocol CPUID round trips per second through
 * the whole stack (guest, CPU, VMRUN, vcpu_run_svm, svm_handle_vmgexit,
 * vmm_handle_cpuid), and the same loop on bare Unicorn with address
 * hooks doing the least the protocol needs, for a ratio; #VC CPUID
 * round trips; a MOV to CR3 and an exit with 16 MiB and 3 GiB of guest
 * RAM.  Prints figures, or with --json one object; asserts nothing.
 * Not a test.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "runner.h"

#define MSR_GHCB	0xc0010130U
#define ROUNDS		3

/*
 * The process's CPU time, not the wall clock: on a shared machine the
 * time the process waits for a core is not the emulator's.
 */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static double
run_sevemu(const char *image, uint64_t iters, uint64_t mem, uint64_t *exits)
{
	struct runner_config rc;
	struct run_result rr;
	struct runner r;
	char err[512];
	uint64_t *n;
	double t0, t;

	memset(&rc, 0, sizeof(rc));
	rc.rc_image = image;
	rc.rc_budget = iters * 10000 + 1000000;
	rc.rc_mem = mem;
	if (runner_open(&r, &rc, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	if ((n = runner_symbol(&r, "iterations", 8)) == NULL) {
		fprintf(stderr, "bench: %s has no 'iterations'\n", image);
		exit(1);
	}
	*n = iters;
	t0 = now();
	runner_run(&r, &rr);
	t = now() - t0;
	if (rr.rr_stop != RUN_HALTED) {
		fprintf(stderr, "bench: guest did not halt: %s\n",
		    rr.rr_reason);
		exit(1);
	}
	*exits = rr.rr_exits;
	runner_close(&r);
	return (t);
}

/* The bare loop's state: the GHCB MSR and where each site is. */
struct bare {
	uint64_t	msr;
	uint64_t	wrmsr_at, vmgexit_at, rdmsr_at;
};

static void
bare_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct bare *b = arg;
	uint64_t rax, rdx, rip;

	(void)size;
	if (addr == b->wrmsr_at) {
		uc_reg_read(uc, UC_X86_REG_RAX, &rax);
		uc_reg_read(uc, UC_X86_REG_RDX, &rdx);
		b->msr = (rax & 0xffffffffULL) | rdx << 32;
		rip = addr + 2;
	} else if (addr == b->vmgexit_at) {
		/* Answer with the leaf itself, as a stand-in value. */
		b->msr = (b->msr & 0xffffffff00000000ULL) |
		    (b->msr & 0xc0000000ULL) | 0x005;
		rip = addr + 4;
	} else {
		rax = b->msr & 0xffffffffULL;
		rdx = b->msr >> 32;
		uc_reg_write(uc, UC_X86_REG_RAX, &rax);
		uc_reg_write(uc, UC_X86_REG_RDX, &rdx);
		rip = addr + 2;
	}
	uc_reg_write(uc, UC_X86_REG_RIP, &rip);
}

static double
run_bare(uint64_t iters)
{
	/*
	 * 1: mov $0x4, %eax ; mov $0x0, %edx ; mov $MSR_GHCB, %ecx
	 *    wrmsr ; vmgexit ; rdmsr ; dec %rbx ; jnz 1b ; hlt
	 */
	static const uint8_t code[] = {
		0xb8, 0x04, 0x00, 0x00, 0x00,
		0xba, 0x00, 0x00, 0x00, 0x00,
		0xb9, 0x30, 0x01, 0x01, 0xc0,
		0x0f, 0x30,
		0xf3, 0x0f, 0x01, 0xd9,
		0x0f, 0x32,
		0x48, 0xff, 0xcb,
		0x75, 0xe4,
		0xf4,
	};
	const uint64_t base = 0x100000;
	struct bare b = { 0, base + 15, base + 17, base + 21 };
	uc_engine *uc;
	uc_hook h;
	double t0, t;

	if (uc_open(UC_ARCH_X86, UC_MODE_64, &uc) != UC_ERR_OK ||
	    uc_mem_map(uc, base, 0x1000, UC_PROT_ALL) != UC_ERR_OK ||
	    uc_mem_write(uc, base, code, sizeof(code)) != UC_ERR_OK) {
		fprintf(stderr, "bench: unicorn setup failed\n");
		exit(1);
	}
	uc_reg_write(uc, UC_X86_REG_RBX, &iters);
	uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)bare_hook, &b, b.wrmsr_at,
	    b.wrmsr_at);
	uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)bare_hook, &b, b.vmgexit_at,
	    b.vmgexit_at);
	uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)bare_hook, &b, b.rdmsr_at,
	    b.rdmsr_at);
	t0 = now();
	uc_emu_start(uc, base, base + sizeof(code) - 1, 0, 0);
	t = now() - t0;
	uc_close(uc);
	return (t);
}

/* Another guest image beside bench_cpuid.elf. */
static void
beside(char *buf, size_t len, const char *first, const char *name)
{
	char *slash;

	snprintf(buf, len, "%s", first);
	if ((slash = strrchr(buf, '/')) != NULL)
		slash[1] = '\0';
	else
		buf[0] = '\0';
	strncat(buf, name, len - strlen(buf) - 1);
}

int
main(int argc, char **argv)
{
	uint64_t iters = 200000, exits, vexits = 0, cexits, vi, ci;
	char vcpath[1024], cr3path[1024];
	const char *image = NULL;
	struct rusage ru;
	double ts, tb, tv, tc16, tc3g;
	int i, json = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (image == NULL)
			image = argv[i];
		else if ((iters = strtoull(argv[i], NULL, 0)) < 4) {
			fprintf(stderr, "bench: iterations: %s: not a number "
			    "of at least 4\n", argv[i]);
			return (2);
		}
	}
	if (image == NULL) {
		fprintf(stderr, "usage: bench_roundtrip [--json] "
		    "bench_cpuid.elf [iterations]\n");
		return (2);
	}
	beside(vcpath, sizeof(vcpath), image, "bench_vc.elf");
	beside(cr3path, sizeof(cr3path), image, "bench_cr3.elf");
	vi = iters / 4;
	ci = iters / 100 > 0 ? iters / 100 : 1;
	/*
	 * Each figure is the best of ROUNDS runs, taken in turns: the
	 * machine is shared, and the fastest run is the one least
	 * disturbed.
	 */
	ts = tb = tv = tc16 = tc3g = 1e30;
	for (i = 0; i < ROUNDS; i++) {
		ts = fmin(ts, run_sevemu(image, iters, 0, &exits));
		tb = fmin(tb, run_bare(iters));
		tv = fmin(tv, run_sevemu(vcpath, vi, 0, &vexits));
		tc16 = fmin(tc16, run_sevemu(cr3path, ci, 16ULL << 20,
		    &cexits));
		tc3g = fmin(tc3g, run_sevemu(cr3path, ci, 3ULL << 30,
		    &cexits));
	}
	getrusage(RUSAGE_SELF, &ru);
	if (json) {
		printf("{\"iterations\": %" PRIu64 ", \"rounds\": %d, "
		    "\"msr_roundtrip_ns\": %.1f, "
		    "\"bare_unicorn_roundtrip_ns\": %.1f, "
		    "\"msr_over_bare\": %.2f, "
		    "\"vc_roundtrip_ns\": %.1f, "
		    "\"vc_over_msr\": %.2f, "
		    "\"cr3_exit_ns_16mib\": %.1f, "
		    "\"cr3_exit_ns_3gib\": %.1f, "
		    "\"cr3_3gib_over_16mib\": %.2f, "
		    "\"peak_rss_mib\": %ld}\n", iters, ROUNDS,
		    ts * 1e9 / iters, tb * 1e9 / iters, ts / tb,
		    tv * 1e9 / vi, (tv / vi) / (ts / iters),
		    tc16 * 1e9 / ci, tc3g * 1e9 / ci, tc3g / tc16,
		    ru.ru_maxrss / 1024);
		return (0);
	}
	printf("MSR-protocol CPUID round trips:    %" PRIu64 " (CPU time, "
	    "best of %d runs)\n", iters, ROUNDS);
	printf("sevemu (guest -> vmm handler):     %.0f round trips/s "
	    "(%.2f us each, %" PRIu64 " exits)\n", iters / ts,
	    ts * 1e6 / iters, exits);
	printf("bare Unicorn, 3 address hooks:     %.0f round trips/s "
	    "(%.2f us each)\n", iters / tb, tb * 1e6 / iters);
	printf("ratio sevemu / bare:               %.1fx slower\n", ts / tb);
	printf("#VC CPUID (IDT, GHCB page, IRETQ): %.0f round trips/s "
	    "(%.2f us each, %" PRIu64 " exits, %.1fx an MSR round trip)\n",
	    vi / tv, tv * 1e6 / vi, vexits, (tv / vi) / (ts / iters));
	printf("MOV to CR3 + exit, 16 MiB RAM:     %.2f us each (%" PRIu64
	    " times)\n", tc16 * 1e6 / ci, ci);
	printf("MOV to CR3 + exit, 3 GiB RAM:      %.2f us each (%.1fx the "
	    "16 MiB figure)\n", tc3g * 1e6 / ci, tc3g / tc16);
	printf("peak RSS:                          %ld MiB\n",
	    ru.ru_maxrss / 1024);
	return (0);
}
