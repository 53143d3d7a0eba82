/*
 * seam.h - the one contract between the machine (emu/) and the vmm
 * (vmmcore/).
 *
 * Below the seam is hardware: host physical memory, the host CPU's
 * identification and MSRs, and VMRUN, the world switch into a guest.
 * Above it is the kernel's run entry point, which the vmd-like runner
 * calls.  Neither side includes anything else of the other, so the vmm
 * code compiles as it would in a kernel and the machine knows of the
 * vmm only what the hardware knows: the VMCB.
 */
#ifndef SEVEMU_SEAM_H
#define SEVEMU_SEAM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Host physical memory.  One flat range starting at physical address 0;
 * sm_direct maps all of it (the kernel's direct map).  Pages below
 * sm_kernel_end belong to the kernel's page allocator; the rest is
 * handed to VMs as guest RAM by the runner, as vmd hands its memory to
 * vmm(4).
 */
struct seam_physmem {
	uint8_t		*sm_direct;
	uint64_t	 sm_size;
	uint64_t	 sm_kernel_end;
};

extern struct seam_physmem seam_physmem;

/*
 * Host CPU instructions the kernel executes on the machine.
 */
void	 seam_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
uint64_t seam_rdmsr(uint32_t msr);
void	 seam_wrmsr(uint32_t msr, uint64_t val);

/*
 * The host's console device: where the kernel's printf(9) output goes.
 * The machine keeps it for the run's report and echoes it on request.
 */
void	 seam_console_write(const char *buf, size_t len);

/*
 * VMRUN: enter the guest whose VMCB is at host physical address
 * vmcb_pa and return at its next #VMEXIT, with the exit code, exit
 * information and next RIP written into the VMCB's control area.
 * Returns 0, or -1 when the VMCB is not one the machine can run (the
 * exit code is then VMEXIT_INVALID, as on hardware).
 */
int	 seam_vmrun(uint64_t vmcb_pa);

/*
 * The kernel's side: what the runner calls.
 */
struct seam_vm_params {
	uint64_t	 vp_ram_hpa;	/* guest RAM at GPA 0: host PA ... */
	uint64_t	 vp_ram_size;	/* ... and size, both page aligned */
	int		 vp_entry_long;	/* 1: 64-bit long mode, 0: protected */
	uint64_t	 vp_rip;
	uint64_t	 vp_rsp;
	uint64_t	 vp_cr0, vp_cr3, vp_cr4, vp_efer;
	uint64_t	 vp_gdt_base;
	uint32_t	 vp_gdt_limit;
	uint16_t	 vp_cs, vp_ds;	/* selectors in that GDT */
};

enum seam_exit_kind {
	SEAM_EXIT_NONE,		/* the kernel yielded; run again */
	SEAM_EXIT_IO,		/* port I/O for the runner to serve */
	SEAM_EXIT_MMIO,		/* MMIO for the runner to serve */
	SEAM_EXIT_HLT,		/* the guest halted */
	SEAM_EXIT_TERMINATE,	/* the guest asked to be terminated */
	SEAM_EXIT_SHUTDOWN,	/* the guest's CPU shut down */
	SEAM_EXIT_ERROR		/* the handler failed the run; se_error
				   is 0 when it gave no error number */
};

struct seam_exit {
	enum seam_exit_kind	 se_kind;
	int			 se_error;	/* errno from the kernel */
	uint32_t		 se_exitcode;	/* the SVM exit code */
	/* SEAM_EXIT_IO and SEAM_EXIT_MMIO */
	uint16_t		 se_port;
	uint64_t		 se_gpa;	/* MMIO address */
	uint8_t			 se_size;	/* IO: 1, 2, 4; MMIO: 1-8 */
	uint8_t			 se_in;		/* 1: in/read, 0: out/write */
	uint64_t		 se_data;	/* out: value; in: runner fills */
	uint8_t			 se_unmasked;	/* in: se_data goes to the vmm
						   whole, bits above se_size
						   too (a careless vmd) */
	/* SEAM_EXIT_TERMINATE */
	uint8_t			 se_term_set;
	uint8_t			 se_term_code;
};

int	 seam_vm_create(const struct seam_vm_params *, int *vmid);
int	 seam_vm_run(int vmid, struct seam_exit *);
void	 seam_vm_destroy(int vmid);

#endif /* SEVEMU_SEAM_H */
