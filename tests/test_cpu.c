/*
 * The CPU on its own: the test is the hypervisor.  It lays out a VMCB,
 * a VMSA and nested page tables in host memory by hand, executes VMRUN
 * (seam_vmrun) and answers exits itself, the way kvm-unit-tests drives
 * a CPU - so it can also answer wrongly, on purpose, and see the CPU's
 * conformance checks catch it.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "conformance.h"
#include "cpu.h"
#include "ghcb_access.h"
#include "image.h"
#include "physmem.h"
#include "runner.h"
#include "seam.h"
#include "vmcb.h"

#define KMEM		(4ULL << 20)
#define RAM		(16ULL << 20)
#define VMCB_PA		0x1000ULL
#define VMSA_PA		0x2000ULL
#define NPT_PA		0x3000ULL	/* PML4, PDPT, PD: 0x3000-0x5fff */
#define MSRPM_PA	0x6000ULL	/* two pages */
#define IOPM_PA		0x8000ULL	/* three pages */

static uint8_t *vmcb, *vmsa;
static struct image img;

static uint64_t *
host64(uint64_t pa)
{
	return (physmem_ptr(pa, 8));
}

static void
setup(const char *guest, uint64_t np_ctl)
{
	char err[256];
	uint8_t *ram;
	int i;

	cr_assert_eq(physmem_create(KMEM, RAM), 0);
	cr_assert_eq(image_load(&img, guest, err, sizeof(err)), 0, "%s", err);
	ram = physmem_ptr(KMEM, RAM);
	cr_assert_eq(image_place(&img, ram, RAM, RUNNER_RESERVED_END, err,
	    sizeof(err)), 0, "%s", err);
	runner_boot_tables(ram);

	*host64(NPT_PA) = (NPT_PA + 0x1000) | 7;
	*host64(NPT_PA + 0x1000) = (NPT_PA + 0x2000) | 7;
	for (i = 0; i < (int)(RAM >> 21); i++)
		*host64(NPT_PA + 0x2000 + i * 8) = (KMEM + ((uint64_t)i << 21)) |
		    0x87;
	memset(physmem_ptr(MSRPM_PA, 8192), 0xff, 8192);
	memset(physmem_ptr(IOPM_PA, 3 * 4096), 0xff, 3 * 4096);

	vmcb = physmem_ptr(VMCB_PA, 4096);
	vmsa = physmem_ptr(VMSA_PA, 4096);
	vmcb_put64(vmcb, VMCB_INTERCEPT_MISC1, VMCB_I1_CPUID | VMCB_I1_HLT |
	    VMCB_I1_IOIO | VMCB_I1_MSR);
	vmcb_put64(vmcb, VMCB_MSRPM_BASE_PA, MSRPM_PA);
	vmcb_put64(vmcb, VMCB_IOPM_BASE_PA, IOPM_PA);
	vmcb_put64(vmcb, VMCB_GUEST_ASID, 1);
	vmcb_put64(vmcb, VMCB_NP_CTL, np_ctl);
	vmcb_put64(vmcb, VMCB_N_CR3, NPT_PA);
	vmcb_put64(vmcb, VMCB_VMSA_PA, VMSA_PA);

	vmcb_put64(vmsa, VMSA_CR0, 0x80000031ULL);
	vmcb_put64(vmsa, VMSA_CR3, RUNNER_PML4);
	vmcb_put64(vmsa, VMSA_CR4, 0x20);
	vmcb_put64(vmsa, VMSA_EFER, 0x501);
	vmcb_put64(vmsa, VMSA_GDTR + VMSA_SEG_BASE, RUNNER_GDT);
	vmcb_put64(vmsa, VMSA_GDTR + VMSA_SEG_LIMIT, 31);
	vmcb_put64(vmsa, VMSA_CS, 0x08);
	vmcb_put64(vmsa, VMSA_DS, 0x10);
	vmcb_put64(vmsa, VMSA_SS, 0x10);
	vmcb_put64(vmsa, VMSA_ES, 0x10);
	vmcb_put64(vmsa, VMSA_RIP, img.im_entry);
	vmcb_put64(vmsa, VMSA_RSP, RUNNER_STACK_TOP);
	vmcb_put64(vmsa, VMSA_RFLAGS, 2);
}

static void
teardown(void)
{
	cpu_off();
	image_free(&img);
	physmem_destroy();
}

static uint64_t
exitcode(void)
{
	return (vmcb_get64(vmcb, VMCB_EXITCODE));
}

Test(cpu, vmrun_refuses_a_vmcb_without_seves)
{
	setup(SEVEMU_GUEST_DIR "/cpuid_msr.elf", VMCB_NP_ENABLE |
	    VMCB_SEV_ENABLE);
	cr_assert_eq(seam_vmrun(VMCB_PA), -1);
	cr_assert_eq(exitcode(), VMEXIT_INVALID);
	cr_assert(strstr(cpu_diag(), "SEV-ES") != NULL, "%s", cpu_diag());
	teardown();
}

Test(cpu, vmrun_refuses_a_vmcb_outside_host_memory)
{
	setup(SEVEMU_GUEST_DIR "/cpuid_msr.elf", 7);
	cr_assert_eq(seam_vmrun(KMEM + RAM + 0x1000), -1);
	cr_assert(strstr(cpu_diag(), "not a page of host memory") != NULL,
	    "%s", cpu_diag());
	teardown();
}

/* The GHCB MSR never exits; the first exit is the VMGEXIT. */
Test(cpu, ghcb_msr_lands_in_the_vmcb_without_an_exit)
{
	setup(SEVEMU_GUEST_DIR "/cpuid_msr.elf", 7);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_VMGEXIT);
	/* CPUID request for leaf 0, EAX. */
	cr_assert_eq(vmcb_get64(vmcb, VMCB_GHCB_GPA), 0x004);
	cr_assert_eq(cpu_exits(), 1);
	teardown();
}

/* A hypervisor that answers CPUID with reserved bits set. */
Test(cpu, reserved_bits_in_a_response_are_a_finding)
{
	int n;

	setup(SEVEMU_GUEST_DIR "/cpuid_msr.elf", 7);
	for (n = 0; n < 40; n++) {
		cr_assert_eq(seam_vmrun(VMCB_PA), 0);
		if (exitcode() != VMEXIT_VMGEXIT)
			break;
		uint64_t req = vmcb_get64(vmcb, VMCB_GHCB_GPA);
		vmcb_put64(vmcb, VMCB_GHCB_GPA, (req & 0xc0000000ULL) |
		    0x005 | 0x1000 | (0x1234ULL << 32));
	}
	cr_assert_geq(conformance_count(), 1);
	cr_assert(strstr(conformance_text(0), "reserved bits") != NULL, "%s",
	    conformance_text(0));
	teardown();
}

/* A hypervisor that writes RBX into the GHCB but does not mark it. */
Test(cpu, unmarked_register_is_a_finding)
{
	uint64_t gpa;
	uint8_t *g;

	setup(SEVEMU_GUEST_DIR "/ghcb_register.elf", 7);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_VMGEXIT);
	gpa = vmcb_get64(vmcb, VMCB_GHCB_GPA);
	cr_assert_eq(gpa & 0xfff, 0);
	g = physmem_ptr(KMEM + gpa, 4096);
	memset(g + 0x3f0, 0, 16);
	vmcb_put64(g, 0x1f8, 0x10);		/* RAX */
	g[0x3f0 + 63 / 8] |= 1U << (63 % 8);
	vmcb_put64(g, 0x318, 0x68747541);	/* RBX, left unmarked */
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_geq(conformance_count(), 1);
	cr_assert(strstr(conformance_text(0), "RBX") != NULL, "%s",
	    conformance_text(0));
	teardown();
}

static void
set_valid(uint8_t *g, unsigned int off)
{
	unsigned int bit = off / 8;

	g[0x3f0 + bit / 8] |= 1U << (bit % 8);
}

/* Answers the CPUID request in a GHCB page the way the spec wants. */
static void
answer_cpuid(uint8_t *g)
{
	memset(g + 0x3f0, 0, 16);
	vmcb_put64(g, 0x1f8, 0x10);
	vmcb_put64(g, 0x318, 0x68747541);
	vmcb_put64(g, 0x308, 0x444d4163);
	vmcb_put64(g, 0x310, 0x69746e65);
	vmcb_put64(g, 0x398, 0);
	vmcb_put64(g, 0x3a0, 0);
	set_valid(g, 0x1f8);
	set_valid(g, 0x318);
	set_valid(g, 0x308);
	set_valid(g, 0x310);
	set_valid(g, 0x398);
	set_valid(g, 0x3a0);
}

/*
 * A hypervisor that keeps reading the first GHCB after the guest has
 * moved to another page - what OpenBSD 1.64 does with a second GHCB.
 */
Test(cpu, reading_an_old_ghcb_is_a_finding)
{
	uint64_t a, b;
	volatile uint8_t peek;

	setup(SEVEMU_GUEST_DIR "/ghcb_reregister.elf", 7);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	a = vmcb_get64(vmcb, VMCB_GHCB_GPA);
	cr_assert_eq(a & 0xfff, 0);
	answer_cpuid(physmem_ptr(KMEM + a, 4096));
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_VMGEXIT);
	b = vmcb_get64(vmcb, VMCB_GHCB_GPA);
	cr_assert_neq(b, a);
	/* The stale read: through the direct map, as PMAP_DIRECT_MAP does. */
	peek = *(uint8_t *)physmem_ptr(KMEM + a + 0x390, 1);
	(void)peek;
	answer_cpuid(physmem_ptr(KMEM + b, 4096));
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(conformance_count(), 1);
	cr_assert(strstr(conformance_text(0), "an earlier GHCB") != NULL, "%s",
	    conformance_text(0));
	teardown();
}

/*
 * The GHCB access log, with the test as a handler that reads
 * sw_exitcode twice and reads the valid bitmap back after answering.
 */
Test(cpu, ghcb_access_log_finds_a_double_fetch)
{
	volatile uint64_t *code;
	volatile uint8_t *bm;
	uint64_t gpa, first, second;
	uint8_t *g;
	unsigned int i;

	setup(SEVEMU_GUEST_DIR "/ghcb_register.elf", 7);
	ghcb_access_mode(1);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_VMGEXIT);
	gpa = vmcb_get64(vmcb, VMCB_GHCB_GPA);
	cr_assert_eq(gpa & 0xfff, 0);
	g = physmem_ptr(KMEM + gpa, 4096);
	code = (volatile uint64_t *)(g + 0x390);
	first = *code;
	second = *code;
	cr_assert_eq(first, second);
	cr_assert_eq(ghcb_access_count(), 2);
	for (i = 0; i < 2; i++) {
		cr_assert_eq(ghcb_access_get(i)->ga_off, 0x390, "access %u", i);
		cr_assert_eq(ghcb_access_get(i)->ga_size, 8, "access %u", i);
		cr_assert_eq(ghcb_access_get(i)->ga_write, 0, "access %u", i);
	}
	answer_cpuid(g);
	bm = g + 0x3f0;
	(void)*bm;
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	ghcb_access_mode(0);
	cr_assert_eq(ghcb_access_found(GA_DOUBLE_FETCH), 1);
	cr_assert_str_eq(ghcb_access_text(GA_DOUBLE_FETCH), "double fetch: "
	    "handler read GHCB 0x390 twice in one exit (access 2)");
	cr_assert_eq(ghcb_access_found(GA_READ_AFTER_ANSWER), 1);
	cr_assert(strstr(ghcb_access_text(GA_READ_AFTER_ANSWER),
	    "handler read GHCB 0x3f0 after writing its answer") != NULL, "%s",
	    ghcb_access_text(GA_READ_AFTER_ANSWER));
	cr_assert_eq(ghcb_access_found(GA_READ_NOT_VALID), 0, "%s",
	    ghcb_access_text(GA_READ_NOT_VALID));
	cr_assert_eq(ghcb_access_found(GA_WRITE_NOT_RETURNED), 0, "%s",
	    ghcb_access_text(GA_WRITE_NOT_RETURNED));
	cr_assert_eq(ghcb_access_found(GA_WRITE_PAST_BITMAP), 0, "%s",
	    ghcb_access_text(GA_WRITE_PAST_BITMAP));
	teardown();
}

static uint64_t
guest_word(const char *sym)
{
	uint64_t addr, v;

	cr_assert_eq(image_symbol(&img, sym, &addr), 0, "no symbol %s", sym);
	memcpy(&v, physmem_ptr(KMEM + addr, 8), 8);
	return (v);
}

/* Interception follows the VMCB the hypervisor set up. */
Test(cpu, cpuid_runs_natively_when_not_intercepted)
{
	setup(SEVEMU_GUEST_DIR "/vc_no_idt.elf", 7);
	vmcb_put64(vmcb, VMCB_INTERCEPT_MISC1, VMCB_I1_HLT | VMCB_I1_IOIO |
	    VMCB_I1_MSR);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_HLT, "exit 0x%lx: %s",
	    (unsigned long)exitcode(), cpu_diag());
	cr_assert_eq(guest_word("after_cpuid"), 1);
	teardown();
}

Test(cpu, cpuid_raises_vc_when_intercepted)
{
	setup(SEVEMU_GUEST_DIR "/vc_no_idt.elf", 7);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_SHUTDOWN);
	cr_assert_eq(cpu_state(), CPU_SHUTDOWN);
	cr_assert_eq(guest_word("after_cpuid"), 0);
	teardown();
}

/* Under SEV-ES the VMCB save area holds no guest state at an exit. */
Test(cpu, save_area_registers_are_poisoned_at_exit)
{
	setup(SEVEMU_GUEST_DIR "/cpuid_msr.elf", 7);
	vmcb_put64(vmcb, VMCB_SAVE_AREA + VMSA_RAX, 0x1234);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_eq(exitcode(), VMEXIT_VMGEXIT);
	cr_assert_eq(vmcb_get64(vmcb, VMCB_SAVE_AREA + VMSA_RAX),
	    0x5e5e5e5e5e5e5e5eULL);
	cr_assert_eq(vmcb_get64(vmcb, VMCB_SAVE_AREA + VMSA_RIP),
	    0x5e5e5e5e5e5e5e5eULL);
	teardown();
}

/* A hypervisor that answers a CPUID request with the wrong code. */
Test(cpu, wrong_response_code_is_a_finding)
{
	uint64_t req;

	setup(SEVEMU_GUEST_DIR "/cpuid_msr.elf", 7);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	req = vmcb_get64(vmcb, VMCB_GHCB_GPA);
	cr_assert_eq(req & 0xfff, 0x004);
	vmcb_put64(vmcb, VMCB_GHCB_GPA, (req & 0xc0000000ULL) | 0x003);
	cr_assert_eq(seam_vmrun(VMCB_PA), 0);
	cr_assert_geq(conformance_count(), 1);
	cr_assert(strstr(conformance_text(0), "answered with code 0x003, not "
	    "0x005") != NULL, "%s", conformance_text(0));
	teardown();
}
