/*
 * test_hello.c - runs hello.elf through libsevemu and checks what the
 * guest saw.
 */
#include <stdint.h>

#include <criterion/criterion.h>
#include <sevemu/sevemu.h>

Test(hello, guest_sees_an_sev_es_amd_cpu)
{
	struct sevemu *m = sevemu_new();
	struct sevemu_result r;
	uint64_t addr;
	uint32_t cbit;
	char vendor[13];

	cr_assert_not_null(m);
	cr_assert_eq(sevemu_set_budget(m, 10000000), 0);
	cr_assert_eq(sevemu_load(m, HELLO_ELF), 0, "%s", sevemu_error(m));
	cr_assert_eq(sevemu_run(m, &r), 0, "%s", sevemu_error(m));
	cr_assert_eq(r.sr_stop, SEVEMU_EXITED, "the run ended %s: %s",
	    r.sr_stop_name, r.sr_reason);
	cr_assert_eq(r.sr_verdict, 0, "verdict %u (failures)", r.sr_verdict);
	cr_assert_str_eq(sevemu_serial(m, NULL), "hello, AuthenticAMD\n",
	    "COM1: %s", sevemu_serial(m, NULL));

	cr_assert_eq(sevemu_symbol(m, "vendor", &addr), 0, "%s",
	    sevemu_error(m));
	cr_assert_eq(sevemu_read(m, addr, vendor, sizeof(vendor)), 0);
	cr_assert_str_eq(vendor, "AuthenticAMD", "vendor %.12s", vendor);
	cr_assert_eq(sevemu_symbol(m, "cbit", &addr), 0);
	cr_assert_eq(sevemu_read(m, addr, &cbit, sizeof(cbit)), 0);
	cr_assert_eq(cbit, 51, "C-bit position %u", cbit);
	sevemu_free(m);
}
