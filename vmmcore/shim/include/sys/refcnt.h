/*
 * sys/refcnt.h - reference counts.  Single-threaded: a count that
 * would have to be waited for is a bug, and panics.
 */
#ifndef _SHIM_SYS_REFCNT_H_
#define _SHIM_SYS_REFCNT_H_

struct refcnt {
	unsigned int	r_refs;
};

#define REFCNT_INITIALIZER()	{ .r_refs = 1 }

void	refcnt_init(struct refcnt *);
void	refcnt_take(struct refcnt *);
int	refcnt_rele(struct refcnt *);
void	refcnt_rele_wake(struct refcnt *);
void	refcnt_finalize(struct refcnt *, const char *);
unsigned int refcnt_read(struct refcnt *);

#endif /* _SHIM_SYS_REFCNT_H_ */
