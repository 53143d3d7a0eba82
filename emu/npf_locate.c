/*
 * npf_locate.c - which instruction of a block made a data access
 * outside guest RAM.
 *
 * Unicorn keeps RIP at the start of the translated block until the
 * block ends, unless some data hook makes it write RIP back before
 * every access; that hook makes every load and store several times
 * slower.  Without it, when an access leaves guest RAM, the registers
 * are those before the faulting instruction but RIP is the block's
 * start.  The faulting instruction is found again here: it is the
 * first instruction of the block that accesses memory, of the right
 * kind, at the faulting address as computed from the registers now.
 * An earlier instruction can only be mistaken for it if it used the
 * same address computed from registers that a later instruction of the
 * block changed back to that value; then the run stops with a message.
 */
#include <inttypes.h>
#include <string.h>

#include "cpu_internal.h"

static const struct {
	x86_reg	cs64, cs32;
	int	uc;
} gprs[] = {
	{ X86_REG_RAX, X86_REG_EAX, UC_X86_REG_RAX },
	{ X86_REG_RCX, X86_REG_ECX, UC_X86_REG_RCX },
	{ X86_REG_RDX, X86_REG_EDX, UC_X86_REG_RDX },
	{ X86_REG_RBX, X86_REG_EBX, UC_X86_REG_RBX },
	{ X86_REG_RSP, X86_REG_ESP, UC_X86_REG_RSP },
	{ X86_REG_RBP, X86_REG_EBP, UC_X86_REG_RBP },
	{ X86_REG_RSI, X86_REG_ESI, UC_X86_REG_RSI },
	{ X86_REG_RDI, X86_REG_EDI, UC_X86_REG_RDI },
	{ X86_REG_R8, X86_REG_R8D, UC_X86_REG_R8 },
	{ X86_REG_R9, X86_REG_R9D, UC_X86_REG_R9 },
	{ X86_REG_R10, X86_REG_R10D, UC_X86_REG_R10 },
	{ X86_REG_R11, X86_REG_R11D, UC_X86_REG_R11 },
	{ X86_REG_R12, X86_REG_R12D, UC_X86_REG_R12 },
	{ X86_REG_R13, X86_REG_R13D, UC_X86_REG_R13 },
	{ X86_REG_R14, X86_REG_R14D, UC_X86_REG_R14 },
	{ X86_REG_R15, X86_REG_R15D, UC_X86_REG_R15 },
};

/* The value of an address register now; -1 if it is not one. */
static int
reg_value(x86_reg r, const cs_insn *insn, uint64_t *v)
{
	size_t i;

	if (r == X86_REG_INVALID) {
		*v = 0;
		return (0);
	}
	if (r == X86_REG_RIP || r == X86_REG_EIP) {
		*v = insn->address + insn->size;
		return (0);
	}
	for (i = 0; i < sizeof(gprs) / sizeof(gprs[0]); i++) {
		if (r == gprs[i].cs64) {
			*v = cpu_reg(gprs[i].uc);
			return (0);
		}
		if (r == gprs[i].cs32) {
			*v = cpu_reg(gprs[i].uc) & 0xffffffffULL;
			return (0);
		}
	}
	return (-1);
}

static uint64_t
seg_base(x86_reg seg)
{
	if (seg == X86_REG_FS)
		return (cpu_msr(0xc0000100U));
	if (seg == X86_REG_GS)
		return (cpu_msr(0xc0000101U));
	return (0);
}

/* Does addr (linear, or physical as the emulator reports it) hit va? */
static int
hits(uint64_t va, uint64_t addr)
{
	struct paging pg;
	uint64_t gpa;

	if (addr - va < 64)
		return (1);
	cpu_paging(&pg);
	return (guestmem_walk(&cpu.gm, &pg, va, &gpa, NULL) == 0 &&
	    addr - gpa < 64);
}

/*
 * Does the instruction access memory of this kind, and may it be the
 * one that reached addr?  *any is set when it accesses memory at all.
 */
static int
candidate(const cs_insn *insn, int write, uint64_t addr, int *any)
{
	const cs_x86 *x = &insn->detail->x86;
	uint64_t base, index, rsp;
	int i, want = write ? CS_AC_WRITE : CS_AC_READ;

	*any = 0;
	if (insn->id == X86_INS_LEA || insn->id == X86_INS_NOP)
		return (0);
	for (i = 0; i < x->op_count; i++) {
		const cs_x86_op *op = &x->operands[i];

		if (op->type != X86_OP_MEM || op->access == 0)
			continue;
		*any = 1;
		if ((op->access & want) == 0)
			continue;
		if (reg_value(op->mem.base, insn, &base) != 0 ||
		    reg_value(op->mem.index, insn, &index) != 0)
			continue;
		if (hits(seg_base(op->mem.segment) + base +
		    index * (uint64_t)op->mem.scale + (uint64_t)op->mem.disp,
		    addr))
			return (1);
	}
	/* Accesses with no memory operand: the stack and string ops. */
	rsp = cpu_reg(UC_X86_REG_RSP);
	switch (insn->id) {
	case X86_INS_PUSH: case X86_INS_PUSHFQ: case X86_INS_PUSHF:
	case X86_INS_CALL: case X86_INS_ENTER:
		*any = 1;
		return (write && hits(rsp - 8, addr));
	case X86_INS_POP: case X86_INS_POPFQ: case X86_INS_POPF:
	case X86_INS_RET: case X86_INS_LEAVE: case X86_INS_IRETQ:
	case X86_INS_IRET: case X86_INS_IRETD:
		*any = 1;
		return (!write && (hits(rsp, addr) ||
		    hits(cpu_reg(UC_X86_REG_RBP), addr)));
	case X86_INS_STOSB: case X86_INS_STOSW: case X86_INS_STOSD:
	case X86_INS_STOSQ: case X86_INS_SCASB: case X86_INS_SCASW:
	case X86_INS_SCASD: case X86_INS_SCASQ: case X86_INS_INSB:
	case X86_INS_INSW: case X86_INS_INSD:
		*any = 1;
		return (hits(cpu_reg(UC_X86_REG_RDI), addr));
	case X86_INS_LODSB: case X86_INS_LODSW: case X86_INS_LODSD:
	case X86_INS_LODSQ: case X86_INS_OUTSB: case X86_INS_OUTSW:
	case X86_INS_OUTSD:
		*any = 1;
		return (hits(cpu_reg(UC_X86_REG_RSI), addr));
	case X86_INS_MOVSB: case X86_INS_MOVSW: case X86_INS_MOVSD:
	case X86_INS_MOVSQ: case X86_INS_CMPSB: case X86_INS_CMPSW:
	case X86_INS_CMPSD: case X86_INS_CMPSQ:
		*any = 1;
		return (hits(cpu_reg(UC_X86_REG_RSI), addr) ||
		    hits(cpu_reg(UC_X86_REG_RDI), addr));
	default:
		return (0);
	}
}

int
npf_locate(const struct block *b, uint64_t addr, int write, uint64_t *rip)
{
	uint8_t code[16];
	csh cs;
	cs_insn *insn;
	uint64_t first = 0, only = 0;
	uint32_t i;
	size_t n;
	int any, found = 0, nmem = 0;

	if (b == NULL || b->b_steps == NULL)
		return (-1);
	cs = cpu_code_bits() == 64 ? cpu.dec.d_cs64 : cpu.dec.d_cs32;
	if ((insn = cs_malloc(cs)) == NULL)
		return (-1);
	for (i = 0; i < b->b_ninsn; i++) {
		uint64_t at = b->b_addr + b->b_steps[i].st_off;
		const uint8_t *p = code;
		uint64_t pc = at;

		n = cpu_fetch(at, code);
		if (!cs_disasm_iter(cs, &p, &n, &pc, insn))
			continue;
		if (candidate(insn, write, addr, &any) && !found) {
			found = 1;
			first = at;
		}
		if (any && nmem++ == 0)
			only = at;
	}
	cs_free(insn, 1);
	if (found)
		*rip = first;
	else if (nmem == 1)
		*rip = only;
	else
		return (-1);
	return (0);
}
