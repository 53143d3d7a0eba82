/*
 * decode.c - Capstone over guest code, as the CPU translates it.
 */
#include <stdio.h>
#include <string.h>

#include "decode.h"

/* Capstone 4 does not know VMGEXIT (REP VMMCALL). */
static const uint8_t vmgexit_bytes[] = { 0xf3, 0x0f, 0x01, 0xd9 };

static const char *const site_names[SITE_KINDS] = {
	[SITE_NONE] = "none",
	[SITE_VMGEXIT] = "vmgexit",
	[SITE_HLT] = "hlt",
	[SITE_CPUID] = "cpuid",
	[SITE_RDMSR] = "rdmsr",
	[SITE_WRMSR] = "wrmsr",
	[SITE_IOIO] = "ioio",
	[SITE_RDTSC] = "rdtsc",
	[SITE_RDTSCP] = "rdtscp",
	[SITE_RDPMC] = "rdpmc",
	[SITE_INVD] = "invd",
	[SITE_WBINVD] = "wbinvd",
	[SITE_MONITOR] = "monitor",
	[SITE_MWAIT] = "mwait",
	[SITE_VMMCALL] = "vmmcall",
	[SITE_DR_READ] = "dr read",
	[SITE_DR_WRITE] = "dr write",
	[SITE_CR_WRITE] = "cr write",
	[SITE_CR_READ] = "cr read",
	[SITE_INVLPG] = "invlpg",
	[SITE_IRET] = "iret",
	[SITE_REP_STOS] = "rep stos",
};

const char *
site_name(enum site_kind k)
{
	if (k >= SITE_KINDS)
		return ("?");
	return (site_names[k]);
}

int
decoder_open(struct decoder *d)
{
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->d_cs64) != CS_ERR_OK)
		return (-1);
	if (cs_open(CS_ARCH_X86, CS_MODE_32, &d->d_cs32) != CS_ERR_OK) {
		cs_close(&d->d_cs64);
		return (-1);
	}
	cs_option(d->d_cs64, CS_OPT_DETAIL, CS_OPT_ON);
	cs_option(d->d_cs32, CS_OPT_DETAIL, CS_OPT_ON);
	return (0);
}

void
decoder_close(struct decoder *d)
{
	cs_close(&d->d_cs64);
	cs_close(&d->d_cs32);
}

static int
has_reg_operand(const cs_insn *insn, x86_reg reg, int index)
{
	const cs_x86 *x = &insn->detail->x86;

	if (index >= x->op_count)
		return (0);
	return (x->operands[index].type == X86_OP_REG &&
	    x->operands[index].reg == reg);
}

static int
has_dr_operand(const cs_insn *insn, int index)
{
	const cs_x86 *x = &insn->detail->x86;

	if (index >= x->op_count || x->operands[index].type != X86_OP_REG)
		return (0);
	return (x->operands[index].reg >= X86_REG_DR0 &&
	    x->operands[index].reg <= X86_REG_DR15);
}

static enum site_kind
classify(const cs_insn *insn)
{
	switch (insn->id) {
	case X86_INS_HLT:
		return (SITE_HLT);
	case X86_INS_CPUID:
		return (SITE_CPUID);
	case X86_INS_RDMSR:
		return (SITE_RDMSR);
	case X86_INS_WRMSR:
		return (SITE_WRMSR);
	case X86_INS_IN:
	case X86_INS_OUT:
	case X86_INS_INSB:
	case X86_INS_INSW:
	case X86_INS_INSD:
	case X86_INS_OUTSB:
	case X86_INS_OUTSW:
	case X86_INS_OUTSD:
		return (SITE_IOIO);
	case X86_INS_RDTSC:
		return (SITE_RDTSC);
	case X86_INS_RDTSCP:
		return (SITE_RDTSCP);
	case X86_INS_RDPMC:
		return (SITE_RDPMC);
	case X86_INS_INVD:
		return (SITE_INVD);
	case X86_INS_WBINVD:
		return (SITE_WBINVD);
	case X86_INS_MONITOR:
		return (SITE_MONITOR);
	case X86_INS_MWAIT:
		return (SITE_MWAIT);
	case X86_INS_VMMCALL:
		return (SITE_VMMCALL);
	case X86_INS_INVLPG:
		return (SITE_INVLPG);
	case X86_INS_IRET:
	case X86_INS_IRETD:
	case X86_INS_IRETQ:
		return (SITE_IRET);
	case X86_INS_STOSB:
	case X86_INS_STOSW:
	case X86_INS_STOSD:
	case X86_INS_STOSQ:
		return (insn->detail->x86.prefix[0] == X86_PREFIX_REP ?
		    SITE_REP_STOS : SITE_NONE);
	case X86_INS_MOV:
		/* The emulator's debug registers are not to be used. */
		if (has_dr_operand(insn, 1))
			return (SITE_DR_READ);
		if (has_dr_operand(insn, 0))
			return (SITE_DR_WRITE);
		if (has_reg_operand(insn, X86_REG_CR0, 0) ||
		    has_reg_operand(insn, X86_REG_CR3, 0) ||
		    has_reg_operand(insn, X86_REG_CR4, 0))
			return (SITE_CR_WRITE);
		if (has_reg_operand(insn, X86_REG_CR3, 1))
			return (SITE_CR_READ);
		return (SITE_NONE);
	default:
		return (SITE_NONE);
	}
}

unsigned int
decode_block(struct decoder *d, int bits, const uint8_t *code, size_t avail,
    uint64_t addr, size_t size, decode_site_fn fn, void *arg)
{
	return (decode_block_each(d, bits, code, avail, addr, size, fn, NULL,
	    arg));
}

unsigned int
decode_block_each(struct decoder *d, int bits, const uint8_t *code,
    size_t avail, uint64_t addr, size_t size, decode_site_fn fn,
    decode_insn_fn ifn, void *arg)
{
	csh cs = bits == 64 ? d->d_cs64 : d->d_cs32;
	cs_insn *insn = cs_malloc(cs);
	const uint8_t *p = code;
	size_t left = avail, off;
	uint64_t pc = addr;
	unsigned int n = 0;

	if (insn == NULL)
		return (0);
	/*
	 * A block that ends in an instruction the emulator cannot
	 * translate reports a size that may stop short of it, so look
	 * one instruction past the end as well.
	 */
	while ((off = (size_t)(pc - addr)) <= size && left > 0) {
		if (left >= sizeof(vmgexit_bytes) &&
		    memcmp(p, vmgexit_bytes, sizeof(vmgexit_bytes)) == 0) {
			fn(arg, pc, sizeof(vmgexit_bytes), SITE_VMGEXIT);
			if (off < size) {
				if (ifn != NULL)
					ifn(arg, (uint32_t)off, NULL);
				n++;
			}
			break;
		}
		if (!cs_disasm_iter(cs, &p, &left, &pc, insn))
			break;
		if (off < size) {
			if (ifn != NULL)
				ifn(arg, (uint32_t)off, insn);
			n++;
		}
		enum site_kind k = classify(insn);
		if (k != SITE_NONE)
			fn(arg, insn->address, (uint8_t)insn->size, k);
		if (off >= size)
			break;
	}
	cs_free(insn, 1);
	return (n);
}

void
decode_text(struct decoder *d, int bits, const uint8_t *code, size_t avail,
    uint64_t addr, char *buf, size_t len)
{
	csh cs = bits == 64 ? d->d_cs64 : d->d_cs32;
	cs_insn *insn;
	size_t n;

	if (avail >= sizeof(vmgexit_bytes) &&
	    memcmp(code, vmgexit_bytes, sizeof(vmgexit_bytes)) == 0) {
		snprintf(buf, len, "vmgexit");
		return;
	}
	n = cs_disasm(cs, code, avail, addr, 1, &insn);
	if (n == 0) {
		snprintf(buf, len, "(bad)");
		return;
	}
	if (insn[0].op_str[0] != '\0')
		snprintf(buf, len, "%s %s", insn[0].mnemonic, insn[0].op_str);
	else
		snprintf(buf, len, "%s", insn[0].mnemonic);
	cs_free(insn, n);
}

int
decode_string_kind(unsigned int id)
{
	switch (id) {
	case X86_INS_STOSB: case X86_INS_STOSW: case X86_INS_STOSD:
	case X86_INS_STOSQ: case X86_INS_MOVSB: case X86_INS_MOVSW:
	case X86_INS_MOVSD: case X86_INS_MOVSQ: case X86_INS_LODSB:
	case X86_INS_LODSW: case X86_INS_LODSD: case X86_INS_LODSQ:
	case X86_INS_SCASB: case X86_INS_SCASW: case X86_INS_SCASD:
	case X86_INS_SCASQ: case X86_INS_CMPSB: case X86_INS_CMPSW:
	case X86_INS_CMPSD: case X86_INS_CMPSQ:
		return (DECODE_STRING_MEM);
	case X86_INS_INSB: case X86_INS_INSW: case X86_INS_INSD:
	case X86_INS_OUTSB: case X86_INS_OUTSW: case X86_INS_OUTSD:
		return (DECODE_STRING_PORT);
	default:
		return (0);
	}
}
