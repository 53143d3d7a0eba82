/*
 * The public API (include/sevemu/sevemu.h) and the C guest SDK: a guest
 * written in C, run through libsevemu as a program outside the tree
 * would run it.  Links sevemu_lib only, not the harness.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sevemu/sevemu.h"

static const char *
image(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s.elf", SEVEMU_GUEST_DIR, name);
	return (path);
}

static uint64_t
sym(struct sevemu *m, const char *name)
{
	uint64_t addr;

	cr_assert_eq(sevemu_symbol(m, name, &addr), 0, "%s", sevemu_error(m));
	return (addr);
}

Test(sdk, c_guest_runs_through_the_api)
{
	/* Leaf 1 EAX of the model, changed: the guest must see ours. */
	static const uint32_t leaf1[4] = {
		0x00a00f12, 0x00020800, 0x7ef8320b, 0x178bfbff
	};
	struct sevemu *m = sevemu_new();
	struct sevemu_result r;
	uint64_t sev[4];
	uint32_t seen[4];
	int32_t status;
	char vendor[13];
	size_t len;

	cr_assert_not_null(m);
	cr_assert_eq(sevemu_set_cpuid(m, 1, 0, leaf1), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_set_budget(m, 10000000), 0);
	cr_assert_eq(sevemu_load(m, image("c_hello")), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_run(m, &r), 0, "%s", sevemu_error(m));
	cr_assert_eq(r.sr_stop, SEVEMU_EXITED, "%s: %s", r.sr_stop_name,
	    r.sr_reason);
	cr_assert_eq(r.sr_verdict, 0);
	cr_assert_eq(r.sr_findings, 0, "%s", r.sr_finding);
	cr_assert_eq(r.sr_guest_findings, 0, "%s", r.sr_guest_finding);
	cr_assert_str_eq(sevemu_serial(m, &len), "hello from C\n");
	cr_assert_eq(len, 13);

	cr_assert_eq(sevemu_read(m, sym(m, "vendor"), vendor, 13), 0);
	cr_assert_str_eq(vendor, "AuthenticAMD");
	cr_assert_eq(sevemu_read(m, sym(m, "msr_status"), &status, 4), 0);
	cr_assert_eq(status, 0);
	cr_assert_eq(sevemu_read(m, sym(m, "ghcb_status"), &status, 4), 0);
	cr_assert_eq(status, 0);
	cr_assert_eq(sevemu_read(m, sym(m, "sev_regs"), sev, sizeof(sev)), 0);
	cr_assert_eq(sev[1] & 0x3f, 51, "C-bit position in EBX 0x%llx",
	    (unsigned long long)sev[1]);
	cr_assert_eq(sevemu_read(m, sym(m, "leaf1"), seen, sizeof(seen)), 0);
	cr_assert_eq(seen[0], 0x00a00f12);
	sevemu_free(m);
}

/* A test may set a guest's inputs between load and run. */
Test(sdk, inputs_patched_before_the_run)
{
	struct sevemu *m = sevemu_new();
	struct sevemu_result r;
	uint32_t three = 3, seen = 0;

	cr_assert_not_null(m);
	cr_assert_eq(sevemu_load(m, image("c_hello")), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_read(m, sym(m, "repeat"), &seen, 4), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(seen, 1, "the image's own value");
	cr_assert_eq(sevemu_write(m, sym(m, "repeat"), &three, 4), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_run(m, &r), 0);
	cr_assert_eq(r.sr_stop, SEVEMU_EXITED, "%s", r.sr_reason);
	cr_assert_str_eq(sevemu_serial(m, NULL),
	    "hello from C\nhello from C\nhello from C\n");
	sevemu_free(m);
}

Test(sdk, halted_guest_leaves_its_registers)
{
	struct sevemu *m = sevemu_new();
	struct sevemu_result r;
	struct sevemu_regs regs;

	cr_assert_not_null(m);
	cr_assert_eq(sevemu_load(m, image("cpuid_msr")), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_run(m, &r), 0);
	cr_assert_eq(r.sr_stop, SEVEMU_HALTED, "%s", r.sr_reason);
	cr_assert_str_eq(r.sr_stop_name, "halted");
	cr_assert_eq(sevemu_regs(m, &regs), 0);
	/* The run ended at the HLT exit: RIP is the HLT's. */
	cr_assert_eq(regs.rip, sym(m, "guest_halt"));
	cr_assert_eq(r.sr_exits, 17);
	sevemu_free(m);
}

Test(sdk, budget_and_trace)
{
	struct sevemu *m = sevemu_new();
	struct sevemu_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(m);
	cr_assert_not_null(f);
	cr_assert_eq(sevemu_set_budget(m, 1000), 0);
	cr_assert_eq(sevemu_set_trace(m, f, SEVEMU_TRACE_JSONL), 0);
	cr_assert_eq(sevemu_load(m, image("runaway")), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_run(m, &r), 0);
	cr_assert_eq(r.sr_stop, SEVEMU_BUDGET, "%s", r.sr_reason);
	fclose(f);
	cr_assert_not_null(strstr(buf, "{\"type\":\"end\",\"stop\":"
	    "\"budget exhausted\""), "%s", buf);
	free(buf);
	sevemu_free(m);
}

Test(sdk, misuse_is_refused_with_a_reason)
{
	struct sevemu *m = sevemu_new();
	struct sevemu_result r;
	uint8_t b;

	cr_assert_not_null(m);
	cr_assert_null(sevemu_new(), "a second machine while one exists");
	cr_assert_eq(errno, EBUSY);
	cr_assert_eq(sevemu_run(m, &r), -1);
	cr_assert_str_eq(sevemu_error(m), "sevemu_run: no guest loaded");
	cr_assert_eq(sevemu_read(m, 0x100000, &b, 1), -1);
	cr_assert_str_eq(sevemu_error(m), "sevemu_read: no guest loaded");
	cr_assert_eq(sevemu_set_mem(m, 3 << 20), -1);
	cr_assert_str_eq(sevemu_error(m), "sevemu_set_mem: 3145728 bytes; "
	    "guest memory must be a multiple of 2 MiB from 2 MiB to 3 GiB");
	cr_assert_eq(sevemu_set_budget(m, 0), -1);
	cr_assert_eq(sevemu_load(m, "/nonexistent.elf"), -1);
	cr_assert_not_null(strstr(sevemu_error(m), "/nonexistent.elf"), "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_load(m, image("cpuid_msr")), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_set_budget(m, 5), -1);
	cr_assert_str_eq(sevemu_error(m),
	    "sevemu_set_budget: only before sevemu_load");
	cr_assert_eq(sevemu_run(m, &r), 0);
	cr_assert_eq(sevemu_run(m, &r), -1);
	cr_assert_str_eq(sevemu_error(m), "sevemu_run: a machine runs once");
	cr_assert_eq(sevemu_read(m, 16ULL << 20, &b, 1), -1);
	cr_assert_str_eq(sevemu_error(m), "sevemu_read: [0x1000000, +0x1) is "
	    "outside guest RAM [0, 0x1000000)");
	cr_assert_eq(sevemu_symbol(m, "no_such_symbol", &(uint64_t){ 0 }), -1);
	sevemu_free(m);
	m = sevemu_new();
	cr_assert_not_null(m, "a new machine after the first was freed");
	sevemu_free(m);
}

Test(sdk, version_is_the_projects)
{
	cr_assert_str_eq(sevemu_version(), SEVEMU_VERSION);
}
