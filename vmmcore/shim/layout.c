/*
 * layout.c - compile-time checks that the vmm's structures are laid out
 * as the machine and vmd expect.
 *
 * The VMCB and VMSA offsets are the ones the machine's CPU uses (the
 * numbers in emu/vmcb.h, from the AMD64 APM vol. 2 appendix B; the
 * header itself is not included: the vmm sees nothing of the machine
 * but seam.h).  The GHCB offsets are the GHCB specification's.  The
 * ioctl structure sizes are OpenBSD's on LP64, which vmd depends on.
 */
#include <stddef.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/device.h>

#include <machine/ghcb.h>
#include <machine/vmmvar.h>

#include <dev/vmm/vmm.h>

#define AT(type, field, off)						\
	_Static_assert(offsetof(struct type, field) == (off),		\
	    #type "." #field " is not at " #off)
#define SIZE(type, size)						\
	_Static_assert(sizeof(struct type) == (size),			\
	    "struct " #type " is not " #size " bytes")

/* VMCB control area. */
AT(vmcb, v_cr_rw, 0x000);
AT(vmcb, v_dr_rw, 0x004);
AT(vmcb, v_excp, 0x008);
AT(vmcb, v_intercept1, 0x00c);
AT(vmcb, v_intercept2, 0x010);
AT(vmcb, v_iopm_pa, 0x040);
AT(vmcb, v_msrpm_pa, 0x048);
AT(vmcb, v_asid, 0x058);
AT(vmcb, v_tlb_control, 0x05c);
AT(vmcb, v_intr_shadow, 0x068);
AT(vmcb, v_exitcode, 0x070);
AT(vmcb, v_exitinfo1, 0x078);
AT(vmcb, v_exitinfo2, 0x080);
AT(vmcb, v_exitintinfo, 0x088);
AT(vmcb, v_np_enable, 0x090);
AT(vmcb, v_ghcb_gpa, 0x0a0);
AT(vmcb, v_eventinj, 0x0a8);
AT(vmcb, v_n_cr3, 0x0b0);
AT(vmcb, v_lbr_virt_enable, 0x0b8);
AT(vmcb, v_vmcb_clean_bits, 0x0c0);
AT(vmcb, v_nrip, 0x0c8);
AT(vmcb, v_vmsa_pa, 0x108);

/* VMCB state save area, at 0x400. */
AT(vmcb, vmcb_layout, 0x400);
AT(vmcb, v_es, 0x400 + 0x000);
AT(vmcb, v_cs, 0x400 + 0x010);
AT(vmcb, v_ss, 0x400 + 0x020);
AT(vmcb, v_ds, 0x400 + 0x030);
AT(vmcb, v_fs, 0x400 + 0x040);
AT(vmcb, v_gs, 0x400 + 0x050);
AT(vmcb, v_gdtr, 0x400 + 0x060);
AT(vmcb, v_ldtr, 0x400 + 0x070);
AT(vmcb, v_idtr, 0x400 + 0x080);
AT(vmcb, v_tr, 0x400 + 0x090);
AT(vmcb, v_cpl, 0x400 + 0x0cb);
AT(vmcb, v_efer, 0x400 + 0x0d0);
AT(vmcb, v_cr4, 0x400 + 0x148);
AT(vmcb, v_cr3, 0x400 + 0x150);
AT(vmcb, v_cr0, 0x400 + 0x158);
AT(vmcb, v_dr7, 0x400 + 0x160);
AT(vmcb, v_dr6, 0x400 + 0x168);
AT(vmcb, v_rflags, 0x400 + 0x170);
AT(vmcb, v_rip, 0x400 + 0x178);
AT(vmcb, v_rsp, 0x400 + 0x1d8);
AT(vmcb, v_rax, 0x400 + 0x1f8);
AT(vmcb, v_cr2, 0x400 + 0x240);
AT(vmcb, v_g_pat, 0x400 + 0x268);
SIZE(vmcb, 4096);

AT(vmcb_segment, vs_sel, 0x0);
AT(vmcb_segment, vs_attr, 0x2);
AT(vmcb_segment, vs_lim, 0x4);
AT(vmcb_segment, vs_base, 0x8);
SIZE(vmcb_segment, 16);

/* VMSA: the save area's layout, plus what only an SEV-ES guest keeps. */
AT(vmsa, v_es, 0x000);
AT(vmsa, v_cs, 0x010);
AT(vmsa, v_ss, 0x020);
AT(vmsa, v_ds, 0x030);
AT(vmsa, v_fs, 0x040);
AT(vmsa, v_gs, 0x050);
AT(vmsa, v_gdtr, 0x060);
AT(vmsa, v_ldtr, 0x070);
AT(vmsa, v_idtr, 0x080);
AT(vmsa, v_tr, 0x090);
AT(vmsa, v_cpl, 0x0cb);
AT(vmsa, v_efer, 0x0d0);
AT(vmsa, v_cr4, 0x148);
AT(vmsa, v_cr3, 0x150);
AT(vmsa, v_cr0, 0x158);
AT(vmsa, v_dr7, 0x160);
AT(vmsa, v_dr6, 0x168);
AT(vmsa, v_rflags, 0x170);
AT(vmsa, v_rip, 0x178);
AT(vmsa, v_rsp, 0x1d8);
AT(vmsa, v_rax, 0x1f8);
AT(vmsa, v_cr2, 0x240);
AT(vmsa, v_rcx, 0x308);
AT(vmsa, v_rdx, 0x310);
AT(vmsa, v_rbx, 0x318);
AT(vmsa, v_rbp, 0x328);
AT(vmsa, v_rsi, 0x330);
AT(vmsa, v_rdi, 0x338);
AT(vmsa, v_r8, 0x340);
AT(vmsa, v_r15, 0x378);
AT(vmsa, v_xcr0, 0x3e8);
AT(vmsa, v_mxcsr, 0x408);
AT(vmsa, v_x87_fcw, 0x410);
AT(vmsa, v_ic_ibs_xtd_ct, 0x7c0);
_Static_assert(sizeof(struct vmsa) <= PAGE_SIZE, "struct vmsa > a page");
_Static_assert(sizeof(((struct vmcb *)0)->vmcb_layout) <= PAGE_SIZE,
    "the VMCB save area does not fit the VMSA page");

/* GHCB. */
AT(ghcb_sa, v_cpl, 0x0cb);
AT(ghcb_sa, v_xss, 0x140);
AT(ghcb_sa, v_rax, 0x1f8);
AT(ghcb_sa, v_rcx, 0x308);
AT(ghcb_sa, v_rdx, 0x310);
AT(ghcb_sa, v_rbx, 0x318);
AT(ghcb_sa, v_sw_exitcode, 0x390);
AT(ghcb_sa, v_sw_exitinfo1, 0x398);
AT(ghcb_sa, v_sw_exitinfo2, 0x3a0);
AT(ghcb_sa, v_sw_scratch, 0x3a8);
AT(ghcb_sa, v_xcr0, 0x3e8);
AT(ghcb_sa, valid_bitmap, 0x3f0);
AT(ghcb_sa, v_x87_state_gpa, 0x400);
AT(ghcb_sa, v_sharedbuf, 0x800);
AT(ghcb_sa, v_ghcb_proto_version, 0xffa);
AT(ghcb_sa, v_ghcb_usage, 0xffc);
SIZE(ghcb_sa, 4096);
_Static_assert(GHCB_RAX == offsetof(struct ghcb_sa, v_rax) &&
    GHCB_RBX == offsetof(struct ghcb_sa, v_rbx) &&
    GHCB_RCX == offsetof(struct ghcb_sa, v_rcx) &&
    GHCB_RDX == offsetof(struct ghcb_sa, v_rdx) &&
    GHCB_SW_EXITCODE == offsetof(struct ghcb_sa, v_sw_exitcode) &&
    GHCB_SW_EXITINFO1 == offsetof(struct ghcb_sa, v_sw_exitinfo1) &&
    GHCB_SW_EXITINFO2 == offsetof(struct ghcb_sa, v_sw_exitinfo2),
    "a GHCB_* bitmap position is not its field's offset");

/* The world switch code addresses the guest state by offset. */
AT(vcpu_gueststate, vg_rax, 0x08);
AT(vcpu_gueststate, vg_rip, 0x80);
AT(vcpu_gueststate, vg_exit_reason, 0x88);
AT(vcpu_gueststate, vg_dr6, 0xc0);
SIZE(vcpu_gueststate, 200);

/* vmd's ioctl ABI. */
SIZE(vm_exit_inout, 16);
AT(vm_exit_inout, vei_port, 6);
AT(vm_exit_inout, vei_data, 8);
SIZE(vcpu_reg_state, 568);
SIZE(vm_exit, 600);
AT(vm_exit, vrs, 24);
SIZE(vm_run_params, 40);
AT(vm_run_params, vrp_exit, 24);
AT(vm_run_params, vrp_exit_reason, 32);
SIZE(vm_create_params, 2656);
AT(vm_create_params, vcp_sev, 592);
AT(vm_create_params, vcp_asid, 608);
