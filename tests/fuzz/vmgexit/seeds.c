/*
 * seeds.c - writes fuzz_vmgexit's seed corpus: one input per NAE event
 * and MSR-protocol request in its well-formed shape, after SEV
 * information and GHCB registration, plus malformed requests that must
 * be refused and the automatic exits.  The corpus in the sources
 * (corpus/) is this program's output:
 *   fuzz_vmgexit_seeds tests/fuzz/vmgexit/corpus
 */
#include <stdio.h>
#include <string.h>

#include "input.h"

#define SEED_MAX	4096

struct seed {
	uint8_t		 s_buf[SEED_MAX];
	size_t		 s_len;
	size_t		 s_pre;		/* SEV information and registration */
};

static void
valid(struct gr_req *rq, unsigned int off)
{
	rq->rq_valid[off / 64] |= 1U << ((off / 8) % 8);
}

/* A well-formed request: version 2, usage 0, the exit words valid. */
static void
req(struct gr_req *rq, uint64_t code, uint64_t info1, uint64_t info2)
{
	memset(rq, 0, sizeof(*rq));
	rq->rq_version = 2;
	rq->rq_exitcode = code;
	rq->rq_exitinfo1 = info1;
	rq->rq_exitinfo2 = info2;
	valid(rq, GR_OFF_EXITCODE);
	valid(rq, GR_OFF_EXITINFO1);
	valid(rq, GR_OFF_EXITINFO2);
}

static void
reg(struct gr_req *rq, unsigned int field, uint64_t v)
{
	switch (field) {
	case GR_RAX:
		rq->rq_rax = v;
		break;
	case GR_RBX:
		rq->rq_rbx = v;
		break;
	case GR_RCX:
		rq->rq_rcx = v;
		break;
	case GR_RDX:
		rq->rq_rdx = v;
		break;
	case GR_CPL:
		rq->rq_cpl = (uint8_t)v;
		break;
	case GR_XCR0:
		rq->rq_xcr0 = v;
		break;
	case GR_SCRATCH:
		rq->rq_scratch = v;
		break;
	}
	valid(rq, gr_field_off(field));
}

static void
start(struct seed *s)
{
	s->s_len = 0;
	s->s_len += fz_encode_u64(s->s_buf + s->s_len, FZ_MSR, 0x002);
	s->s_len += fz_encode_u64(s->s_buf + s->s_len, FZ_MSR,
	    FZ_GPA_GHCB | 0x012);
	s->s_pre = s->s_len;
}

static void
add_page(struct seed *s, const struct gr_req *rq, const uint8_t *buf,
    unsigned int len)
{
	s->s_len += fz_encode_page(s->s_buf + s->s_len, FZ_GHCB, FZ_GPA_GHCB,
	    rq, 0, buf, len);
}

static void
add_u64(struct seed *s, enum fz_kind kind, uint64_t v)
{
	s->s_len += fz_encode_u64(s->s_buf + s->s_len, kind, v);
}

static int
write_file(const char *dir, const char *name, const char *suffix,
    const uint8_t *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return (-1);
	}
	return (0);
}

/*
 * Each seed twice: as a guest that negotiates first, and bare (the
 * first request names the GHCB), for vmm versions that answer no
 * SEV information or registration request.
 */
static int
save(const char *dir, const char *name, struct seed *s)
{
	int bad;

	bad = write_file(dir, name, "", s->s_buf, s->s_len);
	if (s->s_pre != 0 && s->s_len > s->s_pre)
		bad |= write_file(dir, name, "-bare", s->s_buf + s->s_pre,
		    s->s_len - s->s_pre);
	s->s_pre = 0;
	return (bad);
}

#define SCRATCH		(FZ_GPA_GHCB + GR_OFF_SHAREDBUF)
#define IOIO(port, sz)	(((uint64_t)(port) << 16) | (sz))

int
main(int argc, char **argv)
{
	static const uint8_t bytes[16] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x0f
	};
	static const uint32_t leaves[] = { 0, 1, 7, 0x80000000, 0x80000001,
	    0x8000001f, 0x40000000 };
	struct seed s;
	struct gr_req rq;
	char name[64];
	const char *dir;
	unsigned int i, n = 0, sz;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_vmgexit_seeds DIR\n");
		return (2);
	}
	dir = argv[1];

	/* The MSR protocol: every request, CPUID of each register. */
	start(&s);
	for (i = 0; i < 4; i++)
		add_u64(&s, FZ_MSR, 0x8000001f00000004ULL | (i << 30));
	add_u64(&s, FZ_MSR, 0x006);
	add_u64(&s, FZ_MSR, 0x010);
	add_u64(&s, FZ_MSR, 0x080);
	bad |= save(dir, "msrproto", &s);
	s.s_len = s.s_pre = 0;
	add_u64(&s, FZ_MSR, 0x100 | (1 << 12) | (3 << 16));
	bad |= save(dir, "msrproto-terminate", &s);
	s.s_len = 0;
	add_u64(&s, FZ_MSR, 0x40000012);
	add_u64(&s, FZ_MSR, 0x000);
	bad |= save(dir, "msrproto-register-outside", &s);

	/* CPUID through both protocols. */
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		start(&s);
		add_u64(&s, FZ_MSR, ((uint64_t)leaves[i] << 32) | 0x004);
		req(&rq, GR_CPUID, 0, 0);
		reg(&rq, GR_RAX, leaves[i]);
		reg(&rq, GR_RCX, 0);
		add_page(&s, &rq, NULL, 0);
		snprintf(name, sizeof(name), "cpuid-%x", leaves[i]);
		bad |= save(dir, name, &s);
	}
	start(&s);
	req(&rq, GR_CPUID, 0, 0);
	reg(&rq, GR_RAX, 0xd);
	reg(&rq, GR_RCX, 0);
	reg(&rq, GR_XCR0, 7);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "cpuid-d", &s);

	/* MSRs: PAT set and read back, the TSC, one the vmm lacks. */
	start(&s);
	req(&rq, GR_MSR, 1, 0);
	reg(&rq, GR_RCX, 0x277);
	reg(&rq, GR_RAX, 0x00070106);
	reg(&rq, GR_RDX, 0x00050406);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_MSR, 0, 0);
	reg(&rq, GR_RCX, 0x277);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_MSR, 0, 0);
	reg(&rq, GR_RCX, 0x10);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_MSR, 0, 0);
	reg(&rq, GR_RCX, 0xc0000081);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "msr", &s);

	/* Port I/O: OUT and IN of each size, strings. */
	for (sz = 1; sz <= 4; sz *= 2) {
		uint64_t szbit = sz == 1 ? GR_IOIO_SZ8 : sz == 2 ?
		    GR_IOIO_SZ16 : GR_IOIO_SZ32;

		start(&s);
		req(&rq, GR_IOIO, IOIO(0x3f8, szbit), 0);
		reg(&rq, GR_RAX, 0x1122334455667788ULL);
		add_page(&s, &rq, NULL, 0);
		add_u64(&s, FZ_ANSWER, 0xfedcba9876543210ULL);
		req(&rq, GR_IOIO, IOIO(0x71, szbit | GR_IOIO_IN), 0);
		add_page(&s, &rq, NULL, 0);
		snprintf(name, sizeof(name), "ioio-%u", sz);
		bad |= save(dir, name, &s);

		start(&s);
		req(&rq, GR_IOIO, IOIO(0x80, szbit | GR_IOIO_STR |
		    GR_IOIO_REP), 4);
		reg(&rq, GR_SCRATCH, SCRATCH);
		add_page(&s, &rq, bytes, sizeof(bytes));
		add_u64(&s, FZ_ANSWER, 0xa1a2a3a4a5a6a7a8ULL);
		add_u64(&s, FZ_ANSWER, 0xb1b2b3b4b5b6b7b8ULL);
		req(&rq, GR_IOIO, IOIO(0x81, szbit | GR_IOIO_STR |
		    GR_IOIO_IN), 3);
		reg(&rq, GR_SCRATCH, SCRATCH + 8);
		add_page(&s, &rq, NULL, 0);
		snprintf(name, sizeof(name), "ioio-string-%u", sz);
		bad |= save(dir, name, &s);
	}

	/* MMIO of 1 to 8 bytes. */
	for (sz = 1; sz <= 8; sz++) {
		start(&s);
		req(&rq, GR_MMIO_WRITE, 0xfed00000ULL + sz, sz);
		reg(&rq, GR_SCRATCH, SCRATCH + sz);
		add_page(&s, &rq, bytes, sizeof(bytes));
		add_u64(&s, FZ_ANSWER, 0x0102030405060708ULL);
		req(&rq, GR_MMIO_READ, 0xfed00010ULL, sz);
		reg(&rq, GR_SCRATCH, SCRATCH + 0x100);
		add_page(&s, &rq, NULL, 0);
		snprintf(name, sizeof(name), "mmio-%u", sz);
		bad |= save(dir, name, &s);
	}

	/* The other events, one seed each. */
	{
		static const struct {
			const char	*name;
			uint64_t	 code, info1, info2;
			unsigned int	 regs;
			uint64_t	 rax, rcx;
		} ev[] = {
			{ "rdtsc", GR_RDTSC, 0, 0, 0, 0, 0 },
			{ "rdtscp", GR_RDTSCP, 0, 0, 0, 0, 0 },
			{ "rdpmc", GR_RDPMC, 0, 0, GR_RCX, 0, 1 },
			{ "rdpmc-bad", GR_RDPMC, 0, 0, GR_RCX, 0, 9 },
			{ "dr7-read", GR_DR7_READ, 0, 0, 0, 0, 0 },
			{ "vmmcall", GR_VMMCALL, 0, 0, GR_RAX | GR_CPL, 1, 0 },
			{ "invd", GR_INVD, 0, 0, 0, 0, 0 },
			{ "wbinvd", GR_WBINVD, 0, 0, 0, 0, 0 },
			{ "monitor", GR_MONITOR, 0, 0,
			    GR_RAX | GR_RCX | GR_RDX, 0x1000, 0 },
			{ "mwait", GR_MWAIT, 0, 0, GR_RAX | GR_RCX, 0, 0 },
			{ "ap-reset-hold", GR_AP_RESET_HOLD, 0, 0, 0, 0, 0 },
			{ "hv-features", GR_HV_FEATURES, 0, 0, 0, 0, 0 },
			{ "nmi-complete", GR_NMI_COMPLETE, 0, 0, 0, 0, 0 },
			{ "unsupported", GR_UNSUPPORTED, 0x29, 0, 0, 0, 0 },
			{ "hlt", GR_HLT, 0, 0, 0, 0, 0 },
			{ "vmrun", 0x80, 0, 0, 0, 0, 0 },
			{ "unknown", 0x1234, 0, 0, 0, 0, 0 },
		};

		for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
			start(&s);
			if (strcmp(ev[i].name, "hv-features") == 0)
				add_u64(&s, FZ_MSR, 0x080);
			req(&rq, ev[i].code, ev[i].info1, ev[i].info2);
			if (ev[i].regs & GR_RAX)
				reg(&rq, GR_RAX, ev[i].rax);
			if (ev[i].regs & GR_RCX)
				reg(&rq, GR_RCX, ev[i].rcx);
			if (ev[i].regs & GR_RDX)
				reg(&rq, GR_RDX, 0);
			if (ev[i].regs & GR_CPL)
				reg(&rq, GR_CPL, 0);
			add_page(&s, &rq, NULL, 0);
			bad |= save(dir, ev[i].name, &s);
		}
	}

	/* DR7 and the AP jump table: SET then GET. */
	start(&s);
	req(&rq, GR_DR7_READ, 0, 0);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_DR7_WRITE, 0, 0);
	reg(&rq, GR_RAX, 0xffff07ffULL);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_DR7_READ, 0, 0);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_DR7_WRITE, 0, 0);
	reg(&rq, GR_RAX, 0x100000401ULL);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "dr7", &s);
	start(&s);
	req(&rq, GR_AP_JUMP_TABLE, 1, 0);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_AP_JUMP_TABLE, 0, 0x9000);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_AP_JUMP_TABLE, 1, 0);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "ap-jump-table", &s);

	/* Requests that must be refused. */
	start(&s);
	req(&rq, GR_CPUID, 0, 0);
	reg(&rq, GR_RAX, 0);
	reg(&rq, GR_RCX, 0);
	rq.rq_usage = 1;
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_CPUID, 0, 0);
	reg(&rq, GR_RCX, 0);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_CPUID, 0, 0);
	rq.rq_valid[GR_OFF_EXITINFO2 / 64] &= ~(1U << ((GR_OFF_EXITINFO2 / 8) % 8));
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_MMIO_READ, 0xfed00000ULL, 8);
	reg(&rq, GR_SCRATCH, SCRATCH + GR_SHAREDBUF_SZ - 4);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_IOIO, IOIO(0x80, GR_IOIO_SZ8 | GR_IOIO_SZ16), 0);
	reg(&rq, GR_RAX, 0);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_MSR, 2, 0);
	reg(&rq, GR_RCX, 0x10);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "refusals", &s);

	/* Protocol versions: 1 without the version 2 event, then 3. */
	start(&s);
	req(&rq, GR_HV_FEATURES, 0, 0);
	rq.rq_version = 1;
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_CPUID, 0, 0);
	reg(&rq, GR_RAX, 0);
	reg(&rq, GR_RCX, 0);
	rq.rq_version = 3;
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "versions", &s);

	/* Scratch areas that end at the shared buffer's end, and one past. */
	start(&s);
	req(&rq, GR_MMIO_READ, 0xfed00000ULL, 8);
	reg(&rq, GR_SCRATCH, SCRATCH + GR_SHAREDBUF_SZ - 8);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_MMIO_WRITE, 0xfed00000ULL, 8);
	reg(&rq, GR_SCRATCH, SCRATCH + GR_SHAREDBUF_SZ - 7);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "scratch-edge-mmio", &s);
	start(&s);
	req(&rq, GR_IOIO, IOIO(0x80, GR_IOIO_SZ16 | GR_IOIO_STR),
	    GR_SHAREDBUF_SZ / 2);
	reg(&rq, GR_SCRATCH, SCRATCH);
	add_page(&s, &rq, NULL, 0);
	req(&rq, GR_IOIO, IOIO(0x80, GR_IOIO_SZ16 | GR_IOIO_STR |
	    GR_IOIO_IN), GR_SHAREDBUF_SZ / 2);
	reg(&rq, GR_SCRATCH, SCRATCH + 1);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "scratch-edge-string", &s);
	/* A scratch area whose end wraps around the address space. */
	start(&s);
	req(&rq, GR_MMIO_WRITE, 0xfed00000ULL, 8);
	reg(&rq, GR_SCRATCH, 0xfffffffffffffffcULL);
	add_page(&s, &rq, NULL, 0);
	bad |= save(dir, "scratch-end-wraps", &s);
	/* A count whose product with the size wraps to a few bytes. */
	start(&s);
	req(&rq, GR_IOIO, IOIO(0x80, GR_IOIO_SZ16 | GR_IOIO_STR),
	    0x8000000000000004ULL);
	reg(&rq, GR_SCRATCH, SCRATCH);
	add_page(&s, &rq, bytes, sizeof(bytes));
	bad |= save(dir, "scratch-count-wraps", &s);

	/* Automatic exits, and a request in a second page. */
	s.s_len = 0;
	for (i = 0; i < FZ_NAUTO - 1; i++)
		s.s_len += fz_encode_auto(s.s_buf + s.s_len, i, 0xd01);
	req(&rq, GR_CPUID, 0, 0);
	reg(&rq, GR_RAX, 1);
	reg(&rq, GR_RCX, 0);
	add_page(&s, &rq, NULL, 0);
	s.s_len += fz_encode_page(s.s_buf + s.s_len, FZ_GHCB_ALT, FZ_GPA_ALT,
	    &rq, 0, NULL, 0);
	bad |= save(dir, "auto-and-second-page", &s);
	n++;

	return (bad ? 1 : 0);
}
