/*
 * image.c - the ELF loader.  Every offset and size in the file is
 * checked against the file before it is used: a truncated or hostile
 * image gets an error naming what is wrong, never a crash.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int
read_file(struct image *im, const char *path, char *err, size_t len)
{
	FILE *f;
	long sz;

	if ((f = fopen(path, "rb")) == NULL)
		return (fail(err, len, "%s: %s", path, strerror(errno)));
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return (fail(err, len, "%s: cannot size the file", path));
	}
	im->im_size = (size_t)sz;
	if ((im->im_file = malloc(im->im_size + 1)) == NULL) {
		fclose(f);
		return (fail(err, len, "%s: out of memory", path));
	}
	if (fread(im->im_file, 1, im->im_size, f) != im->im_size) {
		fclose(f);
		return (fail(err, len, "%s: read error", path));
	}
	fclose(f);
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
		    ph[i].p_paddr + ph[i].p_memsz < ph[i].p_paddr) {
			fail(err, len, "%s: segment %d has impossible sizes",
			    path, i);
			goto bad;
		}
		s = &im->im_segs[im->im_nsegs++];
		s->is_paddr = ph[i].p_paddr;
		s->is_filesz = ph[i].p_filesz;
		s->is_memsz = ph[i].p_memsz;
		s->is_offset = ph[i].p_offset;
		s->is_exec = (ph[i].p_flags & PF_X) != 0;
		if (s->is_exec && eh->e_entry >= s->is_paddr &&
		    eh->e_entry - s->is_paddr < s->is_memsz)
			entry_ok = 1;
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
	im->im_entry = eh->e_entry;
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
			return (fail(err, len, "segment at 0x%" PRIx64 " (0x%"
			    PRIx64 " bytes) is outside guest RAM [0x%" PRIx64
			    ", 0x%" PRIx64 ")", s->is_paddr, s->is_memsz,
			    reserved_end, ram_size));
		memcpy(ram + s->is_paddr, im->im_file + s->is_offset,
		    s->is_filesz);
		memset(ram + s->is_paddr + s->is_filesz, 0,
		    s->is_memsz - s->is_filesz);
	}
	return (0);
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
	free(im->im_file);
	free(im->im_syms);
	memset(im, 0, sizeof(*im));
}
