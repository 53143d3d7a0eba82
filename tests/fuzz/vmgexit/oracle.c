/*
 * oracle.c - the answers oracle and the noninterference oracle.
 *
 * Answers (fz_oracle_step), judged on twin A after each request, from
 * the rules of ghcb_rules.c and what the run has established so far:
 *   - a request that must be refused is refused, with one of the
 *     reasons that apply; a well-formed one is refused, if at all, only
 *     for a reason a hypervisor may have (an event or value it does not
 *     serve);
 *   - an answer marks sw_exitinfo1 and sw_exitinfo2 valid, and on
 *     success exactly the registers the event returns; sw_exitinfo1 is
 *     0 on success (all 64 bits), 1 with a well-formed exception (only
 *     where the instruction can fault) or 2; no field is written
 *     without its valid bit;
 *   - register results of CPUID, RDTSC(P), RDMSR and RDPMC fit in 32
 *     bits; an IN result is vmd's answer masked to the operand size;
 *   - vmd sees exactly the accesses the request asks for: the port,
 *     size, direction and data of each IN/OUT and each element of a
 *     string, the GPA, size and data of MMIO; INS and MMIO read results
 *     land in the scratch area, masked to size;
 *   - state that SET/GET pairs keep: PAT (WRMSR then RDMSR), DR7
 *     (written, read back with reserved bits as the CPU has them), the
 *     AP jump table (SET then GET); the TSC does not go backwards;
 *     CPUID through the GHCB agrees with CPUID through the MSR protocol
 *     and with itself; the hypervisor features agree between the two;
 *   - MSR protocol: each response has its request's response code and
 *     no reserved bits; SEV information is sane (versions, C-bit); a
 *     registration echoes the GFN or declines it, and a page outside RAM
 *     is declined;
 *   - the VM ends only where the guest left no usable GHCB, asked to be
 *     terminated, reported an unsupported event, or asked an unknown
 *     MSR-protocol request.
 * Noninterference (fz_oracle_twins): twin B's request differed from
 * A's only in what the guest did not mark valid (and in register poison
 * and vmd's bits above the access size): every answer must match: how
 * the request ended, every exit to vmd, the GHCB MSR, the answer's
 * valid bitmap, each field it marks valid and the scratch area it fills.
 */
#include <stdio.h>
#include <string.h>

#include "hostcpu.h"
#include "seam.h"
#include "vmgexit.h"

#define MSR_PAT		0x277
#define MSR_TSC		0x10
#define DR7_MBZ		0xd800ULL
#define DR7_MBO		0x400ULL
#define NCPUID		64

static struct {
	uint64_t	 registered;	/* the GHCB page, GA_NOPAGE: none yet */
	int		 pat_known;	/* the vcpu starts with the host's */
	uint64_t	 pat;
	uint64_t	 dr7;
	uint64_t	 ajt;
	uint64_t	 tsc;
	int		 hv_known;
	uint64_t	 hv;
	struct {
		int		 c_known;
		uint32_t	 c_leaf, c_subleaf;
		uint64_t	 c_xcr0;
		uint32_t	 c_regs[4];
	} cpuid[NCPUID];
	struct {
		int		 m_known;	/* bit per register */
		uint32_t	 m_leaf;
		uint32_t	 m_regs[4];
	} msrcpuid[NCPUID];
} st;

void
fz_oracle_reset(void)
{
	memset(&st, 0, sizeof(st));
	st.registered = GA_NOPAGE;
	st.dr7 = DR7_MBO;
}

static const char *
kind_name(int kind)
{
	switch (kind) {
	case SEAM_EXIT_TERMINATE:
		return ("terminated");
	case SEAM_EXIT_SHUTDOWN:
		return ("shut down");
	case SEAM_EXIT_ERROR:
		return ("failed");
	}
	return ("stopped");
}

void
fz_describe(const struct fz_rec *r, char *buf, size_t size)
{
	const struct gr_req *rq = &r->r_page.p_req;
	const struct gr_event *ev;

	switch (r->r_kind) {
	case FZ_MSR:
		snprintf(buf, size, "MSR protocol 0x%016llx",
		    (unsigned long long)r->r_msr);
		break;
	case FZ_AUTO:
		snprintf(buf, size, "automatic exit 0x%llx, exitinfo1 0x%llx",
		    (unsigned long long)r->r_code,
		    (unsigned long long)r->r_info1);
		break;
	default:
		ev = gr_event(rq->rq_exitcode);
		snprintf(buf, size, "GHCB at 0x%llx: %s (sw_exitcode 0x%llx, "
		    "exitinfo1 0x%llx, exitinfo2 0x%llx)",
		    (unsigned long long)r->r_msr, ev ? ev->ev_name : "unknown",
		    (unsigned long long)rq->rq_exitcode,
		    (unsigned long long)rq->rq_exitinfo1,
		    (unsigned long long)rq->rq_exitinfo2);
		break;
	}
}

static uint64_t
get64(const uint8_t *p, unsigned int off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return (v);
}

static void
reasons_text(unsigned int set, char *buf, size_t size)
{
	size_t n = 0;
	int r;

	buf[0] = '\0';
	for (r = 0; r < 32 && n + 4 < size; r++)
		if (set & GR_REASON(r))
			n += snprintf(buf + n, size - n, "%s%d", n ? "," : "",
			    r);
}

/* MSR-protocol requests and answers. */
static void
check_msrproto(const struct fz_rec *r, const struct fz_outcome *o)
{
	uint64_t req = r->r_msr, resp = o->o_msr, reserved, gfn;
	unsigned int code = req & 0xfff, want;
	const char *name;
	unsigned int leaf, reg, i;

	if (o->o_ended) {
		if (code == 0x100) {
			if (o->o_kind != SEAM_EXIT_TERMINATE)
				fz_finding("termination request: the VM %s "
				    "(error %d), not terminated",
				    kind_name(o->o_kind), o->o_error);
			return;
		}
		if (gr_msrproto_response(code, &want, &reserved, &name))
			fz_finding("MSR protocol: the VM %s (error %d) on a "
			    "%s request (0x%03x) it should answer",
			    kind_name(o->o_kind), o->o_error, name, code);
		return;
	}
	if (code == 0x100) {
		fz_finding("termination request 0x%llx: the guest runs on",
		    (unsigned long long)req);
		return;
	}
	if (!gr_msrproto_response(code, &want, &reserved, &name))
		return;
	if ((resp & 0xfff) != want) {
		fz_finding("MSR protocol: %s request 0x%llx answered 0x%llx: "
		    "code 0x%03llx, not 0x%03x", name, (unsigned long long)req,
		    (unsigned long long)resp,
		    (unsigned long long)(resp & 0xfff), want);
		return;
	}
	if (resp & reserved)
		fz_finding("MSR protocol: %s response 0x%llx has reserved "
		    "bits 0x%llx set", name, (unsigned long long)resp,
		    (unsigned long long)(resp & reserved));
	switch (code) {
	case 0x002:
		if (((resp >> 32) & 0xffff) < 1 ||
		    (resp >> 48) < ((resp >> 32) & 0xffff))
			fz_finding("SEV information 0x%llx: protocol versions "
			    "%llu to %llu", (unsigned long long)resp,
			    (unsigned long long)((resp >> 32) & 0xffff),
			    (unsigned long long)(resp >> 48));
		if (((resp >> 24) & 0xff) != hostcpu_cbit())
			fz_finding("SEV information 0x%llx: C-bit %llu, the "
			    "CPU's is %u", (unsigned long long)resp,
			    (unsigned long long)((resp >> 24) & 0xff),
			    hostcpu_cbit());
		break;
	case 0x004:
		if ((resp ^ req) & 0xc0000000ULL) {
			fz_finding("MSR-protocol CPUID 0x%llx answered 0x%llx: "
			    "another register", (unsigned long long)req,
			    (unsigned long long)resp);
			break;
		}
		leaf = (uint32_t)(req >> 32);
		reg = (req >> 30) & 3;
		if (leaf == 0xd)
			break;
		i = leaf % NCPUID;
		if (st.msrcpuid[i].m_leaf != leaf)
			st.msrcpuid[i].m_known = 0;
		st.msrcpuid[i].m_leaf = leaf;
		if ((st.msrcpuid[i].m_known & (1 << reg)) &&
		    st.msrcpuid[i].m_regs[reg] != (uint32_t)(resp >> 32))
			fz_finding("MSR-protocol CPUID leaf 0x%x register %u "
			    "was 0x%x, is 0x%x", leaf, reg,
			    st.msrcpuid[i].m_regs[reg],
			    (uint32_t)(resp >> 32));
		st.msrcpuid[i].m_known |= 1 << reg;
		st.msrcpuid[i].m_regs[reg] = (uint32_t)(resp >> 32);
		for (i = 0; i < NCPUID; i++)
			if (st.cpuid[i].c_known && st.cpuid[i].c_leaf == leaf &&
			    st.cpuid[i].c_subleaf == 0 &&
			    st.cpuid[i].c_regs[reg] != (uint32_t)(resp >> 32))
				fz_finding("CPUID leaf 0x%x register %u: 0x%x "
				    "through the MSR protocol, 0x%x through "
				    "the GHCB", leaf, reg,
				    (uint32_t)(resp >> 32),
				    st.cpuid[i].c_regs[reg]);
		break;
	case 0x006:
		if ((resp >> 12) == 0)
			fz_finding("AP reset hold answered 0x%llx: not released",
			    (unsigned long long)resp);
		break;
	case 0x012:
		gfn = resp >> 12;
		if (gfn != (req >> 12) && gfn != (~0ULL >> 12)) {
			fz_finding("GHCB GPA registration of GFN 0x%llx answered "
			    "GFN 0x%llx: neither the same nor all ones",
			    (unsigned long long)(req >> 12),
			    (unsigned long long)gfn);
			break;
		}
		if (gfn == (req >> 12) &&
		    ((req & ~0xfffULL) == 0 || (req & ~0xfffULL) >= FZ_RAM_SIZE))
			fz_finding("GHCB GPA registration of 0x%llx accepted: "
			    "not a page of guest RAM",
			    (unsigned long long)(req & ~0xfffULL));
		else if (gfn == (req >> 12))
			st.registered = req & ~0xfffULL;
		break;
	case 0x080:
		if (st.hv_known && st.hv != (resp >> 12))
			fz_finding("hypervisor features 0x%llx through the MSR "
			    "protocol, 0x%llx before",
			    (unsigned long long)(resp >> 12),
			    (unsigned long long)st.hv);
		st.hv_known = 1;
		st.hv = resp >> 12;
		break;
	}
}

/* The exits to vmd a served request must make, one by one; 0 if so. */
static int
check_events(const struct gr_req *rq, const struct fz_outcome *o,
    const uint8_t *page)
{
	unsigned int want = 0, i, size, port;
	uint64_t mask, data;
	struct gr_scratch sc;
	const struct fz_ev *e;

	switch (rq->rq_exitcode) {
	case GR_IOIO:
		size = gr_ioio_size(rq->rq_exitinfo1);
		port = (rq->rq_exitinfo1 >> 16) & 0xffff;
		mask = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
		want = (rq->rq_exitinfo1 & GR_IOIO_STR) ?
		    (unsigned int)rq->rq_exitinfo2 : 1;
		gr_scratch_area(rq, &sc);
		if (o->o_nev != want) {
			fz_finding("IOIO: %u exits to vmd, the request asks "
			    "for %u", o->o_nev, want);
			return (-1);
		}
		for (i = 0; i < want; i++) {
			e = &o->o_ev[i];
			if (e->e_kind != FZ_EV_IO || e->e_port != port ||
			    e->e_size != size ||
			    e->e_in != (rq->rq_exitinfo1 & GR_IOIO_IN)) {
				fz_finding("IOIO element %u: vmd saw kind %u "
				    "port 0x%x size %u in %u, the request is "
				    "port 0x%x size %u in %u", i, e->e_kind,
				    e->e_port, e->e_size, e->e_in, port, size,
				    (unsigned int)(rq->rq_exitinfo1 &
				    GR_IOIO_IN));
				return (-1);
			}
			if (e->e_in)
				continue;
			data = rq->rq_rax & mask;
			if (rq->rq_exitinfo1 & GR_IOIO_STR) {
				data = 0;
				memcpy(&data, page + (sc.sc_gpa -
				    rq->rq_gpa) + i * size, size);
			}
			if (e->e_data != data) {
				fz_finding("OUT%s element %u: vmd got 0x%llx, "
				    "the guest sent 0x%llx",
				    (rq->rq_exitinfo1 & GR_IOIO_STR) ? "S" : "",
				    i, (unsigned long long)e->e_data,
				    (unsigned long long)data);
				return (-1);
			}
		}
		return (0);
	case GR_MMIO_READ:
	case GR_MMIO_WRITE:
		if (o->o_nev != 1) {
			fz_finding("MMIO: %u exits to vmd, not 1", o->o_nev);
			return (-1);
		}
		e = &o->o_ev[0];
		if (e->e_kind != FZ_EV_MMIO || e->e_gpa != rq->rq_exitinfo1 ||
		    e->e_size != rq->rq_exitinfo2 ||
		    e->e_in != (rq->rq_exitcode == GR_MMIO_READ)) {
			fz_finding("MMIO: vmd saw kind %u GPA 0x%llx size %u in "
			    "%u, the request is GPA 0x%llx size %llu",
			    e->e_kind, (unsigned long long)e->e_gpa, e->e_size,
			    e->e_in, (unsigned long long)rq->rq_exitinfo1,
			    (unsigned long long)rq->rq_exitinfo2);
			return (-1);
		}
		if (!e->e_in) {
			gr_scratch_area(rq, &sc);
			data = 0;
			memcpy(&data, page + (sc.sc_gpa - rq->rq_gpa),
			    sc.sc_len);
			if (e->e_data != data)
				fz_finding("MMIO write: vmd got 0x%llx, the "
				    "scratch area holds 0x%llx",
				    (unsigned long long)e->e_data,
				    (unsigned long long)data);
		}
		return (0);
	case GR_HLT:
		if (o->o_nev != 1 || o->o_ev[0].e_kind != FZ_EV_HLT) {
			fz_finding("HLT: %u exits to vmd, not one HLT",
			    o->o_nev);
			return (-1);
		}
		return (0);
	}
	if (o->o_nev != 0) {
		fz_finding("%u exits to vmd for a request that needs none",
		    o->o_nev);
		return (-1);
	}
	return (0);
}

/* What an IN, INS or MMIO read put into the guest's hands. */
static void
check_results(const struct gr_req *rq, const struct fz_outcome *o,
    const uint8_t *ans)
{
	uint64_t mask, want, got;
	struct gr_scratch sc;
	unsigned int size, i;
	const uint8_t *area;

	switch (rq->rq_exitcode) {
	case GR_IOIO:
		size = gr_ioio_size(rq->rq_exitinfo1);
		mask = (1ULL << (8 * size)) - 1;
		if (!(rq->rq_exitinfo1 & GR_IOIO_IN))
			return;
		if (!(rq->rq_exitinfo1 & GR_IOIO_STR)) {
			want = o->o_ev[0].e_answer & mask;
			got = get64(ans, GR_OFF_RAX);
			if (got != want)
				fz_finding("IN of %u bytes: RAX 0x%llx, vmd "
				    "answered 0x%llx (0x%llx masked)", size,
				    (unsigned long long)got,
				    (unsigned long long)o->o_ev[0].e_answer,
				    (unsigned long long)want);
			return;
		}
		gr_scratch_area(rq, &sc);
		if (sc.sc_dir == GR_SCRATCH_NONE || !sc.sc_inside)
			return;
		area = ans + (sc.sc_gpa - rq->rq_gpa);
		for (i = 0; i < o->o_nev; i++) {
			got = 0;
			memcpy(&got, area + i * size, size);
			want = o->o_ev[i].e_answer & mask;
			if (got != want) {
				fz_finding("INS element %u of %u: 0x%llx in the "
				    "scratch area, vmd answered 0x%llx", i,
				    o->o_nev, (unsigned long long)got,
				    (unsigned long long)want);
				return;
			}
		}
		return;
	case GR_MMIO_READ:
		gr_scratch_area(rq, &sc);
		if (!sc.sc_inside)
			return;
		got = 0;
		memcpy(&got, ans + (sc.sc_gpa - rq->rq_gpa), sc.sc_len);
		mask = sc.sc_len >= 8 ? ~0ULL : (1ULL << (8 * sc.sc_len)) - 1;
		want = o->o_ev[0].e_answer & mask;
		if (got != want)
			fz_finding("MMIO read of %llu bytes: 0x%llx in the "
			    "scratch area, vmd answered 0x%llx",
			    (unsigned long long)sc.sc_len,
			    (unsigned long long)got,
			    (unsigned long long)want);
		return;
	}
}

static int
pat_is_valid(uint64_t pat)
{
	int i, t;

	for (i = 0; i < 8; i++) {
		t = (pat >> (8 * i)) & 0xff;
		if (t != 0 && t != 1 && t != 4 && t != 5 && t != 6 && t != 7)
			return (0);
	}
	return (1);
}

static void
check_tsc(uint64_t tsc, const char *what)
{
	if (tsc < st.tsc)
		fz_finding("%s: TSC 0x%llx, earlier 0x%llx: it went back",
		    what, (unsigned long long)tsc, (unsigned long long)st.tsc);
	st.tsc = tsc;
}

static void
check_cpuid(const struct gr_req *rq, const uint8_t *ans)
{
	uint32_t leaf = (uint32_t)rq->rq_rax, sub = (uint32_t)rq->rq_rcx;
	uint64_t xcr0 = leaf == 0xd ? rq->rq_xcr0 : 0;
	uint32_t regs[4];
	unsigned int i, r;

	regs[0] = (uint32_t)get64(ans, GR_OFF_RAX);
	regs[1] = (uint32_t)get64(ans, GR_OFF_RBX);
	regs[2] = (uint32_t)get64(ans, GR_OFF_RCX);
	regs[3] = (uint32_t)get64(ans, GR_OFF_RDX);
	i = (leaf * 7 + sub * 3 + (unsigned int)xcr0) % NCPUID;
	if (st.cpuid[i].c_known && st.cpuid[i].c_leaf == leaf &&
	    st.cpuid[i].c_subleaf == sub && st.cpuid[i].c_xcr0 == xcr0 &&
	    memcmp(st.cpuid[i].c_regs, regs, sizeof(regs)) != 0)
		fz_finding("CPUID 0x%x/0x%x answered %08x %08x %08x %08x, "
		    "before %08x %08x %08x %08x", leaf, sub, regs[0], regs[1],
		    regs[2], regs[3], st.cpuid[i].c_regs[0],
		    st.cpuid[i].c_regs[1], st.cpuid[i].c_regs[2],
		    st.cpuid[i].c_regs[3]);
	st.cpuid[i].c_known = 1;
	st.cpuid[i].c_leaf = leaf;
	st.cpuid[i].c_subleaf = sub;
	st.cpuid[i].c_xcr0 = xcr0;
	memcpy(st.cpuid[i].c_regs, regs, sizeof(regs));
	if (leaf == 0x8000001f && (regs[1] & 0x3f) != hostcpu_cbit())
		fz_finding("CPUID 0x8000001f: C-bit %u, the CPU's is %u",
		    regs[1] & 0x3f, hostcpu_cbit());
	if (sub != 0 || leaf == 0xd)
		return;
	i = leaf % NCPUID;
	if (st.msrcpuid[i].m_leaf != leaf)
		return;
	for (r = 0; r < 4; r++)
		if ((st.msrcpuid[i].m_known & (1 << r)) &&
		    st.msrcpuid[i].m_regs[r] != regs[r])
			fz_finding("CPUID leaf 0x%x register %u: 0x%x through "
			    "the GHCB, 0x%x through the MSR protocol", leaf, r,
			    regs[r], st.msrcpuid[i].m_regs[r]);
}

/* Values of a successful answer, and the state SET/GET pairs keep. */
static void
check_values(const struct gr_req *rq, const uint8_t *ans)
{
	uint64_t rax = get64(ans, GR_OFF_RAX), rdx = get64(ans, GR_OFF_RDX);
	uint64_t info2 = get64(ans, GR_OFF_EXITINFO2), v;
	uint32_t msr = (uint32_t)rq->rq_rcx;

	switch (rq->rq_exitcode) {
	case GR_CPUID:
		check_cpuid(rq, ans);
		break;
	case GR_MSR:
		if (rq->rq_exitinfo1 == 1) {
			v = (rq->rq_rdx << 32) | (uint32_t)rq->rq_rax;
			if (msr == MSR_PAT && !pat_is_valid(v))
				fz_finding("WRMSR of PAT 0x%llx, not a valid "
				    "PAT, succeeded (the CPU raises #GP)",
				    (unsigned long long)v);
			else if (msr == MSR_PAT) {
				st.pat = v;
				st.pat_known = 1;
			}
			break;
		}
		v = (rdx << 32) | (uint32_t)rax;
		if (msr == MSR_PAT && st.pat_known && v != st.pat)
			fz_finding("RDMSR of PAT: 0x%llx, it was 0x%llx",
			    (unsigned long long)v, (unsigned long long)st.pat);
		if (msr == MSR_PAT) {
			st.pat = v;
			st.pat_known = 1;
		}
		if (msr == MSR_TSC)
			check_tsc(v, "RDMSR of the TSC");
		break;
	case GR_RDTSC:
	case GR_RDTSCP:
		check_tsc((rdx << 32) | (uint32_t)rax, "RDTSC");
		break;
	case GR_DR7_WRITE:
		if (rq->rq_rax >> 32)
			fz_finding("DR7 write of 0x%llx succeeded (bits 63:32 "
			    "set: the CPU raises #GP)",
			    (unsigned long long)rq->rq_rax);
		else
			st.dr7 = (rq->rq_rax & ~DR7_MBZ) | DR7_MBO;
		break;
	case GR_DR7_READ:
		if (rax != st.dr7)
			fz_finding("DR7 read: 0x%llx, the guest wrote 0x%llx",
			    (unsigned long long)rax,
			    (unsigned long long)st.dr7);
		break;
	case GR_AP_JUMP_TABLE:
		if (rq->rq_exitinfo1 == 0)
			st.ajt = rq->rq_exitinfo2;
		else if (info2 != st.ajt)
			fz_finding("AP jump table GET: 0x%llx, SET gave 0x%llx",
			    (unsigned long long)info2,
			    (unsigned long long)st.ajt);
		break;
	case GR_AP_RESET_HOLD:
		if (info2 == 0)
			fz_finding("AP reset hold answered with sw_exitinfo2 0: "
			    "not released");
		break;
	case GR_HV_FEATURES:
		if (st.hv_known && info2 != st.hv)
			fz_finding("hypervisor features 0x%llx through the GHCB, "
			    "0x%llx through the MSR protocol",
			    (unsigned long long)info2,
			    (unsigned long long)st.hv);
		st.hv_known = 1;
		st.hv = info2;
		break;
	}
}

/* The answer in the page: status, valid bits, fields. */
static void
check_answer(const struct gr_req *rq, const struct fz_outcome *o)
{
	const uint8_t *ans = o->o_page, *vb = o->o_page + GR_OFF_VALID;
	uint64_t info1 = get64(ans, GR_OFF_EXITINFO1);
	uint64_t info2 = get64(ans, GR_OFF_EXITINFO2);
	unsigned int reasons, out = 0, f, q, i;
	const struct gr_event *ev = gr_event(rq->rq_exitcode);
	const char *why;
	char text[64];
	int must, written;

	if (!gr_valid(vb, GR_OFF_EXITINFO1) || !gr_valid(vb, GR_OFF_EXITINFO2)) {
		fz_finding("answer without sw_exitinfo1 and sw_exitinfo2 "
		    "marked valid (bitmap byte 0x73: 0x%02x)", vb[0x73]);
		return;
	}
	reasons = gr_refusal_reasons(rq, &must);
	reasons_text(reasons, text, sizeof(text));
	switch ((uint32_t)info1) {
	case GR_RESP_OK:
		if (info1 != 0) {
			fz_finding("success with sw_exitinfo1 0x%llx: bits 63:32 "
			    "not cleared", (unsigned long long)info1);
			return;
		}
		if (must) {
			fz_finding("served a request it must refuse (reasons %s)",
			    text);
			return;
		}
		out = gr_outputs(rq);
		break;
	case GR_RESP_EXCEPTION:
		if (info1 != GR_RESP_EXCEPTION)
			fz_finding("exception with sw_exitinfo1 0x%llx: bits "
			    "63:32 set", (unsigned long long)info1);
		if (must)
			fz_finding("raised an exception (0x%llx) for a request "
			    "it must refuse (reasons %s)",
			    (unsigned long long)info2, text);
		else if (ev != NULL && !ev->ev_may_fault)
			fz_finding("raised an exception (0x%llx) for %s, which "
			    "cannot fault", (unsigned long long)info2,
			    ev->ev_name);
		if ((why = gr_event_inj_problem(info2)) != NULL)
			fz_finding("exception 0x%llx: %s",
			    (unsigned long long)info2, why);
		break;
	case GR_RESP_BAD_INPUT:
		if (info1 != GR_RESP_BAD_INPUT)
			fz_finding("refusal with sw_exitinfo1 0x%llx: bits 63:32 "
			    "set", (unsigned long long)info1);
		if (info2 >= 32 || !(reasons & GR_REASON(info2)))
			fz_finding("refused with reason %llu, the request calls "
			    "for %s%s", (unsigned long long)info2,
			    must ? "" : "none or ", text);
		break;
	default:
		fz_finding("answer sw_exitinfo1 0x%llx: neither 0, 1 nor 2",
		    (unsigned long long)info1);
		return;
	}

	/* Valid bits on exactly what the answer returns. */
	for (q = 0; q < 128; q++) {
		int want = q * 8 == GR_OFF_EXITINFO1 ||
		    q * 8 == GR_OFF_EXITINFO2;

		for (f = 1; f < (1U << GR_NFIELDS); f <<= 1)
			if ((out & f) && gr_field_off(f) / 8 == q)
				want = 1;
		if (gr_valid(vb, q * 8) != want) {
			fz_finding("answer %s the valid bit of GHCB offset "
			    "0x%03x (sw_exitinfo1 0x%llx)", want ? "lacks" :
			    "has", q * 8, (unsigned long long)info1);
			return;
		}
		written = 0;
		for (i = 0; i < 8 && q * 8 < GR_OFF_SAVE_END; i++)
			if (o->o_acc[q * 8 + i] & GA_OWN)
				written = 1;
		if (written && !want && get64(ans, q * 8) != 0)
			fz_finding("handler wrote GHCB offset 0x%03x (0x%llx) "
			    "without its valid bit", q * 8,
			    (unsigned long long)get64(ans, q * 8));
	}
	if (info1 != 0)
		return;
	for (f = 1; f < (1U << GR_NFIELDS); f <<= 1)
		if ((out & f) && f != GR_SCRATCH && f != GR_CPL &&
		    rq->rq_exitcode != GR_VMMCALL &&
		    (get64(ans, gr_field_off(f)) >> 32) != 0)
			fz_finding("%s: %s 0x%llx has bits 63:32 set",
			    ev ? ev->ev_name : "?", gr_field_name(f),
			    (unsigned long long)get64(ans, gr_field_off(f)));
	if (check_events(rq, o, ans) == 0)
		check_results(rq, o, ans);
	check_values(rq, ans);
}

static void
check_page_request(const struct fz_rec *r, const struct gr_req *rq,
    const struct fz_outcome *o)
{
	uint64_t page = o->o_page_gpa;
	struct gr_req v1;
	unsigned int i;
	int usable;

	/*
	 * The GHCB MSR names the GHCB at each VMGEXIT: a guest may move
	 * it, and a vmm may also keep to the page it registered and end
	 * the VM for another.
	 */
	usable = page != GA_NOPAGE && rq->rq_version >= 1 &&
	    rq->rq_version <= 2 &&
	    (st.registered == GA_NOPAGE || st.registered == page);
	/* Version 0: a guest that never set the field; judged as 1. */
	if (rq->rq_version == 0) {
		v1 = *rq;
		v1.rq_version = 1;
		rq = &v1;
	}
	if (o->o_ended) {
		if (!usable || (rq->rq_usage == 0 &&
		    gr_valid(rq->rq_valid, GR_OFF_EXITCODE) &&
		    (rq->rq_exitcode == GR_UNSUPPORTED ||
		    rq->rq_exitcode == GR_HLT)))
			return;
		fz_finding("the VM %s (error %d) on a request it should "
		    "answer in the GHCB", kind_name(o->o_kind), o->o_error);
		return;
	}
	if (page == GA_NOPAGE)
		return;
	(void)r;
	/*
	 * A GHCB of a version the hypervisor never offered (SEV
	 * information: 1 to 2) has no answer format the guest could read.
	 */
	if (rq->rq_version > 2) {
		for (i = 0; i < GR_PAGE; i++)
			if (o->o_acc[i] & GA_OWN) {
				fz_finding("answered a GHCB of protocol version "
				    "%u, which it does not offer", rq->rq_version);
				return;
			}
		return;
	}
	st.registered = page;
	check_answer(rq, o);
}

void
fz_oracle_step(const struct fz_rec *r, const struct gr_req *rq,
    const struct fz_outcome *o)
{
	unsigned int i;

	switch (r->r_kind) {
	case FZ_MSR:
		check_msrproto(r, o);
		return;
	case FZ_AUTO:
		/* CR and EFER traps change what CPUID may say. */
		for (i = 0; i < NCPUID; i++)
			st.cpuid[i].c_known = st.msrcpuid[i].m_known = 0;
		/*
		 * SHUTDOWN ends the VM; so may a HLT, which OpenBSD's vmm
		 * takes as final when the guest's interrupts are off.
		 */
		if (o->o_ended && r->r_code != 0x7f && r->r_code != GR_HLT)
			fz_finding("the VM %s (error %d) on automatic exit "
			    "0x%llx", kind_name(o->o_kind), o->o_error,
			    (unsigned long long)r->r_code);
		return;
	default:
		if ((r->r_msr & 0xfff) != 0) {
			check_msrproto(r, o);
			return;
		}
		check_page_request(r, rq, o);
		return;
	}
}

void
fz_oracle_twins(const struct fz_rec *r, const struct gr_req *rq,
    const struct fz_outcome *a, const struct fz_outcome *b)
{
	const uint8_t *vb = a->o_page + GR_OFF_VALID;
	struct gr_scratch sc;
	unsigned int i, q;

	if (a->o_ended != b->o_ended || a->o_kind != b->o_kind ||
	    a->o_error != b->o_error) {
		fz_finding("noninterference: twin A %s (error %d), twin B %s "
		    "(error %d)", a->o_ended ? kind_name(a->o_kind) : "ran on",
		    a->o_error, b->o_ended ? kind_name(b->o_kind) : "ran on",
		    b->o_error);
		return;
	}
	if (a->o_nev != b->o_nev) {
		fz_finding("noninterference: %u exits to vmd in twin A, %u in "
		    "twin B", a->o_nev, b->o_nev);
		return;
	}
	for (i = 0; i < a->o_nev; i++) {
		const struct fz_ev *x = &a->o_ev[i], *y = &b->o_ev[i];

		if (x->e_kind != y->e_kind || x->e_in != y->e_in ||
		    x->e_size != y->e_size || x->e_port != y->e_port ||
		    x->e_gpa != y->e_gpa || x->e_data != y->e_data) {
			fz_finding("noninterference: exit %u to vmd: twin A "
			    "kind %u port 0x%x gpa 0x%llx size %u data 0x%llx, "
			    "twin B kind %u port 0x%x gpa 0x%llx size %u data "
			    "0x%llx", i, x->e_kind, x->e_port,
			    (unsigned long long)x->e_gpa, x->e_size,
			    (unsigned long long)x->e_data, y->e_kind,
			    y->e_port, (unsigned long long)y->e_gpa,
			    y->e_size, (unsigned long long)y->e_data);
			return;
		}
	}
	if (a->o_ended)
		return;
	if (a->o_msr != b->o_msr) {
		fz_finding("noninterference: GHCB MSR 0x%llx in twin A, 0x%llx "
		    "in twin B", (unsigned long long)a->o_msr,
		    (unsigned long long)b->o_msr);
		return;
	}
	if (a->o_page_gpa == GA_NOPAGE || r->r_kind == FZ_MSR ||
	    r->r_kind == FZ_AUTO)
		return;
	if (memcmp(vb, b->o_page + GR_OFF_VALID, 16) != 0) {
		fz_finding("noninterference: the answers' valid bitmaps differ");
		return;
	}
	for (q = 0; q < GR_OFF_SAVE_END / 8; q++) {
		if (!gr_valid(vb, q * 8))
			continue;
		if (memcmp(a->o_page + q * 8, b->o_page + q * 8, 8) != 0) {
			fz_finding("noninterference: answer field at GHCB "
			    "offset 0x%03x: 0x%llx in twin A, 0x%llx in twin B",
			    q * 8, (unsigned long long)get64(a->o_page, q * 8),
			    (unsigned long long)get64(b->o_page, q * 8));
			return;
		}
	}
	if (get64(a->o_page, GR_OFF_EXITINFO1) != 0)
		return;
	gr_scratch_area(rq, &sc);
	if (sc.sc_dir == GR_SCRATCH_TO_GUEST && sc.sc_inside &&
	    memcmp(a->o_page + (sc.sc_gpa - a->o_page_gpa),
	    b->o_page + (sc.sc_gpa - a->o_page_gpa), sc.sc_len) != 0)
		fz_finding("noninterference: the scratch area the answer fills "
		    "(0x%llx, %llu bytes) differs between the twins",
		    (unsigned long long)sc.sc_gpa,
		    (unsigned long long)sc.sc_len);
}
