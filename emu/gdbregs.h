/*
 * gdbregs.h - the guest's registers as gdb numbers them, in the
 * 64-bit (i386:x86-64) and the 32-bit (i386) layout, and the target
 * description that tells gdb each layout.
 */
#ifndef SEVEMU_GDBREGS_H
#define SEVEMU_GDBREGS_H

#include <stddef.h>
#include <stdint.h>

/* Registers in one layout; -1 for a layout other than 32 and 64. */
int	 gdbregs_count(int bits);
/* Its width in bytes, 0 past the end. */
size_t	 gdbregs_size(int bits, int n);
/* Reads register n into buf (gdb's byte order); -1 if it cannot. */
int	 gdbregs_read(int bits, int n, uint8_t *buf);
/* Writes it; -1 for registers sevemu will not change from gdb. */
int	 gdbregs_write(int bits, int n, const uint8_t *buf);
/* The target description, an XML document; NULL: gdb's own layout. */
const char *gdbregs_tdesc(int bits);

#endif /* SEVEMU_GDBREGS_H */
