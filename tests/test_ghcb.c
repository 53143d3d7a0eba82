/*
 * The GHCB page protocol: registration and a CPUID NAE event.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "image.h"
#include "seam.h"

Test(ghcb, register_and_cpuid)
{
	struct guest_run g;
	uint64_t page;
	uint32_t r[4];
	char vendor[13];

	cr_assert_eq(guest_run(&g, "ghcb_register", NULL), 0, "%s", g.gr_err);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	cr_assert_eq(image_symbol(&g.gr_runner.r_image, "ghcb_page", &page),
	    0);
	/* The GHCB MSR still names the page after the exit. */
	cr_assert_eq(guest_u64(&g, "ghcb_msr_after", 0), page);
	seam_cpuid(0, 0, r);
	cr_assert_eq(guest_u64(&g, "ghcb_cpuid_regs", 1), r[1]);
	cr_assert_eq(guest_u64(&g, "ghcb_cpuid_regs", 2), r[2]);
	cr_assert_eq(guest_u64(&g, "ghcb_cpuid_regs", 3), r[3]);
	memcpy(vendor, guest_sym(&g, "vendor", 12), 12);
	vendor[12] = '\0';
	cr_assert_str_eq(vendor, "AuthenticAMD");
	/* SEV and SEV-ES through the page too. */
	cr_assert(guest_u64(&g, "ghcb_sev_regs", 0) & (1U << 3), "bit 3 clear in "
	    "0x%016llx", (unsigned long long)guest_u64(&g, "ghcb_sev_regs", 0));
	guest_done(&g);
}
