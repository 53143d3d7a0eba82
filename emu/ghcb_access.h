/*
 * ghcb_access.h - the GHCB access log: every access the handler makes
 * to the GHCB page during one exit (offset, size, read or write, in
 * order), and the findings it shows.  Off unless asked for: each access
 * costs a fault and a single step.
 */
#ifndef SEVEMU_GHCB_ACCESS_H
#define SEVEMU_GHCB_ACCESS_H

#include <signal.h>
#include <stdint.h>

#define GHCB_ACCESS_MAX		8192

struct ghcb_access {
	uint16_t	ga_off;
	uint16_t	ga_size;
	uint8_t		ga_write;
};

/* What the log shows, each kind a finding of its own. */
enum ghcb_access_kind {
	GA_DOUBLE_FETCH,	/* a field read twice in one exit */
	GA_READ_NOT_VALID,	/* read, not marked valid by the guest */
	GA_WRITE_NOT_RETURNED,	/* written, not valid in the answer */
	GA_WRITE_PAST_BITMAP,	/* written between bitmap and buffer */
	GA_READ_AFTER_ANSWER,	/* read after the answer's first write */
	GA_NKINDS
};

/* Turns the log on (clearing what it found so far) or off. */
void	ghcb_access_mode(int on);
/* How often a kind was found since the log was turned on; its first text. */
unsigned int	 ghcb_access_found(enum ghcb_access_kind);
const char	*ghcb_access_text(enum ghcb_access_kind);

/*
 * The racing vCPU: after the handler's first read of the 8 bytes at
 * off in the exit-th exit (from 1) with a GHCB page since the log was
 * turned on, they become value, as if another vCPU of the guest wrote
 * them then.  Up to GHCB_RACE_MAX; cleared by ghcb_access_mode.
 */
#define GHCB_RACE_MAX		8
int	ghcb_access_race(unsigned int exit, unsigned int off,
	    uint64_t value);
/* How many races fired (a first read happened) since the mode was set. */
unsigned int	ghcb_access_raced(void);

/* hostview.c's hooks: */
/* At an exit whose GHCB page the direct map shows at va. */
void	ghcb_access_begin(uint8_t *va, uint64_t gpa);
/* When the handler has finished with the exit: findings, page open. */
void	ghcb_access_end(void);
/* From the SIGSEGV handler: 1 if the fault was an access to the page. */
int	ghcb_access_fault(const siginfo_t *, void *uc);
void	ghcb_access_close(void);

/* The last exit's log (for tests). */
unsigned int	ghcb_access_count(void);
const struct ghcb_access *ghcb_access_get(unsigned int i);

#endif /* SEVEMU_GHCB_ACCESS_H */
