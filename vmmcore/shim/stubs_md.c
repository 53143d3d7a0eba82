/*
 * stubs_md.c - machine-dependent kernel services the SEV-ES path never
 * reaches, for code that names them (VMX exits, the guest half of the
 * GHCB code).  Each one says who called it and stops the run: they
 * have no error to return, and pretending to succeed would let a
 * handler go on with state this host does not have.
 */
#include <sys/param.h>
#include <sys/systm.h>

#include <uvm/uvm_extern.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/pmap.h>
#include <machine/segments.h>

/* The host has no IDT: it takes no interrupts. */
struct gate_descriptor *idt;
vaddr_t idt_vaddr;

#define UNREACHABLE(why)						\
	panic("%s: not available: %s", __func__, (why))

void
bare_lgdt(struct region_descriptor *rd)
{
	UNREACHABLE("the host GDT is simulated and is never reloaded");
}

void
cpu_init_idt(void)
{
	UNREACHABLE("the host has no IDT");
}

void
vmgexit(void)
{
	UNREACHABLE("VMGEXIT is a guest instruction; the kernel here is "
	    "the host");
}

void
pmap_kenter_pa(vaddr_t va, paddr_t pa, int prot)
{
	UNREACHABLE("the kernel map is the fixed direct map of host memory");
}

void
pmap_kremove(vaddr_t va, vsize_t len)
{
	UNREACHABLE("the kernel map is the fixed direct map of host memory");
}
