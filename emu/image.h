/*
 * image.h - guest images: ELF64 x86-64 executables, loaded by
 * physical address, symbols kept.  A kernel links at virtual addresses
 * and loads at physical ones (OpenBSD's at 0xffffffff81000000 and 16
 * MiB): the entry point and symbols are translated through the
 * segments that hold them.
 */
#ifndef SEVEMU_IMAGE_H
#define SEVEMU_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAXSEGS	16

struct image_seg {
	uint64_t	 is_vaddr;
	uint64_t	 is_paddr;
	uint64_t	 is_filesz;
	uint64_t	 is_memsz;
	uint64_t	 is_offset;
	int		 is_exec;
};

struct image_sym {
	uint64_t	 sy_addr;
	uint64_t	 sy_size;
	const char	*sy_name;	/* points into the file */
};

struct image {
	char		*im_path;
	uint8_t		*im_file;
	size_t		 im_size;
	uint64_t	 im_entry;	/* physical: where a loader jumps */
	uint64_t	 im_entry_va;	/* e_entry, as linked */
	struct image_seg im_segs[IMAGE_MAXSEGS];
	int		 im_nsegs;
	struct image_sym *im_syms;	/* sorted by address */
	size_t		 im_nsyms;
};

/* Reads and checks an image; on error, err says what is wrong. */
int	 image_load(struct image *, const char *path, char *err, size_t);
/* Copies the segments into guest RAM [0, ram_size) at ram. */
int	 image_place(const struct image *, uint8_t *ram, uint64_t ram_size,
	    uint64_t reserved_end, char *err, size_t);
/* A symbol's value, as linked (virtual for a kernel). */
int	 image_symbol(const struct image *, const char *name, uint64_t *);
/* The physical address a symbol's value was loaded at. */
int	 image_symbol_pa(const struct image *, const char *name, uint64_t *);
/* Virtual to physical through the segments; -1 if none holds va. */
int	 image_va_to_pa(const struct image *, uint64_t va, uint64_t *pa);
/*
 * "name+0xoff" for an address, for traces; -1 if none covers it.  An
 * address inside a segment's physical range but not its virtual one
 * (code running before paging) is named by its linked address.
 */
int	 image_symbolize(void *image, uint64_t addr, char *buf, size_t len);
void	 image_free(struct image *);

#endif /* SEVEMU_IMAGE_H */
