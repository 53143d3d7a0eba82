/*
 * input.c - decoding (and, for seeds, encoding) fuzz inputs; input.h
 * has the format.
 */
#include <string.h>

#include "input.h"

void
fz_input_init(struct fz_input *in, const uint8_t *data, size_t size)
{
	in->in_data = data;
	in->in_size = size;
	in->in_pos = 0;
}

static uint8_t
get8(struct fz_input *in)
{
	if (in->in_pos >= in->in_size)
		return (0);
	return (in->in_data[in->in_pos++]);
}

static uint64_t
getn(struct fz_input *in, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)get8(in) << (8 * i);
	return (v);
}

static void
get_page(struct fz_input *in, struct fz_page *p, uint64_t gpa)
{
	struct gr_req *rq = &p->p_req;
	size_t avail;
	int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < 16; i++)
		rq->rq_valid[i] = get8(in);
	rq->rq_usage = (uint32_t)getn(in, 4);
	rq->rq_version = (uint16_t)getn(in, 2);
	rq->rq_cpl = get8(in);
	(void)get8(in);
	rq->rq_exitcode = getn(in, 8);
	rq->rq_exitinfo1 = getn(in, 8);
	rq->rq_exitinfo2 = getn(in, 8);
	rq->rq_scratch = getn(in, 8);
	rq->rq_rax = getn(in, 8);
	rq->rq_rbx = getn(in, 8);
	rq->rq_rcx = getn(in, 8);
	rq->rq_rdx = getn(in, 8);
	rq->rq_xcr0 = getn(in, 8);
	rq->rq_gpa = gpa;
	p->p_bufoff = (uint16_t)(8 * get8(in));
	p->p_buflen = get8(in);
	if (p->p_bufoff >= GR_SHAREDBUF_SZ)
		p->p_bufoff = 0;
	avail = in->in_pos < in->in_size ? in->in_size - in->in_pos : 0;
	if (p->p_buflen > avail)
		p->p_buflen = (uint16_t)avail;
	if (p->p_buflen > GR_SHAREDBUF_SZ - p->p_bufoff)
		p->p_buflen = GR_SHAREDBUF_SZ - p->p_bufoff;
	p->p_buf = in->in_data + in->in_pos;
	in->in_pos += p->p_buflen;
}

/* HLT, the EFER, CR0 and CR4 write traps, a host interrupt, SHUTDOWN. */
uint64_t
fz_auto_code(unsigned int sel)
{
	static const uint64_t codes[FZ_NAUTO] = {
		0x78, 0x8f, 0x90, 0x94, 0x60, 0x7f
	};

	return (codes[sel % FZ_NAUTO]);
}

int
fz_input_next(struct fz_input *in, struct fz_rec *r)
{
	if (in->in_pos >= in->in_size)
		return (0);
	memset(r, 0, sizeof(*r));
	r->r_kind = (enum fz_kind)(get8(in) % FZ_NKINDS);
	switch (r->r_kind) {
	case FZ_MSR:
		r->r_msr = getn(in, 8);
		/* Low bits clear: it names a page, here an empty GHCB. */
		if ((r->r_msr & 0xfff) == 0) {
			r->r_kind = FZ_GHCB_AT;
			r->r_page.p_req.rq_gpa = r->r_msr;
		}
		break;
	case FZ_GHCB:
		r->r_msr = FZ_GPA_GHCB;
		get_page(in, &r->r_page, r->r_msr);
		break;
	case FZ_GHCB_ALT:
		r->r_msr = FZ_GPA_ALT;
		get_page(in, &r->r_page, r->r_msr);
		break;
	case FZ_GHCB_AT:
		r->r_msr = getn(in, 8);
		get_page(in, &r->r_page, r->r_msr);
		break;
	case FZ_ANSWER:
		r->r_value = getn(in, 8);
		break;
	case FZ_AUTO:
		r->r_code = fz_auto_code(get8(in));
		r->r_info1 = getn(in, 8);
		break;
	default:
		return (0);
	}
	return (1);
}

static size_t
put(uint8_t *out, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(v >> (8 * i));
	return ((size_t)n);
}

size_t
fz_encode_page(uint8_t *out, enum fz_kind kind, uint64_t msr,
    const struct gr_req *rq, unsigned int bufoff, const uint8_t *buf,
    unsigned int buflen)
{
	size_t n = 0;

	out[n++] = (uint8_t)kind;
	if (kind == FZ_GHCB_AT)
		n += put(out + n, msr, 8);
	memcpy(out + n, rq->rq_valid, 16);
	n += 16;
	n += put(out + n, rq->rq_usage, 4);
	n += put(out + n, rq->rq_version, 2);
	out[n++] = rq->rq_cpl;
	out[n++] = 0;
	n += put(out + n, rq->rq_exitcode, 8);
	n += put(out + n, rq->rq_exitinfo1, 8);
	n += put(out + n, rq->rq_exitinfo2, 8);
	n += put(out + n, rq->rq_scratch, 8);
	n += put(out + n, rq->rq_rax, 8);
	n += put(out + n, rq->rq_rbx, 8);
	n += put(out + n, rq->rq_rcx, 8);
	n += put(out + n, rq->rq_rdx, 8);
	n += put(out + n, rq->rq_xcr0, 8);
	out[n++] = (uint8_t)(bufoff / 8);
	out[n++] = (uint8_t)buflen;
	if (buflen != 0)
		memcpy(out + n, buf, buflen);
	return (n + buflen);
}

size_t
fz_encode_u64(uint8_t *out, enum fz_kind kind, uint64_t v)
{
	out[0] = (uint8_t)kind;
	return (1 + put(out + 1, v, 8));
}

size_t
fz_encode_auto(uint8_t *out, unsigned int sel, uint64_t info1)
{
	out[0] = FZ_AUTO;
	out[1] = (uint8_t)sel;
	return (2 + put(out + 2, info1, 8));
}
