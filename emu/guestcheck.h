/*
 * guestcheck.h - where the guest departs from the GHCB specification
 * (AMD 56421).  The handler is what sevemu tests, but a real guest can
 * depart too (OpenBSD's never sets the GHCB's protocol version); such a
 * departure is a finding about the guest, reported apart from the
 * handler's, and does not fail the run.
 */
#ifndef SEVEMU_GUESTCHECK_H
#define SEVEMU_GUESTCHECK_H

#include <stdint.h>

/* At a VMGEXIT: checks what the guest handed over. */
void		 guestcheck_exit(uint64_t ghcb_msr);
void		 guestcheck_reset(void);
unsigned int	 guestcheck_count(void);
/* The first finding, or "". */
const char	*guestcheck_text(void);

#endif /* SEVEMU_GUESTCHECK_H */
