/*
 * subr_pool.c - pool(9) on the host heap, one allocation per item,
 * aligned as the pool asks (vcpus need 64 bytes for their FPU area).
 * Items are counted so that destroying a pool in use is caught.
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/pool.h>

void
pool_init(struct pool *pp, size_t size, u_int align, int ipl, int flags,
    const char *wchan, struct pool_allocator *palloc)
{
	if (align == 0)
		align = sizeof(void *) * 2;
	KASSERT(powerof2(align));

	memset(pp, 0, sizeof(*pp));
	pp->pr_wchan = wchan;
	pp->pr_size = roundup(size, align);
	pp->pr_align = align;
	pp->pr_ipl = ipl;
	pp->pr_inited = 1;
}

void
pool_destroy(struct pool *pp)
{
	if (pp->pr_nout != 0)
		panic("pool_destroy: %s: %u items still out", pp->pr_wchan,
		    pp->pr_nout);
	pp->pr_inited = 0;
}

void *
pool_get(struct pool *pp, int flags)
{
	void *v;

	KASSERT(pp->pr_inited);
	v = aligned_alloc(pp->pr_align, pp->pr_size);
	if (v == NULL) {
		if (flags & PR_WAITOK)
			panic("pool_get: %s: no host memory", pp->pr_wchan);
		return (NULL);
	}
	if (flags & PR_ZERO)
		memset(v, 0, pp->pr_size);
	pp->pr_nout++;
	return (v);
}

void
pool_put(struct pool *pp, void *v)
{
	if (pp->pr_nout == 0)
		panic("pool_put: %s: more items returned than taken",
		    pp->pr_wchan);
	pp->pr_nout--;
	(free)(v);
}
