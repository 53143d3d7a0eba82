/*
 * ghcb_poison.h - the page-access oracle: what of guest RAM the handler
 * may touch while it serves one request.
 *
 * Guest RAM is poisoned with ASan's manual poisoning, except the
 * fields the current request may be read from.  The handler's own
 * sources are compiled with ASan's memory-access callbacks renamed
 * (-mllvm -asan-memory-access-callback-prefix=__ghcbhook_), so each of
 * their loads, stores, memcpy and memset comes here first.  In guest
 * RAM the rules below decide, byte by byte; anywhere else the access is
 * checked against ASan's shadow as ASan would have checked it.
 *
 * The rules for one request: only the page the GHCB MSR names may be
 * touched.  In it, the request's header (the three exit words, the
 * valid bitmap, usage and protocol version) and the fields the guest
 * marked valid may be read, each byte once: a
 * second read of a byte the guest owns is a double fetch (the guest
 * can change it between the two).  Of the shared buffer, only the
 * declared scratch area may be read (OUTS, MMIO write) or written (INS,
 * MMIO read).  The answer may be written into the save area and the
 * valid bitmap (0x000-0x7ff).  Bytes the handler wrote are its own and
 * may be read back freely.
 */
#ifndef SEVEMU_FUZZ_GHCB_POISON_H
#define SEVEMU_FUZZ_GHCB_POISON_H

#include <stdint.h>

#define GA_READ_OK	0x01	/* the request lets the handler read it */
#define GA_WRITE_OK	0x02	/* the handler may write it */
#define GA_WAS_READ	0x04	/* read once already */
#define GA_OWN		0x08	/* the handler wrote it: its own data */

#define GA_NOPAGE	UINT64_MAX

struct ga_ram {
	uint8_t		*r_base;	/* guest RAM in the direct map */
	uint64_t	 r_size;
	const char	*r_name;	/* for messages */
	int		 r_active;	/* a request is being served */
	uint64_t	 r_page;	/* the GPA the request may touch */
	uint8_t		 r_acc[4096];	/* GA_* per byte of that page */
	unsigned int	 r_nread;	/* the GA_READ_OK ranges, for poisoning */
	uint32_t	 r_read[16][2];
};

/* Finding sink: the oracle reports through it (see oracle.h). */
void	ga_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Up to two RAMs (the twin VMs of the noninterference oracle).  An
 * attached RAM is poisoned whole; ga_open unpoisons one page of it for
 * the harness, ga_close all of it.
 */
void	ga_attach(int slot, struct ga_ram *);
void	ga_open(struct ga_ram *, uint64_t gpa);
void	ga_close(struct ga_ram *);
/* A request starts: nothing is allowed yet; page is GA_NOPAGE for none. */
void	ga_begin(struct ga_ram *, uint64_t page);
void	ga_allow(struct ga_ram *, uint32_t off, uint32_t len, int flags);
/* Poisons the request's page but the bytes allowed to be read. */
void	ga_poison(struct ga_ram *);
/* The request is answered: its page is the harness's again. */
void	ga_end(struct ga_ram *);
/* Non-zero if the handler's sources were built with the callbacks. */
int	ga_hooked(void);

#endif /* SEVEMU_FUZZ_GHCB_POISON_H */
