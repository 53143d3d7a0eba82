/*
 * The ELF loader: images linked at virtual addresses other than where
 * they load, and files that are no images at all.
 */
#include <sys/stat.h>

#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "image.h"

#define HIGH_BASE	0xffffffff80000000ULL

Test(loader, kernel_linked_high_starts_at_its_physical_entry)
{
	struct run_opts o = { .ro_trace = 1 };
	struct guest_run g;
	struct image *im;
	uint64_t va, pa, halt;

	cr_assert_eq(guest_run(&g, "highhalf", &o), 0, "%s", g.gr_err);
	im = &g.gr_runner.r_image;
	cr_assert_eq(im->im_entry_va, HIGH_BASE + 0x100000, "e_entry 0x%"
	    PRIx64, im->im_entry_va);
	cr_assert_eq(im->im_entry, 0x100000, "entry 0x%" PRIx64, im->im_entry);
	cr_assert_eq(g.gr_result.rr_stop, RUN_HALTED, "%s",
	    g.gr_result.rr_reason);
	/* Symbols are their linked values; memory is reached by PA. */
	cr_assert_eq(image_symbol(im, "high_marker", &va), 0);
	cr_assert_eq(image_symbol_pa(im, "high_marker", &pa), 0);
	cr_assert_eq(pa, va - HIGH_BASE, "high_marker at VA 0x%" PRIx64
	    ", PA 0x%" PRIx64, va, pa);
	cr_assert_eq(guest_u64(&g, "high_marker", 0), 0x600dcafe);
	cr_assert_eq(guest_u64(&g, "high_start_va", 0), HIGH_BASE + 0x100000);
	cr_assert_eq(image_symbol(im, "high_halt", &halt), 0);
	cr_assert_eq(g.gr_result.rr_regs.rip, halt, "rip 0x%" PRIx64,
	    g.gr_result.rr_regs.rip);
	cr_assert(strstr(g.gr_trace, "<high_halt>") != NULL, "%s",
	    g.gr_trace);
	guest_done(&g);
}

Test(loader, physical_address_is_named_by_its_linked_symbol)
{
	struct guest_run g;
	char buf[64];

	cr_assert_eq(guest_run(&g, "highhalf", NULL), 0, "%s", g.gr_err);
	/* Code that runs before paging is named as the linker named it. */
	cr_assert_eq(image_symbolize(&g.gr_runner.r_image, 0x100000, buf,
	    sizeof(buf)), 0);
	cr_assert_str_eq(buf, "_start");
	cr_assert_eq(image_symbolize(&g.gr_runner.r_image, HIGH_BASE + 0x100004,
	    buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "_start+0x4");
	guest_done(&g);
}

static int
open_path(const char *path, char *err, size_t len)
{
	struct runner_config rc;
	struct runner r;

	memset(&rc, 0, sizeof(rc));
	rc.rc_image = path;
	if (runner_open(&r, &rc, err, len) != 0)
		return (-1);
	runner_close(&r);
	return (0);
}

Test(loader, fifo_is_refused_without_blocking)
{
	char dir[] = "/tmp/sevemu-loader-XXXXXX", path[64], err[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_eq(open_path(path, err, sizeof(err)), -1);
	unlink(path);
	rmdir(dir);
	cr_assert(strstr(err, path) != NULL && strstr(err, "a FIFO") != NULL,
	    "%s", err);
}

Test(loader, directory_is_refused_by_name)
{
	char err[512];

	cr_assert_eq(open_path("/tmp", err, sizeof(err)), -1);
	cr_assert_str_eq(err, "/tmp: a directory, not a guest image");
}

/*
 * A copy of highhalf.elf whose first segment loads at 256 MiB, past
 * the default 16 MiB of RAM.
 */
Test(loader, segment_outside_ram_names_file_and_ram)
{
	char path[] = "/tmp/sevemu-loader-XXXXXX", err[512], want[512];
	FILE *in, *out;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint8_t *buf;
	long n;
	int fd;

	cr_assert_not_null(in = fopen(guest_path("highhalf"), "rb"));
	fseek(in, 0, SEEK_END);
	n = ftell(in);
	rewind(in);
	cr_assert_not_null(buf = malloc(n));
	cr_assert_eq(fread(buf, 1, n, in), (size_t)n);
	fclose(in);
	memcpy(&eh, buf, sizeof(eh));
	memcpy(&ph, buf + eh.e_phoff, sizeof(ph));
	cr_assert_eq(ph.p_type, PT_LOAD);
	ph.p_paddr = 256ULL << 20;
	memcpy(buf + eh.e_phoff, &ph, sizeof(ph));
	cr_assert((fd = mkstemp(path)) != -1);
	cr_assert_not_null(out = fdopen(fd, "wb"));
	cr_assert_eq(fwrite(buf, 1, n, out), (size_t)n);
	fclose(out);
	free(buf);
	cr_assert_eq(open_path(path, err, sizeof(err)), -1);
	unlink(path);
	snprintf(want, sizeof(want), "%s: segment 0 at physical address "
	    "0x10000000 (0x%" PRIx64 " bytes) does not fit: guest RAM is "
	    "[0, 0x1000000) and images load at 0x80000 or above", path,
	    (uint64_t)ph.p_memsz);
	cr_assert_str_eq(err, want);
}
