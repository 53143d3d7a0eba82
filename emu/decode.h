/*
 * decode.h - finding the instructions a SEV-ES CPU must intercept.
 */
#ifndef SEVEMU_DECODE_H
#define SEVEMU_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>

enum site_kind {
	SITE_NONE = 0,
	SITE_VMGEXIT,
	SITE_HLT,
	SITE_CPUID,
	SITE_RDMSR,
	SITE_WRMSR,
	SITE_IOIO,
	SITE_RDTSC,
	SITE_RDTSCP,
	SITE_RDPMC,
	SITE_INVD,
	SITE_WBINVD,
	SITE_MONITOR,
	SITE_MWAIT,
	SITE_VMMCALL,
	SITE_DR_READ,		/* mov from DRn */
	SITE_DR_WRITE,		/* mov to DRn */
	SITE_CR_WRITE,		/* mov to CR0, CR3 or CR4 */
	SITE_CR_READ,		/* mov from CR3 */
	SITE_INVLPG,
	SITE_IRET,		/* only counted: the end of a #VC handler */
	SITE_REP_STOS,		/* done by the host, for speed */
	SITE_KINDS
};

struct decoder {
	csh	d_cs64;
	csh	d_cs32;
};

typedef void (*decode_site_fn)(void *arg, uint64_t addr, uint8_t len,
    enum site_kind kind);

/* insn is NULL for VMGEXIT, which Capstone 4 does not know. */
typedef void (*decode_insn_fn)(void *arg, uint32_t off, const cs_insn *insn);

int	 decoder_open(struct decoder *);
void	 decoder_close(struct decoder *);

/*
 * Decodes the code of one translated block, calling fn for each
 * instruction the CPU must intercept.  Returns the number of
 * instructions in [addr, addr + size).
 */
unsigned int decode_block(struct decoder *, int bits, const uint8_t *code,
	    size_t avail, uint64_t addr, size_t size, decode_site_fn fn,
	    void *arg);

/* The same, also calling ifn for each instruction in the block. */
unsigned int decode_block_each(struct decoder *, int bits,
	    const uint8_t *code, size_t avail, uint64_t addr, size_t size,
	    decode_site_fn fn, decode_insn_fn ifn, void *arg);

/* One instruction as text ("rdmsr", "vmgexit"), for traces. */
void	 decode_text(struct decoder *, int bits, const uint8_t *code,
	    size_t avail, uint64_t addr, char *buf, size_t len);

const char *site_name(enum site_kind);

/*
 * What kind of string instruction a Capstone instruction id is:
 * DECODE_STRING_MEM for STOS, MOVS, LODS, SCAS and CMPS (MOVSD and
 * CMPSD are also SSE2 mnemonics: check the group), DECODE_STRING_PORT
 * for INS and OUTS, 0 for anything else.
 */
#define DECODE_STRING_MEM	1
#define DECODE_STRING_PORT	2
int	 decode_string_kind(unsigned int id);

#endif /* SEVEMU_DECODE_H */
