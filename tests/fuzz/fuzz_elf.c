/*
 * fuzz_elf - the ELF loader (emu/image.c) against broken guest images.
 *
 * From one valid image (cpuid_msr.elf by default) it makes cases: the
 * image truncated at every length below 512 bytes (the headers) and at
 * every seventh length after that; then, per case, 1 to K mutations:
 * bit flips in the ELF header, the program headers, the section headers
 * and the symbol table, bytes overwritten anywhere, header, program
 * header, section header and symbol fields set to values chosen to hit
 * boundaries, and truncation.  Each case goes through image_load and,
 * if it loads, image_place into a guest RAM buffer, image_symbol and
 * image_symbolize.
 *
 * A case passes when the image is rejected with a message, or loads as
 * the loader promises (every segment inside the file, the entry point
 * in an executable segment, symbol names inside the file) and is then
 * placed inside guest RAM or refused with a message.  A crash or a
 * sanitizer report ends the run, naming the case.  Deterministic: case
 * C of seed S is the same everywhere.
 *
 * usage: fuzz_elf [--cases N] [--seed S] [--mutations K] [--image PATH]
 *                 [--elf-dir DIR] [--no-trunc] [--case C] [--verbose]
 */
#include <elf.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "image.h"
#include "runner.h"

#define TRUNC_DENSE	512	/* every length below this */
#define TRUNC_STEP	7	/* then every 7th */
#define NO_CASE		UINT64_MAX

struct opts {
	uint64_t	 o_cases;
	uint64_t	 o_seed;
	uint64_t	 o_mutations;
	uint64_t	 o_only;
	const char	*o_image;
	int		 o_trunc;
	int		 o_verbose;
	unsigned int	 o_timeout;
};

/* Where the structures of the original image are. */
struct layout {
	uint64_t	 l_phoff, l_phnum;
	uint64_t	 l_shoff, l_shnum;
	uint64_t	 l_symoff, l_symsize;
	uint64_t	 l_stroff, l_strsize;
};

struct fuzz {
	const struct opts *f_opts;
	uint8_t		*f_orig;
	size_t		 f_size;
	struct layout	 f_lay;
	uint8_t		*f_buf;		/* the case's image */
	size_t		 f_len, f_cap;
	int		 f_fd;
	char		 f_path[64];
	uint8_t		*f_ram;
	struct fuzz_rng	 f_rng;
	/* outcomes */
	uint64_t	 f_cases, f_failed;
	struct fuzz_progress f_progress;
	uint64_t	 f_rejected, f_loaded, f_placed, f_unplaced;
};

static struct fuzz_tally reject_kinds, place_kinds;

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz_elf [--cases N] [--seed S] "
	    "[--mutations K] [--image PATH] [--elf-dir DIR] [--no-trunc] "
	    "[--case C] [--verbose]\n");
	exit(2);
}

static uint64_t
rnd(struct fuzz *f, uint64_t n)
{
	return (fuzz_rng_below(&f->f_rng, n));
}

/* ------------------------------------------------------- the image */

static void
read_image(struct fuzz *f, const char *path)
{
	FILE *fp;
	long sz;

	if ((fp = fopen(path, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (sz = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fuzz_elf: cannot read %s\n", path);
		exit(2);
	}
	f->f_size = (size_t)sz;
	/* Room for mutations that make the image longer. */
	f->f_cap = f->f_size + 256;
	if ((f->f_orig = malloc(f->f_size)) == NULL ||
	    (f->f_buf = malloc(f->f_cap)) == NULL ||
	    fread(f->f_orig, 1, f->f_size, fp) != f->f_size) {
		fprintf(stderr, "fuzz_elf: cannot read %s\n", path);
		exit(2);
	}
	fclose(fp);
}

/* The original has to be a good image: the mutations aim at its parts. */
static void
find_layout(struct fuzz *f)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f->f_orig;
	const Elf64_Shdr *sh;
	struct layout *l = &f->f_lay;
	uint64_t i;

	if (f->f_size < sizeof(*eh) || eh->e_phoff + eh->e_phnum *
	    sizeof(Elf64_Phdr) > f->f_size || eh->e_shoff + eh->e_shnum *
	    sizeof(Elf64_Shdr) > f->f_size || eh->e_shnum == 0) {
		fprintf(stderr, "fuzz_elf: the original image is no image "
		    "this fuzzer understands\n");
		exit(2);
	}
	l->l_phoff = eh->e_phoff;
	l->l_phnum = eh->e_phnum;
	l->l_shoff = eh->e_shoff;
	l->l_shnum = eh->e_shnum;
	sh = (const Elf64_Shdr *)(f->f_orig + eh->e_shoff);
	for (i = 0; i < l->l_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= l->l_shnum)
			continue;
		l->l_symoff = sh[i].sh_offset;
		l->l_symsize = sh[i].sh_size;
		l->l_stroff = sh[sh[i].sh_link].sh_offset;
		l->l_strsize = sh[sh[i].sh_link].sh_size;
	}
	if (l->l_symsize < sizeof(Elf64_Sym) || l->l_strsize == 0 ||
	    l->l_symoff + l->l_symsize > f->f_size ||
	    l->l_stroff + l->l_strsize > f->f_size) {
		fprintf(stderr, "fuzz_elf: the original image has no usable "
		    "symbol table\n");
		exit(2);
	}
}

/*
 * The case goes to a file that is already unlinked: image_load opens it
 * as /proc/self/fd/N, and nothing is left behind, whatever happens.
 */
static void
open_scratch(struct fuzz *f)
{
	char tmpl[] = "/tmp/fuzz_elf.XXXXXX";
	const char *dir = getenv("TMPDIR");
	char path[1024];

	if (dir != NULL && *dir != '\0')
		snprintf(path, sizeof(path), "%s/fuzz_elf.XXXXXX", dir);
	else
		snprintf(path, sizeof(path), "%s", tmpl);
	if ((f->f_fd = mkstemp(path)) < 0) {
		fprintf(stderr, "fuzz_elf: cannot create %s\n", path);
		exit(2);
	}
	unlink(path);
	snprintf(f->f_path, sizeof(f->f_path), "/proc/self/fd/%d", f->f_fd);
}

static void
write_case(struct fuzz *f)
{
	if (ftruncate(f->f_fd, 0) != 0 ||
	    pwrite(f->f_fd, f->f_buf, f->f_len, 0) != (ssize_t)f->f_len) {
		fprintf(stderr, "fuzz_elf: cannot write the case\n");
		exit(2);
	}
}

/* ------------------------------------------------------- mutations */

/* A value for a field of the given width, aimed at the checks' edges. */
static uint64_t
boundary_value(struct fuzz *f, uint64_t orig)
{
	const uint64_t size = f->f_size;

	switch (rnd(f, 16)) {
	case 0:
		return (0);
	case 1:
		return (1);
	case 2:
		return (size - 1);
	case 3:
		return (size);
	case 4:
		return (size + 1);
	case 5:
		return (RUNNER_RESERVED_END - 1 - rnd(f, 2));
	case 6:
		return (RUNNER_DEFAULT_MEM - rnd(f, 2));
	case 7:
		return (INT64_MAX);
	case 8:
		return ((uint64_t)INT64_MAX + 1);
	case 9:
		return (UINT64_MAX - rnd(f, 16));
	case 10:
		return (orig + rnd(f, 17) - 8);
	case 11:
		return (orig ^ ((uint64_t)1 << rnd(f, 64)));
	case 12:
		return (rnd(f, 2 * size));
	case 13:
		return (UINT64_MAX / sizeof(Elf64_Phdr) + rnd(f, 3));
	default:
		return (fuzz_rng_next(&f->f_rng));
	}
}

/* Sets a little-endian field at off, if it lies in the case. */
static void
set_field(struct fuzz *f, uint64_t off, int width, uint64_t v)
{
	if (off > f->f_len || (uint64_t)width > f->f_len - off)
		return;
	memcpy(f->f_buf + off, &v, (size_t)width);	/* x86 is LE */
}

static uint64_t
get_field(struct fuzz *f, uint64_t off, int width)
{
	uint64_t v = 0;

	if (off <= f->f_len && (uint64_t)width <= f->f_len - off)
		memcpy(&v, f->f_buf + off, (size_t)width);
	return (v);
}

static void
flip_in(struct fuzz *f, uint64_t start, uint64_t len)
{
	uint64_t off;

	if (len == 0)
		return;
	off = start + rnd(f, len);
	if (off < f->f_len)
		f->f_buf[off] ^= (uint8_t)(1U << rnd(f, 8));
}

struct field {
	uint8_t		 fd_off;
	uint8_t		 fd_width;
};

static const struct field ehdr_fields[] = {
	{ EI_CLASS, 1 }, { EI_DATA, 1 },
	{ offsetof(Elf64_Ehdr, e_type), 2 },
	{ offsetof(Elf64_Ehdr, e_machine), 2 },
	{ offsetof(Elf64_Ehdr, e_entry), 8 },
	{ offsetof(Elf64_Ehdr, e_phoff), 8 },
	{ offsetof(Elf64_Ehdr, e_shoff), 8 },
	{ offsetof(Elf64_Ehdr, e_phentsize), 2 },
	{ offsetof(Elf64_Ehdr, e_phnum), 2 },
	{ offsetof(Elf64_Ehdr, e_shentsize), 2 },
	{ offsetof(Elf64_Ehdr, e_shnum), 2 },
	{ offsetof(Elf64_Ehdr, e_shstrndx), 2 },
};

static const struct field phdr_fields[] = {
	{ offsetof(Elf64_Phdr, p_type), 4 },
	{ offsetof(Elf64_Phdr, p_flags), 4 },
	{ offsetof(Elf64_Phdr, p_offset), 8 },
	{ offsetof(Elf64_Phdr, p_vaddr), 8 },
	{ offsetof(Elf64_Phdr, p_paddr), 8 },
	{ offsetof(Elf64_Phdr, p_filesz), 8 },
	{ offsetof(Elf64_Phdr, p_memsz), 8 },
};

static const struct field shdr_fields[] = {
	{ offsetof(Elf64_Shdr, sh_name), 4 },
	{ offsetof(Elf64_Shdr, sh_type), 4 },
	{ offsetof(Elf64_Shdr, sh_offset), 8 },
	{ offsetof(Elf64_Shdr, sh_size), 8 },
	{ offsetof(Elf64_Shdr, sh_link), 4 },
	{ offsetof(Elf64_Shdr, sh_entsize), 8 },
};

static const struct field sym_fields[] = {
	{ offsetof(Elf64_Sym, st_name), 4 },
	{ offsetof(Elf64_Sym, st_info), 1 },
	{ offsetof(Elf64_Sym, st_shndx), 2 },
	{ offsetof(Elf64_Sym, st_value), 8 },
	{ offsetof(Elf64_Sym, st_size), 8 },
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* One field of entry i (of n, each esize bytes at base) set. */
static void
set_entry_field(struct fuzz *f, uint64_t base, uint64_t n, uint64_t esize,
    const struct field *fields, size_t nfields)
{
	const struct field *fd = &fields[rnd(f, nfields)];
	uint64_t off = base + rnd(f, n) * esize + fd->fd_off;

	set_field(f, off, fd->fd_width,
	    boundary_value(f, get_field(f, off, fd->fd_width)));
}

static void
mutate_one(struct fuzz *f)
{
	const struct layout *l = &f->f_lay;

	switch (rnd(f, 11)) {
	case 0:
		flip_in(f, 0, sizeof(Elf64_Ehdr));
		break;
	case 1:
		flip_in(f, l->l_phoff, l->l_phnum * sizeof(Elf64_Phdr));
		break;
	case 2:
		flip_in(f, l->l_shoff, l->l_shnum * sizeof(Elf64_Shdr));
		break;
	case 3:
		if (rnd(f, 4) == 0)
			flip_in(f, l->l_stroff, l->l_strsize);
		else
			flip_in(f, l->l_symoff, l->l_symsize);
		break;
	case 4:
		set_entry_field(f, 0, 1, 0, ehdr_fields, NITEMS(ehdr_fields));
		break;
	case 5:
	case 6:
		set_entry_field(f, l->l_phoff, l->l_phnum, sizeof(Elf64_Phdr),
		    phdr_fields, NITEMS(phdr_fields));
		break;
	case 7:
		set_entry_field(f, l->l_shoff, l->l_shnum, sizeof(Elf64_Shdr),
		    shdr_fields, NITEMS(shdr_fields));
		break;
	case 8:
		set_entry_field(f, l->l_symoff, l->l_symsize /
		    sizeof(Elf64_Sym), sizeof(Elf64_Sym), sym_fields,
		    NITEMS(sym_fields));
		break;
	case 9:
		if (f->f_len > 0)
			f->f_buf[rnd(f, f->f_len)] = (uint8_t)rnd(f, 256);
		break;
	default:
		/* Shorter, mostly; sometimes longer, with garbage. */
		if (rnd(f, 4) != 0)
			f->f_len = rnd(f, f->f_len + 1);
		else {
			uint64_t more = 1 + rnd(f, f->f_cap - f->f_len);

			while (more-- > 0 && f->f_len < f->f_cap)
				f->f_buf[f->f_len++] = (uint8_t)rnd(f, 256);
		}
		break;
	}
}

static void
make_truncated(struct fuzz *f, size_t len)
{
	memcpy(f->f_buf, f->f_orig, len);
	f->f_len = len;
}

static void
make_mutated(struct fuzz *f, uint64_t c)
{
	uint64_t k;

	memcpy(f->f_buf, f->f_orig, f->f_size);
	f->f_len = f->f_size;
	fuzz_rng_seed(&f->f_rng, (f->f_opts->o_seed << 40) ^ c);
	k = 1 + rnd(f, f->f_opts->o_mutations);
	while (k-- > 0)
		mutate_one(f);
}

/* ---------------------------------------------------------- checks */

/* Says why the case fails; returns 1. */
static int
failf(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return (1);
}

/* What image_load promises of an image it returns. */
static int
check_loaded(const struct image *im, size_t len, char *why, size_t wlen)
{
	const struct image_seg *s;
	const struct image_sym *y;
	int i, entry_ok = 0;
	size_t j;

	if (im->im_size != len)
		return (failf(why, wlen, "loaded %zu of %zu bytes",
		    im->im_size, len));
	if (im->im_nsegs < 1 || im->im_nsegs > IMAGE_MAXSEGS)
		return (failf(why, wlen, "loaded with %d segments",
		    im->im_nsegs));
	for (i = 0; i < im->im_nsegs; i++) {
		s = &im->im_segs[i];
		if (s->is_offset > len || s->is_filesz > len - s->is_offset ||
		    s->is_filesz > s->is_memsz ||
		    s->is_paddr + s->is_memsz < s->is_paddr)
			return (failf(why, wlen, "loaded segment %d (offset "
			    "0x%" PRIx64 ", filesz 0x%" PRIx64 ", memsz 0x%"
			    PRIx64 ", paddr 0x%" PRIx64 ") does not fit", i,
			    s->is_offset, s->is_filesz, s->is_memsz,
			    s->is_paddr));
		if (s->is_exec && im->im_entry >= s->is_paddr &&
		    im->im_entry - s->is_paddr < s->is_memsz)
			entry_ok = 1;
	}
	if (!entry_ok)
		return (failf(why, wlen, "loaded with entry 0x%" PRIx64
		    " in no executable segment", im->im_entry));
	for (j = 0; j < im->im_nsyms; j++) {
		y = &im->im_syms[j];
		if ((const uint8_t *)y->sy_name < im->im_file ||
		    (const uint8_t *)y->sy_name >= im->im_file + len ||
		    memchr(y->sy_name, '\0', (size_t)(im->im_file + len -
		    (const uint8_t *)y->sy_name)) == NULL)
			return (failf(why, wlen, "loaded symbol %zu's name "
			    "is not inside the file", j));
		if (j > 0 && im->im_syms[j - 1].sy_addr > y->sy_addr)
			return (failf(why, wlen, "loaded symbols out of "
			    "order"));
	}
	return (0);
}

/* What image_place promises: every segment inside guest RAM. */
static int
check_placed(const struct image *im, char *why, size_t wlen)
{
	const struct image_seg *s;
	int i;

	for (i = 0; i < im->im_nsegs; i++) {
		s = &im->im_segs[i];
		if (s->is_paddr < RUNNER_RESERVED_END ||
		    s->is_paddr > RUNNER_DEFAULT_MEM ||
		    s->is_memsz > RUNNER_DEFAULT_MEM - s->is_paddr)
			return (failf(why, wlen, "placed segment %d at 0x%"
			    PRIx64 " (0x%" PRIx64 " bytes) outside guest RAM",
			    i, s->is_paddr, s->is_memsz));
	}
	return (0);
}

/* Symbols, by name and by address: every lookup must just work. */
static void
exercise_symbols(struct fuzz *f, const struct image *im)
{
	uint64_t addr[8], a;
	char buf[128], tiny[1];
	size_t i, n = 0;

	addr[n++] = im->im_entry;
	addr[n++] = 0;
	addr[n++] = UINT64_MAX;
	addr[n++] = im->im_segs[0].is_paddr;
	addr[n++] = im->im_segs[0].is_paddr + im->im_segs[0].is_memsz;
	if (im->im_nsyms > 0) {
		addr[n++] = im->im_syms[0].sy_addr - 1;
		addr[n++] = im->im_syms[im->im_nsyms - 1].sy_addr + 1;
	}
	addr[n++] = fuzz_rng_next(&f->f_rng);
	for (i = 0; i < n; i++) {
		image_symbolize((void *)im, addr[i], buf, sizeof(buf));
		image_symbolize((void *)im, addr[i], tiny, sizeof(tiny));
	}
	(void)image_symbol(im, "guest_main", &a);
	(void)image_symbol(im, "", &a);
}

/* Strips "PATH: " from a message: the path is this run's scratch file. */
static const char *
message(struct fuzz *f, const char *err)
{
	size_t n = strlen(f->f_path);

	if (strncmp(err, f->f_path, n) == 0 && strncmp(err + n, ": ", 2) == 0)
		return (err + n + 2);
	return (err);
}

/* Loads the case; returns 0 if it passes, 1 with why set if not. */
static int
try_case(struct fuzz *f, const char *what, char *why, size_t wlen)
{
	struct image im;
	char err[512];

	write_case(f);
	memset(err, 0, sizeof(err));
	if (image_load(&im, f->f_path, err, sizeof(err)) != 0) {
		f->f_rejected++;
		if (err[0] == '\0')
			return (failf(why, wlen, "rejected without a "
			    "message"));
		fuzz_tally_add(&reject_kinds, message(f, err), what);
		return (0);
	}
	f->f_loaded++;
	if (check_loaded(&im, f->f_len, why, wlen) != 0) {
		image_free(&im);
		return (1);
	}
	memset(err, 0, sizeof(err));
	if (image_place(&im, f->f_ram, RUNNER_DEFAULT_MEM,
	    RUNNER_RESERVED_END, err, sizeof(err)) != 0) {
		f->f_unplaced++;
		if (err[0] == '\0') {
			image_free(&im);
			return (failf(why, wlen, "not placed, without a "
			    "message"));
		}
		fuzz_tally_add(&place_kinds, err, what);
	} else {
		f->f_placed++;
		if (check_placed(&im, why, wlen) != 0) {
			image_free(&im);
			return (1);
		}
	}
	exercise_symbols(f, &im);
	image_free(&im);
	return (0);
}

static void
run_case(struct fuzz *f, const char *what)
{
	char why[512];

	why[0] = '\0';
	fuzz_guard_case(f->f_opts->o_timeout, "%s", what);
	f->f_cases++;
	if (try_case(f, what, why, sizeof(why)) != 0) {
		f->f_failed++;
		printf("FAIL %s: %s\n", what, why);
	} else if (f->f_opts->o_verbose)
		printf("%s: passed (%zu bytes)\n", what, f->f_len);
	fuzz_guard_done();
	fuzz_progress(&f->f_progress, f->f_cases, f->f_failed);
}

/* ------------------------------------------------------------ main */

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "cases",	required_argument,	NULL, 'c' },
		{ "seed",	required_argument,	NULL, 's' },
		{ "mutations",	required_argument,	NULL, 'k' },
		{ "image",	required_argument,	NULL, 'i' },
		{ "elf-dir",	required_argument,	NULL, 'd' },
		{ "no-trunc",	no_argument,		NULL, 'T' },
		{ "case",	required_argument,	NULL, 'C' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	static char image[1024];
	int ch;

	memset(o, 0, sizeof(*o));
	o->o_cases = 2000;
	o->o_seed = 1;
	o->o_mutations = 4;
	o->o_only = NO_CASE;
	o->o_trunc = 1;
	o->o_timeout = 60;
	snprintf(image, sizeof(image), "%s/cpuid_msr.elf", SEVEMU_GUEST_DIR);
	o->o_image = image;
	while ((ch = getopt_long(argc, argv, "c:s:k:i:d:TC:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (fuzz_parse_u64(optarg, &o->o_cases) != 0)
				usage();
			break;
		case 's':
			if (fuzz_parse_u64(optarg, &o->o_seed) != 0 ||
			    o->o_seed >= (1ULL << 24))
				usage();
			break;
		case 'k':
			if (fuzz_parse_u64(optarg, &o->o_mutations) != 0 ||
			    o->o_mutations == 0 || o->o_mutations > 64)
				usage();
			break;
		case 'i':
			o->o_image = optarg;
			break;
		case 'd':
			snprintf(image, sizeof(image), "%s/cpuid_msr.elf",
			    optarg);
			o->o_image = image;
			break;
		case 'T':
			o->o_trunc = 0;
			break;
		case 'C':
			if (fuzz_parse_u64(optarg, &o->o_only) != 0)
				usage();
			o->o_trunc = 0;
			o->o_verbose = 1;
			break;
		case 'v':
			o->o_verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* Every length up to TRUNC_DENSE, every TRUNC_STEPth after, the whole. */
static int
truncation_wanted(const struct fuzz *f, size_t len)
{
	return (len < TRUNC_DENSE || len % TRUNC_STEP == 0 ||
	    len == f->f_size);
}

static uint64_t
count_cases(const struct fuzz *f)
{
	const struct opts *o = f->f_opts;
	uint64_t n = o->o_only != NO_CASE ? 1 : o->o_cases;
	size_t len;

	if (o->o_trunc)
		for (len = 0; len <= f->f_size; len++)
			n += truncation_wanted(f, len);
	return (n);
}

static void
run_truncations(struct fuzz *f)
{
	char what[64];
	size_t len;

	for (len = 0; len <= f->f_size; len++) {
		if (!truncation_wanted(f, len))
			continue;
		make_truncated(f, len);
		snprintf(what, sizeof(what), "truncation to %zu bytes", len);
		run_case(f, what);
	}
}

static void
run_mutations(struct fuzz *f)
{
	const struct opts *o = f->f_opts;
	char what[128];
	uint64_t c, lo = 0, hi = o->o_cases;

	if (o->o_only != NO_CASE) {
		lo = o->o_only;
		hi = lo + 1;
	}
	for (c = lo; c < hi; c++) {
		make_mutated(f, c);
		snprintf(what, sizeof(what), "case %" PRIu64 " (rerun: "
		    "fuzz_elf --seed %" PRIu64 " --case %" PRIu64 ")", c,
		    o->o_seed, c);
		run_case(f, what);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct fuzz f;
	uint64_t trunc_cases;
	double t0;

	parse_args(argc, argv, &o);
	memset(&f, 0, sizeof(f));
	f.f_opts = &o;
	read_image(&f, o.o_image);
	find_layout(&f);
	open_scratch(&f);
	if ((f.f_ram = malloc(RUNNER_DEFAULT_MEM)) == NULL) {
		fprintf(stderr, "fuzz_elf: no memory for guest RAM\n");
		return (2);
	}
	fuzz_guard_install("fuzz_elf", NULL);
	fuzz_progress_init(&f.f_progress, "fuzz_elf", "cases",
	    count_cases(&f));
	t0 = fuzz_now();
	if (o.o_trunc)
		run_truncations(&f);
	trunc_cases = f.f_cases;
	run_mutations(&f);

	printf("fuzz_elf: %s (%zu bytes), seed %" PRIu64 ", up to %" PRIu64
	    " mutations: %" PRIu64 " cases (%" PRIu64 " truncations) in "
	    "%.1f s: %" PRIu64 " rejected, %" PRIu64 " loaded (%" PRIu64
	    " placed, %" PRIu64 " refused a place); %" PRIu64 " failed\n",
	    o.o_image, f.f_size, o.o_seed, o.o_mutations, f.f_cases,
	    trunc_cases, fuzz_now() - t0, f.f_rejected, f.f_loaded,
	    f.f_placed, f.f_unplaced, f.f_failed);
	printf("fuzz_elf: rejections by kind:\n");
	fuzz_tally_print(&reject_kinds, stdout);
	if (place_kinds.ft_nkinds != 0) {
		printf("fuzz_elf: placements refused by kind:\n");
		fuzz_tally_print(&place_kinds, stdout);
	}
	fuzz_summary(f.f_cases - f.f_failed, f.f_failed);
	close(f.f_fd);
	free(f.f_ram);
	free(f.f_buf);
	free(f.f_orig);
	return (f.f_failed != 0 ? 1 : 0);
}
