/*
 * hello.c - a guest in C: the CPU vendor through the MSR protocol, the
 * C-bit position through the GHCB, a line on COM1, verdict 0.
 */
#include <sevemu_guest.h>

char		vendor[13];	/* "AuthenticAMD" */
uint32_t	cbit;		/* CPUID 0x8000001F EBX[5:0] */
int32_t		failures;

uint64_t
guest_main(void)
{
	uint32_t v;
	uint64_t regs[4];

	idt_install();	/* COM1's IN and OUT are #VCs */
	if (msrproto_cpuid_value(0, SEVEMU_CPUID_EBX, &v) == 0)
		memcpy(vendor, &v, 4);
	else
		failures++;
	if (msrproto_cpuid_value(0, SEVEMU_CPUID_EDX, &v) == 0)
		memcpy(vendor + 4, &v, 4);
	else
		failures++;
	if (msrproto_cpuid_value(0, SEVEMU_CPUID_ECX, &v) == 0)
		memcpy(vendor + 8, &v, 4);
	else
		failures++;
	if (ghcb_cpuid(ghcb_page, 0x8000001f, 0, regs) == 0)
		cbit = regs[1] & 0x3f;
	else
		failures++;
	com1_puts("hello, ");
	com1_puts(vendor);
	com1_puts("\n");
	guest_verdict(failures);
}
