/*
 * c_hello.c - a guest in C on the SDK (sevemu_guest.h), linked with VC.
 *
 * Asks for the vendor through the MSR protocol, CPUID 0x8000001F
 * through the GHCB page, and leaf 1 with a plain CPUID instruction (a
 * #VC the handler serves); writes "hello from C\n" on COM1 and ends
 * with verdict 0.
 *
 * Input: repeat (u32, 1 to 8, default 1), how many times to write
 * the line; a test may patch it before the run.
 *
 * Results (global symbols):
 *   vendor      char[13]  "AuthenticAMD" (MSR protocol, leaf 0)
 *   msr_status  u32       0, or -1 if a reply was malformed
 *   sev_regs    4 x u64   leaf 0x8000001F through ghcb_cpuid()
 *   ghcb_status u32       ghcb_cpuid()'s result (0: success)
 *   leaf1       4 x u32   leaf 1 through CPUID and #VC
 */
#include "sevemu_guest.h"

volatile uint32_t repeat = 1;
char		vendor[13];
int32_t		msr_status;
uint64_t	sev_regs[4];
int32_t		ghcb_status;
uint32_t	leaf1[4];

uint64_t
guest_main(void)
{
	static const uint32_t order[3] = {
		SEVEMU_CPUID_EBX, SEVEMU_CPUID_EDX, SEVEMU_CPUID_ECX
	};
	uint32_t v;
	int i;

	idt_install();
	for (i = 0; i < 3; i++) {
		if (msrproto_cpuid_value(0, order[i], &v) != 0)
			msr_status = -1;
		memcpy(vendor + 4 * i, &v, 4);
	}
	ghcb_status = ghcb_cpuid(ghcb_page, 0x8000001f, 0, sev_regs);
	__asm__ volatile("cpuid" : "=a"(leaf1[0]), "=b"(leaf1[1]),
	    "=c"(leaf1[2]), "=d"(leaf1[3]) : "a"(1), "c"(0));
	for (i = 0; i < (int)repeat && i < 8; i++)
		com1_puts("hello from C\n");
	guest_verdict(0);
}
