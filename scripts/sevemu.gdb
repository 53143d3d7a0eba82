# gdb commands for stepping through exit paths: `source scripts/sevemu.gdb`
# (scripts/debug does it for you).

define sevemu-regs
	dont-repeat
	set $sevemu_r = (struct cpu_regs *) malloc(sizeof(struct cpu_regs))
	call (int) cpu_regs($sevemu_r)
	print/x *$sevemu_r
end
document sevemu-regs
Print the guest's registers as the emulated CPU holds them.
end

define sevemu-exit
	dont-repeat
	printf "exit %lu: code 0x%lx info1 0x%lx info2 0x%lx ghcb msr 0x%lx\n", cpu.exits, *(unsigned long *)(cpu.vmcb + 0x70), *(unsigned long *)(cpu.vmcb + 0x78), *(unsigned long *)(cpu.vmcb + 0x80), *(unsigned long *)(cpu.vmcb + 0xa0)
end
document sevemu-exit
Print the current #VMEXIT as the VMCB has it: number, code, exit info, GHCB MSR.
end

define sevemu-ghcb
	dont-repeat
	set $sevemu_g = (unsigned char *) cpu_guest_ptr(*(unsigned long *)(cpu.vmcb + 0xa0) & ~0xfffUL, 4096)
	if $sevemu_g == 0
		printf "the GHCB MSR does not name a GHCB page\n"
	else
		printf "sw_exitcode 0x%lx exitinfo1 0x%lx exitinfo2 0x%lx scratch 0x%lx\n", *(unsigned long *)($sevemu_g + 0x390), *(unsigned long *)($sevemu_g + 0x398), *(unsigned long *)($sevemu_g + 0x3a0), *(unsigned long *)($sevemu_g + 0x3a8)
		printf "rax 0x%lx rbx 0x%lx rcx 0x%lx rdx 0x%lx\n", *(unsigned long *)($sevemu_g + 0x1f8), *(unsigned long *)($sevemu_g + 0x318), *(unsigned long *)($sevemu_g + 0x308), *(unsigned long *)($sevemu_g + 0x310)
		printf "valid bitmap 0x%016lx%016lx\n", *(unsigned long *)($sevemu_g + 0x3f8), *(unsigned long *)($sevemu_g + 0x3f0)
	end
end
document sevemu-ghcb
Dump the GHCB page the GHCB MSR names: exit code, exit info, registers, valid bitmap.
end
