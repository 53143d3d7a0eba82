/*
 * input.h - a fuzz input: the whole state of a run of GHCB requests.
 *
 * An input is a sequence of records, each starting with a kind byte
 * (taken modulo FZ_NKINDS).  Past the end of the input every byte reads
 * as 0, so any input decodes.  All numbers are little-endian.
 *
 *   FZ_MSR      u64 GHCB MSR value: an MSR-protocol request (a value
 *               with bits 11:0 clear names a page: an empty GHCB there)
 *   FZ_GHCB     page: a request in the GHCB page at FZ_GPA_GHCB
 *   FZ_GHCB_ALT page: the same at FZ_GPA_ALT, a second page
 *   FZ_GHCB_AT  u64 GHCB MSR value, page: the page that value names
 *   FZ_ANSWER   u64: the next value vmd answers an IN or MMIO read with
 *   FZ_AUTO     u8 exit selector, u64 exitinfo1: an automatic exit
 *
 * A page is the GHCB's standard format, field by field:
 *   valid[16] usage:u32 version:u16 cpl:u8 pad:u8
 *   exitcode exitinfo1 exitinfo2 scratch rax rbx rcx rdx xcr0 (u64 each)
 *   bufoff:u8 buflen:u8 buf[buflen]  shared buffer bytes at 8 * bufoff
 * Bytes of the page the record does not give hold a fixed pattern.
 */
#ifndef SEVEMU_FUZZ_INPUT_H
#define SEVEMU_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "ghcb_rules.h"

enum fz_kind {
	FZ_MSR,
	FZ_GHCB,
	FZ_GHCB_ALT,
	FZ_GHCB_AT,
	FZ_ANSWER,
	FZ_AUTO,
	FZ_NKINDS
};

#define FZ_GPA_GHCB	0x2000ULL
#define FZ_GPA_ALT	0x3000ULL
#define FZ_RAM_SIZE	0x4000ULL	/* guest RAM of each VM: 4 pages */
#define FZ_MAXRECS	64		/* requests per input */
#define FZ_PAGE_BYTES	98		/* a page record without its buffer */

/* Automatic exits an FZ_AUTO record can name (selector modulo count). */
#define FZ_NAUTO	6

struct fz_page {
	struct gr_req	 p_req;		/* the fields (rq_gpa: the MSR) */
	uint16_t	 p_bufoff;	/* shared buffer bytes given */
	uint16_t	 p_buflen;
	const uint8_t	*p_buf;
};

struct fz_rec {
	enum fz_kind	 r_kind;
	uint64_t	 r_msr;		/* the GHCB MSR at the exit */
	struct fz_page	 r_page;	/* FZ_GHCB* */
	uint64_t	 r_value;	/* FZ_ANSWER */
	uint64_t	 r_code;	/* FZ_AUTO: exit code */
	uint64_t	 r_info1;	/* FZ_AUTO */
};

struct fz_input {
	const uint8_t	*in_data;
	size_t		 in_size;
	size_t		 in_pos;
};

void	fz_input_init(struct fz_input *, const uint8_t *, size_t);
/* The next record; 0 at the end of the input. */
int	fz_input_next(struct fz_input *, struct fz_rec *);
/* The exit code of automatic-exit selector sel. */
uint64_t fz_auto_code(unsigned int sel);

/* Encoding, for the seed writer. */
size_t	fz_encode_page(uint8_t *out, enum fz_kind, uint64_t msr,
	    const struct gr_req *, unsigned int bufoff, const uint8_t *buf,
	    unsigned int buflen);
size_t	fz_encode_u64(uint8_t *out, enum fz_kind, uint64_t v);
size_t	fz_encode_auto(uint8_t *out, unsigned int sel, uint64_t info1);

#endif /* SEVEMU_FUZZ_INPUT_H */
