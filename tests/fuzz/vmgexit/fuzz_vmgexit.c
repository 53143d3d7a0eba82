/*
 * fuzz_vmgexit.c - a libFuzzer target that drives the vmm's VMGEXIT
 * handler directly, with no emulated CPU.
 *
 * The input (input.h) is the whole state of a run: a sequence of
 * requests, each a GHCB page image or an MSR-protocol value, and what
 * vmd answers to I/O and MMIO reads.  The CPU's VMRUN (seam_vmrun) is
 * replaced by a replay of that state: each VMRUN of the vcpu either
 * hands the handler the next request as a VMGEXIT (or an automatic
 * exit), or, when the handler resumes the guest, takes the answer and
 * ends the guest's slice with a host interrupt, so that the driver gets
 * the vcpu back between two requests.  Everything above VMRUN runs as
 * it does under the CPU: seam_vm_run, vm_run, vcpu_run_svm,
 * svm_handle_exit, svm_handle_vmgexit, and the driver plays vmd for the
 * I/O and MMIO exits in between.  The VMRUN that resumes the guest
 * after one request hands it the next, as a guest that asks again at
 * once would: the vcpu leaves vm_run only for vmd and after the last
 * request, with a host interrupt.
 *
 * Every request runs in two VMs, twins: B's copy of the request has
 * different values in everything the guest did not mark valid, other
 * poison in the registers the vmm cannot see, and other bits above the
 * access size in vmd's answers.  Twin A runs all the requests first,
 * and the oracle (oracle.c) judges each answer as it comes and keeps
 * it; then twin B runs them, and each of its answers must match A's.
 * ghcb_poison.c judges what of guest RAM the handler touched.  Any finding aborts (libFuzzer keeps the
 * input), unless SEVEMU_FUZZ_SURVEY is set: then each kind of finding
 * is printed once and the run goes on, to survey a handler.
 */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostcpu.h"
#include "seam.h"
#include "shim.h"
#include "vmcb.h"
#include "vmgexit.h"

#define FZ_KERNEL_MEM	(4ULL << 20)
#define FZ_NVMS		3	/* A, B and a keeper that holds the kernel up */
#define FZ_MAXITER	(FZ_MAXEV + 64)

#define EXIT_VMGEXIT	0x403
#define EXIT_INTR	0x60

enum { PH_IDLE, PH_PENDING, PH_LOADED, PH_RESUMED };

struct seam_physmem seam_physmem;

static struct fz_vm vms[2];
static int keeper = -1;
static struct fz_vm *cur;		/* the VM in seam_vm_run */
static unsigned int cur_rec;		/* the record being run */

/* Twin A's answers, which twin B's must match. */
static struct gr_req a_req[FZ_MAXRECS];
static struct fz_outcome a_out[FZ_MAXRECS];

/* Guest RAM as each twin starts with it: pattern() below. */
static uint8_t ram_image[2][FZ_RAM_SIZE];

static uint64_t answers[FZ_MAXRECS];
static unsigned int nanswers;

static char console[4096];
static size_t console_len;

/* Executions so far, written to SEVEMU_FUZZ_PROGRESS for scripts/fuzz. */
static unsigned long long execs;
static int progress_fd = -1;

/* Findings. */
static int survey;
static struct {
	char		 kind[160];
	unsigned long	 count;
} kinds[64];
static unsigned int nkinds;

void
seam_console_write(const char *buf, size_t len)
{
	size_t keep = sizeof(console) - 1;

	if (len >= keep) {
		buf += len - keep;
		len = keep;
	}
	if (console_len + len > keep) {
		size_t drop = console_len + len - keep;

		memmove(console, console + drop, console_len - drop);
		console_len -= drop;
	}
	memcpy(console + console_len, buf, len);
	console_len += len;
	console[console_len] = '\0';
	if (getenv("SEVEMU_FUZZ_CONSOLE") != NULL)
		fwrite(buf, 1, len, stderr);
}

/* Numbers folded into '#', so that one kind of finding counts once. */
static void
fold(const char *msg, char *kind, size_t size)
{
	size_t n = 0;
	const char *p;

	for (p = msg; *p != '\0' && n + 1 < size; p++) {
		if (isdigit((unsigned char)*p)) {
			if (p[0] == '0' && p[1] == 'x')
				p++;
			while (isxdigit((unsigned char)p[1]))
				p++;
			kind[n++] = '#';
		} else
			kind[n++] = *p;
	}
	kind[n] = '\0';
}

void
fz_finding(const char *fmt, ...)
{
	char msg[512], kind[160], rec[160];
	va_list ap;
	unsigned int i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (survey) {
		fold(msg, kind, sizeof(kind));
		for (i = 0; i < nkinds; i++)
			if (strcmp(kinds[i].kind, kind) == 0)
				break;
		if (i < nkinds) {
			kinds[i].count++;
			return;
		}
		if (nkinds < sizeof(kinds) / sizeof(kinds[0])) {
			strcpy(kinds[nkinds].kind, kind);
			kinds[nkinds++].count = 1;
		}
		rec[0] = '\0';
		if (cur != NULL && cur->v_rec != NULL)
			fz_describe(cur->v_rec, rec, sizeof(rec));
		fprintf(stderr, "fuzz_vmgexit: finding (%s): %s\n", rec, msg);
		return;
	}
	rec[0] = '\0';
	if (cur != NULL && cur->v_rec != NULL)
		fz_describe(cur->v_rec, rec, sizeof(rec));
	fprintf(stderr, "fuzz_vmgexit: finding in request %u (%s): %s\n"
	    "fuzz_vmgexit: the vmm's console:\n%s\n", cur_rec, rec, msg,
	    console);
	abort();
}

void
ga_finding(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fz_finding("page access: %s", msg);
}

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

uint64_t
fz_answer(unsigned int i, int twin, unsigned int size)
{
	uint64_t v = i < nanswers ? answers[i] : splitmix(i);

	/* Twin B: other bits above the access size. */
	if (twin && size < 8)
		v ^= ~0ULL << (8 * size);
	return (v);
}

/* Background bytes of guest RAM: the twins differ in every byte. */
static uint8_t
pattern(uint64_t gpa, int twin)
{
	uint8_t b = (uint8_t)(gpa * 0x9d + 0x37 + (gpa >> 8) * 0x5b);

	return (twin ? (uint8_t)~b : b);
}

/* A VMCB field, by offset (vmcb.h). */
static void
vmcb_set(uint8_t *vmcb, unsigned int off, uint64_t v)
{
	memcpy(vmcb + off, &v, sizeof(v));
}

static uint64_t
vmcb_get(const uint8_t *vmcb, unsigned int off)
{
	uint64_t v;

	memcpy(&v, vmcb + off, sizeof(v));
	return (v);
}

/* The exit as the CPU writes it; the guest's state is hidden. */
static void
vmcb_exit(struct fz_vm *vm, uint8_t *vmcb, uint64_t code, uint64_t info1)
{
	vmcb_set(vmcb, VMCB_EXITCODE, code);
	vmcb_set(vmcb, VMCB_EXITINFO1, info1);
	vmcb_set(vmcb, VMCB_EXITINFO2, 0);
	vmcb_set(vmcb, VMCB_EXITINTINFO, 0);
	vmcb_set(vmcb, VMCB_SAVE_AREA + VMSA_RAX, vm->v_poison);
	vmcb_set(vmcb, VMCB_SAVE_AREA + VMSA_RSP, vm->v_poison);
	vmcb_set(vmcb, VMCB_SAVE_AREA + VMSA_RIP, vm->v_poison);
	vmcb_set(vmcb, VMCB_SAVE_AREA + VMSA_RFLAGS, vm->v_poison);
}

static void
put64(uint8_t *page, unsigned int off, uint64_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

/* The page of GHCB MSR value msr, if it is a page of guest RAM. */
static int
ram_page(uint64_t msr, uint64_t *gpa)
{
	if ((msr & 0xfff) != 0 || msr == 0 || msr >= FZ_RAM_SIZE)
		return (0);
	*gpa = msr;
	return (1);
}

/*
 * The request with the fields the guest did not mark valid read as 0:
 * what decides which inputs a handler may read must itself be valid.
 */
static void
valid_view(const struct gr_req *rq, struct gr_req *v)
{
	*v = *rq;
	if (!gr_valid(rq->rq_valid, GR_OFF_RAX))
		v->rq_rax = 0;
	if (!gr_valid(rq->rq_valid, GR_OFF_EXITCODE))
		v->rq_exitcode = 0;
	if (!gr_valid(rq->rq_valid, GR_OFF_EXITINFO1))
		v->rq_exitinfo1 = 0;
	if (!gr_valid(rq->rq_valid, GR_OFF_EXITINFO2))
		v->rq_exitinfo2 = 0;
	if (!gr_valid(rq->rq_valid, GR_OFF_SCRATCH))
		v->rq_scratch = 0;
}

/*
 * Writes the record's page into this twin's guest RAM and sets what
 * the handler may touch.  Twin B's page differs from A's in every byte
 * the guest did not mark valid: the quadwords without a valid bit, the
 * shared buffer outside an input scratch area, the padding.
 */
static void
load_page(struct fz_vm *vm, const struct fz_rec *r, uint64_t gpa)
{
	const struct fz_page *p = &r->r_page;
	const struct gr_req *rq = &p->p_req;
	uint8_t *page = vm->v_ram + gpa, keep[GR_PAGE];
	struct gr_req view;
	struct gr_scratch sc;
	unsigned int i, in, q, f;
	uint64_t k, w;

	ga_open(&vm->v_ga, gpa);
	memcpy(page, ram_image[0] + gpa, GR_PAGE);
	memcpy(page + GR_OFF_VALID, rq->rq_valid, 16);
	memcpy(page + GR_OFF_USAGE, &rq->rq_usage, 4);
	memcpy(page + GR_OFF_VERSION, &rq->rq_version, 2);
	page[GR_OFF_CPL] = rq->rq_cpl;
	put64(page, GR_OFF_EXITCODE, rq->rq_exitcode);
	put64(page, GR_OFF_EXITINFO1, rq->rq_exitinfo1);
	put64(page, GR_OFF_EXITINFO2, rq->rq_exitinfo2);
	put64(page, GR_OFF_SCRATCH, rq->rq_scratch);
	put64(page, GR_OFF_RAX, rq->rq_rax);
	put64(page, GR_OFF_RBX, rq->rq_rbx);
	put64(page, GR_OFF_RCX, rq->rq_rcx);
	put64(page, GR_OFF_RDX, rq->rq_rdx);
	put64(page, GR_OFF_XCR0, rq->rq_xcr0);
	if (p->p_buflen != 0)
		memcpy(page + GR_OFF_SHAREDBUF + p->p_bufoff, p->p_buf,
		    p->p_buflen);

	valid_view(rq, &view);
	view.rq_gpa = gpa;
	in = gr_inputs(&view);
	gr_scratch_area(&view, &sc);
	if (!(in & GR_SCRATCH) || !gr_valid(rq->rq_valid, GR_OFF_SCRATCH) ||
	    !sc.sc_inside)
		sc.sc_dir = GR_SCRATCH_NONE;

	memset(keep, 0, sizeof(keep));
	memset(keep + GR_OFF_VALID, 1, 16);
	memset(keep + GR_OFF_VERSION, 1, 6);
	for (q = 0; q < GR_OFF_SAVE_END / 8; q++)
		if (gr_valid(rq->rq_valid, q * 8))
			memset(keep + q * 8, 1, 8);
	if (sc.sc_dir == GR_SCRATCH_TO_HV)
		memset(keep + (sc.sc_gpa - gpa), 1, sc.sc_len);
	/* keep[] is 0 or 1 a byte: times 0xff, it masks what stays. */
	if (vm->v_twin)
		for (i = 0; i < GR_PAGE; i += 8) {
			memcpy(&k, keep + i, 8);
			memcpy(&w, page + i, 8);
			w ^= ~(k * 0xff);
			memcpy(page + i, &w, 8);
		}
	gr_req_from_page(&vm->v_req, page, gpa);

	/* What the handler may touch: ghcb_poison.h. */
	ga_begin(&vm->v_ga, gpa);
	ga_allow(&vm->v_ga, GR_OFF_EXITCODE, 24, GA_READ_OK);
	ga_allow(&vm->v_ga, GR_OFF_VALID, 16, GA_READ_OK);
	ga_allow(&vm->v_ga, GR_OFF_VERSION, 6, GA_READ_OK);
	/*
	 * Of the fields, those the guest marked valid: they are the ones
	 * it hands over (a field its event does not take is read in vain,
	 * but is the guest's to give).
	 */
	for (f = 1; f < (1U << GR_NFIELDS); f <<= 1) {
		if (!gr_valid(rq->rq_valid, gr_field_off(f)))
			continue;
		ga_allow(&vm->v_ga, gr_field_off(f), f == GR_CPL ? 1 : 8,
		    GA_READ_OK);
	}
	ga_allow(&vm->v_ga, 0, GR_OFF_SHAREDBUF, GA_WRITE_OK);
	if (sc.sc_dir == GR_SCRATCH_TO_HV)
		ga_allow(&vm->v_ga, (uint32_t)(sc.sc_gpa - gpa),
		    (uint32_t)sc.sc_len, GA_READ_OK);
	else if (sc.sc_dir == GR_SCRATCH_TO_GUEST)
		ga_allow(&vm->v_ga, (uint32_t)(sc.sc_gpa - gpa),
		    (uint32_t)sc.sc_len, GA_WRITE_OK);
	ga_poison(&vm->v_ga);
}

/* The VMRUN that hands the vcpu its next exit. */
static void
load(struct fz_vm *vm, uint8_t *vmcb)
{
	const struct fz_rec *r = vm->v_rec;
	uint64_t gpa;

	vm->v_out.o_page_gpa = GA_NOPAGE;
	memset(&vm->v_req, 0, sizeof(vm->v_req));
	switch (r->r_kind) {
	case FZ_GHCB:
	case FZ_GHCB_ALT:
	case FZ_GHCB_AT:
		if (ram_page(r->r_msr, &gpa)) {
			load_page(vm, r, gpa);
			vm->v_out.o_page_gpa = gpa;
		} else {
			ga_begin(&vm->v_ga, GA_NOPAGE);
			ga_poison(&vm->v_ga);
		}
		vmcb_set(vmcb, VMCB_GHCB_GPA, r->r_msr);
		vmcb_exit(vm, vmcb, EXIT_VMGEXIT, 0);
		break;
	case FZ_MSR:
		ga_begin(&vm->v_ga, GA_NOPAGE);
		ga_poison(&vm->v_ga);
		vmcb_set(vmcb, VMCB_GHCB_GPA, r->r_msr);
		vmcb_exit(vm, vmcb, EXIT_VMGEXIT, 0);
		break;
	default:
		ga_begin(&vm->v_ga, GA_NOPAGE);
		ga_poison(&vm->v_ga);
		vmcb_exit(vm, vmcb, r->r_code, r->r_info1);
		break;
	}
}

/* The VMRUN that resumes the guest: the answer is what it finds. */
static void
resume(struct fz_vm *vm, uint8_t *vmcb)
{
	struct fz_outcome *o = &vm->v_out;

	ga_end(&vm->v_ga);
	o->o_msr = vmcb_get(vmcb, VMCB_GHCB_GPA);
	if (o->o_page_gpa != GA_NOPAGE) {
		memcpy(o->o_page, vm->v_ram + o->o_page_gpa, GR_PAGE);
		memcpy(o->o_acc, vm->v_ga.r_acc, GR_PAGE);
	}
}

/* Record i of this VM's requests is next: nothing of it seen yet. */
static void
begin_rec(struct fz_vm *vm, unsigned int i)
{
	vm->v_cur = i;
	vm->v_rec = &vm->v_recs[i];
	vm->v_iter = 0;
	vm->v_out.o_ended = 0;
	vm->v_out.o_nev = 0;
	vm->v_phase = PH_LOADED;
	cur_rec = i;
}

/*
 * The current request is answered (or ended the VM): twin A's answer
 * is judged and kept, twin B's must match it.
 */
static void
judge(struct fz_vm *vm)
{
	const struct fz_outcome *o = &vm->v_out;
	unsigned int i = vm->v_cur;

	if (!vm->v_twin) {
		fz_oracle_step(vm->v_rec, &vm->v_req, o);
		a_req[i] = vm->v_req;
		memcpy(&a_out[i], o, offsetof(struct fz_outcome, o_ev) +
		    o->o_nev * sizeof(o->o_ev[0]));
	} else
		fz_oracle_twins(vm->v_rec, &a_req[i], &a_out[i], o);
}

/*
 * The machine's clock, which the host TSC follows (hostcpu.c): it ticks
 * at each VMRUN, so that the twins, which make the same VMRUNs, see the
 * same time.
 */
static uint64_t cycles;

uint64_t
cpu_cycles(void)
{
	return (cycles);
}

/* The CPU's VMRUN, replayed (see the top of the file). */
int
seam_vmrun(uint64_t vmcb_pa)
{
	struct fz_vm *vm = cur;
	uint8_t *vmcb;

	if (vm == NULL || vmcb_pa >= seam_physmem.sm_size ||
	    (vmcb_pa & 0xfff) != 0) {
		fz_finding("VMRUN of a VMCB at 0x%llx outside a run",
		    (unsigned long long)vmcb_pa);
		return (-1);
	}
	vmcb = seam_physmem.sm_direct + vmcb_pa;
	cycles += 1000;
	switch (vm->v_phase) {
	case PH_PENDING:
		load(vm, vmcb);
		vm->v_phase = PH_LOADED;
		return (0);
	case PH_LOADED:
		resume(vm, vmcb);
		judge(vm);
		if (vm->v_cur + 1 < vm->v_nrecs) {
			begin_rec(vm, vm->v_cur + 1);
			load(vm, vmcb);
			return (0);
		}
		vm->v_phase = PH_RESUMED;
		break;
	}
	/* The guest's slice is over: the driver takes the VM back. */
	vmcb_exit(vm, vmcb, EXIT_INTR, 0);
	return (0);
}

static void
record_event(struct fz_vm *vm, const struct seam_exit *se, int kind)
{
	struct fz_outcome *o = &vm->v_out;
	struct fz_ev *e;

	if (o->o_nev >= FZ_MAXEV) {
		fz_finding("more than %u exits to vmd for one request",
		    FZ_MAXEV);
		return;
	}
	e = &o->o_ev[o->o_nev++];
	memset(e, 0, sizeof(*e));
	e->e_kind = (uint8_t)kind;
	e->e_in = se->se_in;
	e->e_size = se->se_size;
	e->e_port = se->se_port;
	e->e_gpa = se->se_gpa;
	if (!se->se_in)
		e->e_data = se->se_data;
}

/*
 * Runs the vcpu through requests recs[0..n-1], playing vmd, until the
 * guest resumes after the last one or the VM ends; returns how many
 * requests it served (the one that ended the VM included).
 */
static unsigned int
run(struct fz_vm *vm, const struct fz_rec *recs, unsigned int n)
{
	struct fz_outcome *o = &vm->v_out;
	struct seam_exit se;

	vm->v_recs = recs;
	vm->v_nrecs = n;
	begin_rec(vm, 0);
	vm->v_phase = PH_PENDING;
	memset(&se, 0, sizeof(se));
	cur = vm;
	shim_guest_poison = vm->v_poison;
	seam_wrmsr(0x10, vm->v_tsc);
	for (;;) {
		if (vm->v_iter++ == FZ_MAXITER) {
			fz_finding("the request did not end after %u runs of "
			    "the vcpu", FZ_MAXITER);
			break;
		}
		(void)seam_vm_run(vm->v_id, &se);
		if (vm->v_phase == PH_RESUMED)
			break;
		switch (se.se_kind) {
		case SEAM_EXIT_NONE:
			continue;
		case SEAM_EXIT_IO:
		case SEAM_EXIT_MMIO:
			record_event(vm, &se,
			    se.se_kind == SEAM_EXIT_IO ? FZ_EV_IO : FZ_EV_MMIO);
			if (se.se_in) {
				se.se_data = fz_answer(vm->v_nanswer++,
				    vm->v_twin, se.se_size);
				o->o_ev[o->o_nev - 1].e_answer = se.se_data;
				se.se_unmasked = 1;
			}
			continue;
		case SEAM_EXIT_HLT:
			record_event(vm, &se, FZ_EV_HLT);
			continue;
		default:
			o->o_ended = 1;
			o->o_kind = se.se_kind;
			o->o_error = se.se_error;
			ga_end(&vm->v_ga);
			judge(vm);
			break;
		}
		break;
	}
	vm->v_phase = PH_IDLE;
	cur = NULL;
	return (vm->v_cur + 1);
}

static int
vm_make(int slot, int *vmid)
{
	struct seam_vm_params vp;

	memset(&vp, 0, sizeof(vp));
	vp.vp_ram_hpa = FZ_KERNEL_MEM + slot * FZ_RAM_SIZE;
	vp.vp_ram_size = FZ_RAM_SIZE;
	vp.vp_entry_long = 1;
	vp.vp_rip = 0x1000;
	vp.vp_rsp = 0x8000;
	vp.vp_cr0 = 0x80010031ULL;
	vp.vp_cr3 = 0x4000;
	vp.vp_cr4 = 0x000406a0ULL;
	vp.vp_efer = 0xd01;
	vp.vp_gdt_base = 0x1000;
	vp.vp_gdt_limit = 0x1f;
	vp.vp_cs = 0x08;
	vp.vp_ds = 0x10;
	return (seam_vm_create(&vp, vmid));
}

static void
twin_init(struct fz_vm *vm, int twin)
{

	/*
	 * The outcome's event list is long and written before it is read:
	 * clearing all of it at each input cost more than a request.
	 */
	memset(vm, 0, offsetof(struct fz_vm, v_out));
	memset(&vm->v_out, 0, offsetof(struct fz_outcome, o_nev));
	vm->v_out.o_nev = 0;
	vm->v_twin = twin;
	vm->v_ram_hpa = FZ_KERNEL_MEM + (1 + twin) * FZ_RAM_SIZE;
	vm->v_ram = seam_physmem.sm_direct + vm->v_ram_hpa;
	vm->v_poison = twin ? 0xa1a1a1a1a1a1a1a1ULL : 0x5e5e5e5e5e5e5e5eULL;
	vm->v_ga.r_base = vm->v_ram;
	vm->v_ga.r_size = FZ_RAM_SIZE;
	vm->v_ga.r_name = twin ? "twin B" : "twin A";
	vm->v_ga.r_page = GA_NOPAGE;
	memcpy(vm->v_ram, ram_image[twin], FZ_RAM_SIZE);
	ga_attach(twin, &vm->v_ga);
	if (vm_make(1 + twin, &vm->v_id) != 0) {
		fprintf(stderr, "fuzz_vmgexit: cannot create a VM:\n%s\n",
		    console);
		abort();
	}
}

static void
survey_report(void)
{
	unsigned int i;

	fprintf(stderr, "fuzz_vmgexit: survey: %u kinds of finding\n", nkinds);
	for (i = 0; i < nkinds; i++)
		fprintf(stderr, "  %8lu  %s\n", kinds[i].count, kinds[i].kind);
}

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t size = FZ_KERNEL_MEM + FZ_NVMS * FZ_RAM_SIZE;
	uint64_t i;
	void *mem;

	(void)argc;
	(void)argv;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("fuzz_vmgexit: mmap");
		abort();
	}
	seam_physmem.sm_direct = mem;
	seam_physmem.sm_size = size;
	seam_physmem.sm_kernel_end = FZ_KERNEL_MEM;
	for (i = 0; i < FZ_RAM_SIZE; i++) {
		ram_image[0][i] = pattern(i, 0);
		ram_image[1][i] = pattern(i, 1);
	}
	if (getenv("SEVEMU_FUZZ_PROGRESS") != NULL)
		progress_fd = open(getenv("SEVEMU_FUZZ_PROGRESS"),
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (getenv("SEVEMU_FUZZ_SURVEY") != NULL) {
		survey = 1;
		atexit(survey_report);
	}
	/* The keeper VM keeps the kernel booted between inputs. */
	if (vm_make(0, &keeper) != 0) {
		fprintf(stderr, "fuzz_vmgexit: cannot create a VM:\n%s\n",
		    console);
		abort();
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_input in;
	struct fz_rec recs[FZ_MAXRECS];
	unsigned int n = 0, i;

	console_len = 0;
	console[0] = '\0';
	if (progress_fd != -1 && (++execs & 1023) == 0) {
		char line[32];
		int len = snprintf(line, sizeof(line), "%20llu\n", execs);

		(void)pwrite(progress_fd, line, (size_t)len, 0);
	}
	fz_input_init(&in, data, size);
	nanswers = 0;
	while (n < FZ_MAXRECS && fz_input_next(&in, &recs[n])) {
		if (recs[n].r_kind == FZ_ANSWER) {
			if (nanswers < FZ_MAXRECS)
				answers[nanswers++] = recs[n].r_value;
			continue;
		}
		n++;
	}
	if (n == 0)
		return (0);

	twin_init(&vms[0], 0);
	twin_init(&vms[1], 1);
	fz_oracle_reset();
	/* B serves as many as A did: where A's VM ended, B's must too. */
	n = run(&vms[0], recs, n);
	(void)run(&vms[1], recs, n);
	for (i = 0; i < 2; i++) {
		ga_close(&vms[i].v_ga);
		ga_attach(i, NULL);
		seam_vm_destroy(vms[i].v_id);
	}
	return (0);
}
