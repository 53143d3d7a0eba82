/*
 * image.c - the ELF loader.  Every offset and size in the file is
 * checked against the file before it is used: a truncated or hostile
 * image gets an error naming what is wrong, never a crash.
 */
#include <sys/stat.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"

static int
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return (-1);
}

/* Does [off, off + n * size) lie inside the file? */
static int
inside(const struct image *im, uint64_t off, uint64_t n, uint64_t size)
{
	if (size != 0 && n > UINT64_MAX / size)
		return (0);
	return (off <= im->im_size && n * size <= im->im_size - off);
}

/* Larger than any guest RAM sevemu makes: not an image. */
#define IMAGE_MAX_FILE	(4ULL << 30)

static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return ("a directory");
	if (S_ISFIFO(m))
		return ("a FIFO");
	if (S_ISCHR(m))
		return ("a character device");
	if (S_ISBLK(m))
		return ("a block device");
	if (S_ISSOCK(m))
		return ("a socket");
	return ("not a regular file");
}

/*
 * Opened without blocking, so that a FIFO cannot hang the run, and
 * refused unless it is a regular file.
 */
static int
read_file(struct image *im, const char *path, char *err, size_t len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) == -1)
		return (fail(err, len, "%s: %s", path, strerror(errno)));
	if (fstat(fd, &st) == -1) {
		close(fd);
		return (fail(err, len, "%s: %s", path, strerror(errno)));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return (fail(err, len, "%s: %s, not a guest image", path,
		    file_kind(st.st_mode)));
	}
	if ((uint64_t)st.st_size > IMAGE_MAX_FILE) {
		close(fd);
		return (fail(err, len, "%s: %jd bytes, larger than any guest "
		    "RAM (at most %llu)", path, (intmax_t)st.st_size,
		    (unsigned long long)IMAGE_MAX_FILE));
	}
	im->im_size = (size_t)st.st_size;
	if ((im->im_file = malloc(im->im_size + 1)) == NULL) {
		close(fd);
		return (fail(err, len, "%s: out of memory for %zu bytes",
		    path, im->im_size));
	}
	while (got < im->im_size) {
		n = read(fd, im->im_file + got, im->im_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return (fail(err, len, "%s: %s after %zu of %zu bytes",
			    path, n == 0 ? "the file shrank" : strerror(errno),
			    got, im->im_size));
		}
		got += (size_t)n;
	}
	close(fd);
	return (0);
}

static int
sym_cmp(const void *a, const void *b)
{
	const struct image_sym *x = a, *y = b;

	if (x->sy_addr != y->sy_addr)
		return (x->sy_addr < y->sy_addr ? -1 : 1);
	return (strcmp(x->sy_name, y->sy_name));
}

static int
load_symbols(struct image *im, const Elf64_Ehdr *eh, const char *path,
    char *err, size_t len)
{
	const Elf64_Shdr *sh, *strsh;
	const Elf64_Sym *sym;
	size_t i, j, n;

	if (eh->e_shoff == 0 || eh->e_shnum == 0)
		return (0);
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff % 8 != 0 ||
	    !inside(im, eh->e_shoff, eh->e_shnum, sizeof(Elf64_Shdr)))
		return (fail(err, len, "%s: truncated: section header table "
		    "at offset 0x%" PRIx64 " (%u entries) runs past the end "
		    "of the file (%zu bytes)", path, (uint64_t)eh->e_shoff,
		    eh->e_shnum, im->im_size));
	sh = (const Elf64_Shdr *)(im->im_file + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		if (sh[i].sh_link >= eh->e_shnum ||
		    sh[i].sh_entsize != sizeof(Elf64_Sym) ||
		    sh[i].sh_offset % 8 != 0 ||
		    !inside(im, sh[i].sh_offset, 1, sh[i].sh_size))
			return (fail(err, len, "%s: truncated or corrupt "
			    "symbol table", path));
		strsh = &sh[sh[i].sh_link];
		if (!inside(im, strsh->sh_offset, 1, strsh->sh_size))
			return (fail(err, len, "%s: truncated string table",
			    path));
		n = sh[i].sh_size / sizeof(Elf64_Sym);
		sym = (const Elf64_Sym *)(im->im_file + sh[i].sh_offset);
		im->im_syms = calloc(n ? n : 1, sizeof(*im->im_syms));
		if (im->im_syms == NULL)
			return (fail(err, len, "%s: out of memory", path));
		for (j = 0; j < n; j++) {
			int type = ELF64_ST_TYPE(sym[j].st_info);

			if (sym[j].st_name == 0 ||
			    sym[j].st_name >= strsh->sh_size ||
			    sym[j].st_shndx == SHN_UNDEF ||
			    sym[j].st_shndx == SHN_ABS ||
			    type == STT_SECTION || type == STT_FILE)
				continue;
			const char *name = (const char *)im->im_file +
			    strsh->sh_offset + sym[j].st_name;
			/* Names must end inside the string table. */
			if (memchr(name, '\0', strsh->sh_size -
			    sym[j].st_name) == NULL)
				continue;
			im->im_syms[im->im_nsyms].sy_addr = sym[j].st_value;
			im->im_syms[im->im_nsyms].sy_size = sym[j].st_size;
			im->im_syms[im->im_nsyms].sy_name = name;
			im->im_nsyms++;
		}
		qsort(im->im_syms, im->im_nsyms, sizeof(*im->im_syms),
		    sym_cmp);
		break;
	}
	return (0);
}

int
image_load(struct image *im, const char *path, char *err, size_t len)
{
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	int i, entry_ok = 0;

	memset(im, 0, sizeof(*im));
	if ((im->im_path = strdup(path)) == NULL) {
		fail(err, len, "%s: out of memory", path);
		goto bad;
	}
	if (read_file(im, path, err, len) != 0)
		goto bad;
	eh = (const Elf64_Ehdr *)im->im_file;
	if (im->im_size < SELFMAG || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
		fail(err, len, "%s: not an ELF file", path);
		goto bad;
	}
	if (im->im_size < sizeof(*eh)) {
		fail(err, len, "%s: truncated: %zu bytes, shorter than an "
		    "ELF64 header", path, im->im_size);
		goto bad;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64) {
		fail(err, len, "%s: not a little-endian ELF64 x86-64 image",
		    path);
		goto bad;
	}
	if (eh->e_type != ET_EXEC) {
		fail(err, len, "%s: not a static executable (ELF type %u)",
		    path, eh->e_type);
		goto bad;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff % 8 != 0 ||
	    !inside(im, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr))) {
		fail(err, len, "%s: truncated: program header table at offset "
		    "0x%" PRIx64 " (%u entries) runs past the end of the file "
		    "(%zu bytes)", path, (uint64_t)eh->e_phoff, eh->e_phnum,
		    im->im_size);
		goto bad;
	}
	ph = (const Elf64_Phdr *)(im->im_file + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		struct image_seg *s;

		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (im->im_nsegs == IMAGE_MAXSEGS) {
			fail(err, len, "%s: more than %d loadable segments",
			    path, IMAGE_MAXSEGS);
			goto bad;
		}
		if (!inside(im, ph[i].p_offset, 1, ph[i].p_filesz)) {
			fail(err, len, "%s: truncated: segment %d (offset 0x%"
			    PRIx64 ", 0x%" PRIx64 " bytes) runs past the end "
			    "of the file (%zu bytes)", path, i,
			    (uint64_t)ph[i].p_offset,
			    (uint64_t)ph[i].p_filesz, im->im_size);
			goto bad;
		}
		if (ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_paddr + ph[i].p_memsz < ph[i].p_paddr ||
		    ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr) {
			fail(err, len, "%s: segment %d has impossible sizes",
			    path, i);
			goto bad;
		}
		s = &im->im_segs[im->im_nsegs++];
		s->is_vaddr = ph[i].p_vaddr;
		s->is_paddr = ph[i].p_paddr;
		s->is_filesz = ph[i].p_filesz;
		s->is_memsz = ph[i].p_memsz;
		s->is_offset = ph[i].p_offset;
		s->is_exec = (ph[i].p_flags & PF_X) != 0;
		if (s->is_exec && !entry_ok && eh->e_entry >= s->is_vaddr &&
		    eh->e_entry - s->is_vaddr < s->is_memsz) {
			im->im_entry = s->is_paddr + (eh->e_entry - s->is_vaddr);
			entry_ok = 1;
		}
	}
	if (im->im_nsegs == 0) {
		fail(err, len, "%s: no loadable segments", path);
		goto bad;
	}
	if (!entry_ok) {
		fail(err, len, "%s: entry point 0x%" PRIx64 " is not in an "
		    "executable segment", path, (uint64_t)eh->e_entry);
		goto bad;
	}
	im->im_entry_va = eh->e_entry;
	if (load_symbols(im, eh, path, err, len) != 0)
		goto bad;
	return (0);
bad:
	image_free(im);
	return (-1);
}

int
image_place(const struct image *im, uint8_t *ram, uint64_t ram_size,
    uint64_t reserved_end, char *err, size_t len)
{
	const struct image_seg *s;
	int i;

	for (i = 0; i < im->im_nsegs; i++) {
		s = &im->im_segs[i];
		if (s->is_paddr < reserved_end || s->is_paddr > ram_size ||
		    s->is_memsz > ram_size - s->is_paddr)
			return (fail(err, len, "%s: segment %d at physical "
			    "address 0x%" PRIx64 " (0x%" PRIx64 " bytes) does "
			    "not fit: guest RAM is [0, 0x%" PRIx64 ") and "
			    "images load at 0x%" PRIx64 " or above",
			    im->im_path, i, s->is_paddr, s->is_memsz,
			    ram_size, reserved_end));
		memcpy(ram + s->is_paddr, im->im_file + s->is_offset,
		    s->is_filesz);
		memset(ram + s->is_paddr + s->is_filesz, 0,
		    s->is_memsz - s->is_filesz);
	}
	return (0);
}

/*
 * Linker symbols such as "end" may lie past every segment: they take
 * the offset all segments share, when they share one.
 */
int
image_va_to_pa(const struct image *im, uint64_t va, uint64_t *pa)
{
	const struct image_seg *s;
	uint64_t delta;
	int i;

	for (i = 0; i < im->im_nsegs; i++) {
		s = &im->im_segs[i];
		if (va >= s->is_vaddr && va - s->is_vaddr < s->is_memsz) {
			*pa = s->is_paddr + (va - s->is_vaddr);
			return (0);
		}
	}
	if (im->im_nsegs == 0)
		return (-1);
	delta = im->im_segs[0].is_vaddr - im->im_segs[0].is_paddr;
	for (i = 1; i < im->im_nsegs; i++)
		if (im->im_segs[i].is_vaddr - im->im_segs[i].is_paddr != delta)
			return (-1);
	*pa = va - delta;
	return (0);
}

/* Physical to linked address, for code that runs before paging. */
static int
pa_to_va(const struct image *im, uint64_t pa, uint64_t *va)
{
	const struct image_seg *s;
	int i;

	for (i = 0; i < im->im_nsegs; i++) {
		s = &im->im_segs[i];
		if (pa >= s->is_paddr && pa - s->is_paddr < s->is_memsz) {
			*va = s->is_vaddr + (pa - s->is_paddr);
			return (0);
		}
	}
	return (-1);
}

static int
in_segment_va(const struct image *im, uint64_t va)
{
	int i;

	for (i = 0; i < im->im_nsegs; i++)
		if (va >= im->im_segs[i].is_vaddr &&
		    va - im->im_segs[i].is_vaddr < im->im_segs[i].is_memsz)
			return (1);
	return (0);
}

int
image_symbol_pa(const struct image *im, const char *name, uint64_t *pa)
{
	uint64_t va;

	if (image_symbol(im, name, &va) != 0)
		return (-1);
	return (image_va_to_pa(im, va, pa));
}

int
image_symbol(const struct image *im, const char *name, uint64_t *addr)
{
	size_t i;

	for (i = 0; i < im->im_nsyms; i++)
		if (strcmp(im->im_syms[i].sy_name, name) == 0) {
			*addr = im->im_syms[i].sy_addr;
			return (0);
		}
	return (-1);
}

int
image_symbolize(void *arg, uint64_t addr, char *buf, size_t len)
{
	const struct image *im = arg;
	const struct image_sym *best = NULL;
	size_t lo = 0, hi = im->im_nsyms;
	uint64_t va;

	if (!in_segment_va(im, addr) && pa_to_va(im, addr, &va) == 0)
		addr = va;

	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (im->im_syms[mid].sy_addr <= addr) {
			best = &im->im_syms[mid];
			lo = mid + 1;
		} else
			hi = mid;
	}
	if (best == NULL)
		return (-1);
	if (addr == best->sy_addr)
		snprintf(buf, len, "%s", best->sy_name);
	else
		snprintf(buf, len, "%s+0x%" PRIx64, best->sy_name,
		    addr - best->sy_addr);
	return (0);
}

void
image_free(struct image *im)
{
	free(im->im_path);
	free(im->im_file);
	free(im->im_syms);
	memset(im, 0, sizeof(*im));
}
