/*
 * runner.c - the vmd role above the vmm.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "console.h"
#include "cpu.h"
#include "guestcheck.h"
#include "hostview.h"
#include "physmem.h"
#include "runner.h"
#include "seam.h"

#define PTE_P		0x001ULL
#define PTE_W		0x002ULL
#define PTE_PS		0x080ULL

#define CR0_PE		0x00000001ULL
#define CR0_ET		0x00000010ULL
#define CR0_NE		0x00000020ULL
#define CR0_PG		0x80000000ULL
#define CR4_PAE		0x00000020ULL
#define EFER_SCE	0x00000001ULL
#define EFER_LME	0x00000100ULL
#define EFER_LMA	0x00000400ULL

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18

const char *
run_stop_name(enum run_stop s)
{
	switch (s) {
	case RUN_HALTED:
		return ("halted");
	case RUN_EXITED:
		return ("exited");
	case RUN_TERMINATED:
		return ("terminated");
	case RUN_BUDGET:
		return ("budget exhausted");
	case RUN_SHUTDOWN:
		return ("shutdown");
	case RUN_ERROR:
		return ("error");
	}
	return ("?");
}

/*
 * The boot state vmd would set up for a kernel it loads: a flat GDT
 * and page tables identity-mapping the low 4 GiB with 2 MiB pages, so
 * that guest RAM and the MMIO hole above it (the scratch MMIO page)
 * are both reachable.  The CPU really walks these tables, so an access
 * the tables do not map is a #PF, not an MMIO exit.
 */
void
runner_boot_tables(uint8_t *ram)
{
	static const uint64_t gdt[] = {
		0,
		0x00af9a000000ffffULL,		/* 0x08: 64-bit code */
		0x00cf92000000ffffULL,		/* 0x10: flat data */
		0x00cf9a000000ffffULL,		/* 0x18: flat 32-bit code */
	};
	uint64_t *pml4 = (uint64_t *)(ram + RUNNER_PML4);
	uint64_t *pdpt = (uint64_t *)(ram + RUNNER_PDPT);
	uint64_t gb, off;

	memcpy(ram + RUNNER_GDT, gdt, sizeof(gdt));
	pml4[0] = RUNNER_PDPT | PTE_P | PTE_W;
	for (gb = 0; gb < RUNNER_IDENTITY_GIB; gb++) {
		uint64_t *pd = (uint64_t *)(ram + RUNNER_PD + gb * 4096);

		pdpt[gb] = (RUNNER_PD + gb * 4096) | PTE_P | PTE_W;
		for (off = 0; off < 512; off++)
			pd[off] = ((gb << 30) + (off << 21)) | PTE_P | PTE_W |
			    PTE_PS;
	}
}

static int
serial_open(struct runner *r)
{
	r->r_serial = open_memstream(&r->r_serial_buf, &r->r_serial_len);
	return (r->r_serial == NULL ? -1 : 0);
}

int
runner_open(struct runner *r, const struct runner_config *rc, char *err,
    size_t errlen)
{
	struct seam_vm_params vp;
	struct cpu_config cc;
	int rv;

	memset(r, 0, sizeof(*r));
	r->r_cfg = *rc;
	r->r_mem = rc->rc_mem ? rc->rc_mem : RUNNER_DEFAULT_MEM;
	if ((r->r_mem & ((2ULL << 20) - 1)) != 0 || r->r_mem < (2ULL << 20) ||
	    r->r_mem > (3ULL << 30)) {
		snprintf(err, errlen, "guest memory must be a multiple of 2 MiB "
		    "between 2 MiB and 3 GiB");
		return (-1);
	}
	if (image_load(&r->r_image, rc->rc_image, err, errlen) != 0)
		return (-1);
	if ((rv = physmem_create(RUNNER_KERNEL_MEM, r->r_mem)) != 0) {
		snprintf(err, errlen, "cannot create host memory: %s",
		    strerror(rv));
		image_free(&r->r_image);
		return (-1);
	}
	/* vmd maps guest memory on its own, not through the kernel's map. */
	r->r_ram = physmem_alias(RUNNER_KERNEL_MEM, r->r_mem);
	if (r->r_ram == NULL) {
		snprintf(err, errlen, "cannot map guest memory");
		goto fail;
	}
	if (image_place(&r->r_image, r->r_ram, r->r_mem, RUNNER_RESERVED_END,
	    err, errlen) != 0)
		goto fail;
	runner_boot_tables(r->r_ram);

	memset(&cc, 0, sizeof(cc));
	cc.cc_budget = rc->rc_budget;
	cc.cc_debug = rc->rc_debug;
	if (rc->rc_trace != NULL) {
		trace_init(&r->r_trace, rc->rc_trace, image_symbolize,
		    &r->r_image);
		trace_set_format(&r->r_trace, rc->rc_trace_format);
		cc.cc_trace = &r->r_trace;
	}
	cpu_configure(&cc);
	console_open(rc->rc_console);
	for (size_t i = 0; i < sizeof(r->r_mmio); i++)
		r->r_mmio[i] = (uint8_t)i;
	if (serial_open(r) != 0) {
		snprintf(err, errlen, "cannot capture serial output");
		goto fail;
	}

	memset(&vp, 0, sizeof(vp));
	vp.vp_ram_hpa = RUNNER_KERNEL_MEM;
	vp.vp_ram_size = r->r_mem;
	vp.vp_entry_long = !rc->rc_entry_protected;
	vp.vp_rip = r->r_image.im_entry;
	vp.vp_rsp = RUNNER_STACK_TOP;
	vp.vp_gdt_base = RUNNER_GDT;
	vp.vp_gdt_limit = 4 * 8 - 1;
	vp.vp_ds = SEL_DATA;
	if (vp.vp_entry_long) {
		vp.vp_cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
		vp.vp_cr3 = RUNNER_PML4;
		vp.vp_cr4 = CR4_PAE;
		vp.vp_efer = EFER_SCE | EFER_LME | EFER_LMA;
		vp.vp_cs = SEL_CODE64;
	} else {
		vp.vp_cr0 = CR0_PE | CR0_ET | CR0_NE;
		vp.vp_cs = SEL_CODE32;
	}
	if ((rv = seam_vm_create(&vp, &r->r_vmid)) != 0) {
		snprintf(err, errlen, "the vmm could not create the VM: %s",
		    strerror(rv));
		goto fail;
	}
	r->r_vm_open = 1;
	return (0);
fail:
	runner_close(r);
	return (-1);
}

void *
runner_guest(struct runner *r, uint64_t gpa, uint64_t len)
{
	if (r->r_ram == NULL || gpa > r->r_mem || len > r->r_mem - gpa)
		return (NULL);
	return (r->r_ram + gpa);
}

void *
runner_symbol(struct runner *r, const char *name, uint64_t len)
{
	uint64_t addr;

	if (image_symbol_pa(&r->r_image, name, &addr) != 0)
		return (NULL);
	return (runner_guest(r, addr, len));
}

/* COM1 and the debug-exit port: the devices of this vmd. */
static int
serve_io(struct runner *r, struct seam_exit *ex, struct run_result *rr)
{
	uint32_t mask = ex->se_size >= 4 ? 0xffffffffU :
	    (1U << (8 * ex->se_size)) - 1;

	if (ex->se_in) {
		if (ex->se_port == RUNNER_COM1 + 5)
			ex->se_data = 0x60;	/* LSR: transmitter empty */
		else if (ex->se_port >= RUNNER_COM1 &&
		    ex->se_port < RUNNER_COM1 + 8)
			ex->se_data = 0;
		else
			ex->se_data = mask;	/* nothing there */
		return (0);
	}
	if (ex->se_port == RUNNER_COM1) {
		fputc((int)(ex->se_data & 0xff), r->r_serial);
		if (r->r_cfg.rc_trace != NULL)
			trace_serial(&r->r_trace, (int)(ex->se_data & 0xff));
		return (0);
	}
	if (ex->se_port == RUNNER_DEBUG_EXIT) {
		rr->rr_stop = RUN_EXITED;
		rr->rr_verdict = ex->se_data & mask;
		snprintf(rr->rr_reason, sizeof(rr->rr_reason), "guest wrote "
		    "verdict 0x%x to the debug-exit port 0x%x", rr->rr_verdict,
		    RUNNER_DEBUG_EXIT);
		return (1);
	}
	return (0);
}

/* The scratch MMIO page; anything else reads as all ones. */
static void
serve_mmio(struct runner *r, struct seam_exit *ex)
{
	uint64_t off = ex->se_gpa - RUNNER_MMIO_BASE;
	size_t n = ex->se_size > 8 ? 8 : ex->se_size;
	int inside = ex->se_gpa >= RUNNER_MMIO_BASE &&
	    off + n <= RUNNER_MMIO_SIZE;

	if (ex->se_in) {
		ex->se_data = 0;
		if (inside)
			memcpy(&ex->se_data, r->r_mmio + off, n);
		else
			memset(&ex->se_data, 0xff, n);
	} else if (inside)
		memcpy(r->r_mmio + off, &ex->se_data, n);
}

static void
outcome(struct runner *r, const char *fmt, ...)
{
	char how[160];
	va_list ap;

	if (r->r_cfg.rc_trace == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(how, sizeof(how), fmt, ap);
	va_end(ap);
	trace_outcome(&r->r_trace, cpu_ghcb_msr(), how);
}

/* Says what the MSR-protocol request in the GHCB MSR was. */
static void
describe_ghcb_msr(uint64_t msr, char *buf, size_t len)
{
	unsigned int req = (unsigned int)(msr & 0xfff);

	if (req == 0)
		snprintf(buf, len, "GHCB page at GPA 0x%" PRIx64, msr);
	else
		snprintf(buf, len, "MSR-protocol request 0x%03x, data 0x%"
		    PRIx64, req, msr >> 12);
}

int
runner_run(struct runner *r, struct run_result *rr)
{
	struct seam_exit ex;
	char what[96], err[80];
	int rv, done = 0;

	memset(rr, 0, sizeof(*rr));
	memset(&ex, 0, sizeof(ex));
	if (!r->r_vm_open) {
		rr->rr_stop = RUN_ERROR;
		snprintf(rr->rr_reason, sizeof(rr->rr_reason), "no VM");
		return (-1);
	}
	while (!done) {
		rv = seam_vm_run(r->r_vmid, &ex);
		if (rv != 0 && ex.se_kind != SEAM_EXIT_ERROR) {
			ex.se_kind = SEAM_EXIT_ERROR;
			ex.se_error = rv;
		}
		switch (ex.se_kind) {
		case SEAM_EXIT_NONE:
			if (cpu_state() == CPU_BUDGET) {
				outcome(r, "vmm yielded; budget exhausted");
				rr->rr_stop = RUN_BUDGET;
				snprintf(rr->rr_reason, sizeof(rr->rr_reason),
				    "%s", cpu_diag());
				done = 1;
			}
			break;
		case SEAM_EXIT_IO:
			outcome(r, "EAGAIN: vmd serves %s port 0x%x",
			    ex.se_in ? "in from" : "out to", ex.se_port);
			done = serve_io(r, &ex, rr);
			cpu_cycles_vmd();
			break;
		case SEAM_EXIT_MMIO:
			outcome(r, "EAGAIN: vmd serves MMIO %s 0x%" PRIx64,
			    ex.se_in ? "read at" : "write to", ex.se_gpa);
			serve_mmio(r, &ex);
			cpu_cycles_vmd();
			break;
		case SEAM_EXIT_HLT:
			outcome(r, "vmm returned: guest halted");
			rr->rr_stop = RUN_HALTED;
			snprintf(rr->rr_reason, sizeof(rr->rr_reason),
			    "guest halted");
			done = 1;
			break;
		case SEAM_EXIT_TERMINATE:
			outcome(r, "vmm returned: guest asked to terminate");
			rr->rr_stop = RUN_TERMINATED;
			rr->rr_term_set = ex.se_term_set;
			rr->rr_term_code = ex.se_term_code;
			snprintf(rr->rr_reason, sizeof(rr->rr_reason), "guest "
			    "requested termination: reason set %u, reason code "
			    "0x%02x", ex.se_term_set, ex.se_term_code);
			done = 1;
			break;
		case SEAM_EXIT_SHUTDOWN:
			outcome(r, "vmm returned: shutdown");
			rr->rr_stop = RUN_SHUTDOWN;
			snprintf(rr->rr_reason, sizeof(rr->rr_reason), "%s",
			    cpu_diag()[0] ? cpu_diag() : "guest CPU shut down");
			done = 1;
			break;
		case SEAM_EXIT_ERROR:
			if (ex.se_error != 0)
				snprintf(err, sizeof(err), "error %d (%s)",
				    ex.se_error, strerror(ex.se_error));
			else
				snprintf(err, sizeof(err), "the vCPU ended "
				    "(VM_EXIT_TERMINATED) and no error number");
			outcome(r, "vmm returned %s", err);
			rr->rr_stop = RUN_ERROR;
			rr->rr_vmm_error = ex.se_error;
			if (cpu_state() == CPU_INVALID)
				snprintf(rr->rr_reason, sizeof(rr->rr_reason),
				    "%s", cpu_diag());
			else {
				describe_ghcb_msr(cpu_ghcb_msr(), what,
				    sizeof(what));
				snprintf(rr->rr_reason, sizeof(rr->rr_reason),
				    "vmm failed exit %" PRIu64 " (exit code "
				    "0x%x, %s) with %s", cpu_exits(),
				    ex.se_exitcode, what, err);
			}
			done = 1;
			break;
		}
	}
	if (r->r_cfg.rc_trace != NULL)
		trace_end(&r->r_trace, run_stop_name(rr->rr_stop),
		    rr->rr_reason, cpu_exits(), cpu_insns());
	cpu_regs(&rr->rr_regs);
	hostview_report();
	if (r->r_cfg.rc_trace != NULL)
		trace_finish(&r->r_trace);
	rr->rr_findings = conformance_count();
	snprintf(rr->rr_finding, sizeof(rr->rr_finding), "%s",
	    conformance_text(0));
	rr->rr_guest_findings = guestcheck_count();
	snprintf(rr->rr_guest_finding, sizeof(rr->rr_guest_finding), "%s",
	    guestcheck_text());
	rr->rr_exits = cpu_exits();
	rr->rr_insns = cpu_insns();
	fflush(r->r_serial);
	rr->rr_serial = r->r_serial_buf;
	rr->rr_console = console_text();
	rr->rr_serial_len = r->r_serial_len;
	return (rr->rr_stop == RUN_HALTED ? 0 : -1);
}

void
runner_close(struct runner *r)
{
	/* The CPU lets go of the VMCB before the vmm frees it. */
	cpu_off();
	if (r->r_vm_open)
		seam_vm_destroy(r->r_vmid);
	r->r_vm_open = 0;
	console_close();
	if (r->r_serial != NULL)
		fclose(r->r_serial);
	free(r->r_serial_buf);
	if (r->r_ram != NULL)
		physmem_unalias(r->r_ram, r->r_mem);
	physmem_destroy();
	image_free(&r->r_image);
	memset(r, 0, sizeof(*r));
}
