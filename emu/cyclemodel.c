/*
 * cyclemodel.c - the class of a guest instruction, for the cycle
 * model.  Only Capstone's decoding is used: opcode, groups, operands.
 */
#include <string.h>

#include "cyclemodel.h"
#include "decode.h"

static int
in_group(const cs_insn *insn, uint8_t grp)
{
	const cs_detail *d = insn->detail;
	int i;

	for (i = 0; i < d->groups_count; i++)
		if (d->groups[i] == grp)
			return (1);
	return (0);
}

/* ALU ops that set the flags a following Jcc can fuse with. */
static int
fusable(const cs_insn *insn)
{
	switch (insn->id) {
	case X86_INS_CMP:
	case X86_INS_TEST:
	case X86_INS_ADD:
	case X86_INS_SUB:
	case X86_INS_AND:
	case X86_INS_OR:
	case X86_INS_XOR:
	case X86_INS_INC:
	case X86_INS_DEC:
		return (1);
	default:
		return (0);
	}
}

static int
is_jcc(const cs_insn *insn)
{
	return (in_group(insn, X86_GRP_JUMP) && insn->id != X86_INS_JMP &&
	    insn->id != X86_INS_LJMP);
}

static enum cy_class
classify(const cs_insn *insn, int after_fusable)
{
	if (decode_string_kind(insn->id) == DECODE_STRING_MEM)
		return (in_group(insn, X86_GRP_SSE2) ? CY_VECTOR : CY_STRING);
	switch (insn->id) {
	case X86_INS_IMUL:
	case X86_INS_MUL:
		return (CY_IMUL);
	case X86_INS_DIV:
	case X86_INS_IDIV:
		return (CY_DIV);
	case X86_INS_PUSH:
	case X86_INS_POP:
	case X86_INS_PUSHFQ:
	case X86_INS_POPFQ:
	case X86_INS_PUSHF:
	case X86_INS_POPF:
		return (CY_PUSH_POP);
	case X86_INS_RDMSR:
	case X86_INS_WRMSR:
		return (CY_RDMSR_WRMSR);
	case X86_INS_RDTSC:
	case X86_INS_RDTSCP:
		return (CY_RDTSC);
	case X86_INS_CPUID:
		return (CY_CPUID);
	case X86_INS_LGDT: case X86_INS_LIDT: case X86_INS_LTR:
	case X86_INS_LLDT: case X86_INS_INVLPG: case X86_INS_CLI:
	case X86_INS_STI: case X86_INS_XSETBV: case X86_INS_XGETBV:
	case X86_INS_WBINVD: case X86_INS_INVD: case X86_INS_LJMP:
	case X86_INS_LCALL: case X86_INS_RETF: case X86_INS_IN:
	case X86_INS_OUT: case X86_INS_HLT: case X86_INS_SWAPGS:
		return (CY_SYSTEM);
	default:
		break;
	}
	if (in_group(insn, X86_GRP_IRET))
		return (CY_IRET);
	if (in_group(insn, X86_GRP_CALL) || in_group(insn, X86_GRP_RET))
		return (CY_CALL_RET);
	if (in_group(insn, X86_GRP_JUMP))
		return (is_jcc(insn) && after_fusable ?
		    CY_FUSED_JCC : CY_BRANCH);
	if (insn->id == X86_INS_MOV && insn->detail->x86.op_count > 0 &&
	    insn->detail->x86.operands[0].type == X86_OP_REG &&
	    ((insn->detail->x86.operands[0].reg >= X86_REG_CR0 &&
	    insn->detail->x86.operands[0].reg <= X86_REG_CR15) ||
	    (insn->detail->x86.operands[0].reg >= X86_REG_DR0 &&
	    insn->detail->x86.operands[0].reg <= X86_REG_DR15)))
		return (CY_SYSTEM);
	if (in_group(insn, X86_GRP_SSE1) || in_group(insn, X86_GRP_SSE2) ||
	    in_group(insn, X86_GRP_SSE3) || in_group(insn, X86_GRP_SSSE3) ||
	    in_group(insn, X86_GRP_SSE41) || in_group(insn, X86_GRP_SSE42) ||
	    in_group(insn, X86_GRP_AVX) || in_group(insn, X86_GRP_AVX2) ||
	    in_group(insn, X86_GRP_FPU))
		return (CY_VECTOR);
	return (CY_ALU);
}

uint32_t
cyclemodel_insn(const struct cycle_model *m, const cs_insn *insn,
    int *fuse)
{
	const cs_x86 *x = &insn->detail->x86;
	enum cy_class c = classify(insn, *fuse);
	uint32_t cost = m->cm_insn[c];
	int i, rd = 0, wr = 0;

	/* LEA and NOP name memory without touching it. */
	if (c == CY_ALU && insn->id != X86_INS_LEA && insn->id != X86_INS_NOP)
		for (i = 0; i < x->op_count; i++) {
			if (x->operands[i].type != X86_OP_MEM)
				continue;
			if (x->operands[i].access & CS_AC_READ)
				rd = 1;
			if (x->operands[i].access & CS_AC_WRITE)
				wr = 1;
		}
	if (rd)
		cost += m->cm_insn[CY_LOAD];
	if (wr)
		cost += m->cm_insn[CY_STORE];
	/* Only a register-only op fuses in this model. */
	*fuse = fusable(insn) && !rd && !wr;
	return (cost);
}
