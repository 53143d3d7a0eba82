/*
 * sys/pool.h - pool(9): fixed-size items, here from the host heap.
 */
#ifndef _SHIM_SYS_POOL_H_
#define _SHIM_SYS_POOL_H_

#include <sys/types.h>

#include <machine/intr.h>

#define PR_WAITOK	0x0001
#define PR_NOWAIT	0x0002
#define PR_LIMITFAIL	0x0004
#define PR_ZERO		0x0008

struct pool_allocator;

struct pool {
	const char	*pr_wchan;
	size_t		 pr_size;
	u_int		 pr_align;
	u_int		 pr_nout;	/* items handed out */
	int		 pr_ipl;
	int		 pr_inited;
};

void	 pool_init(struct pool *, size_t, u_int, int, int, const char *,
	    struct pool_allocator *);
void	 pool_destroy(struct pool *);
void	*pool_get(struct pool *, int);
void	 pool_put(struct pool *, void *);

#endif /* _SHIM_SYS_POOL_H_ */
