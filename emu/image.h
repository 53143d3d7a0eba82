/*
 * image.h - guest images: ELF64 x86-64 executables, loaded by
 * physical address, symbols kept.
 */
#ifndef SEVEMU_IMAGE_H
#define SEVEMU_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAXSEGS	16

struct image_seg {
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
	uint8_t		*im_file;
	size_t		 im_size;
	uint64_t	 im_entry;
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
int	 image_symbol(const struct image *, const char *name, uint64_t *);
/* "name+0xoff" for an address, for traces; -1 if none covers it. */
int	 image_symbolize(void *image, uint64_t addr, char *buf, size_t len);
void	 image_free(struct image *);

#endif /* SEVEMU_IMAGE_H */
