/*
 * kern_synch.c - rwlock(9) and refcnt(9) for one thread.  There is no
 * one to wait for: a lock taken twice or a count that would have to be
 * waited out is a bug in the caller, and panics.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/rwlock.h>
#include <sys/refcnt.h>

void
rw_init(struct rwlock *rwl, const char *name)
{
	rwl->rwl_name = name;
	rwl->rwl_writer = 0;
	rwl->rwl_readers = 0;
}

void
rw_enter_write(struct rwlock *rwl)
{
	if (rwl->rwl_writer || rwl->rwl_readers)
		panic("rw_enter_write: %s: already held", rwl->rwl_name);
	rwl->rwl_writer = 1;
}

void
rw_exit_write(struct rwlock *rwl)
{
	if (!rwl->rwl_writer)
		panic("rw_exit_write: %s: not held for writing",
		    rwl->rwl_name);
	rwl->rwl_writer = 0;
}

void
rw_enter_read(struct rwlock *rwl)
{
	if (rwl->rwl_writer)
		panic("rw_enter_read: %s: held for writing", rwl->rwl_name);
	rwl->rwl_readers++;
}

void
rw_exit_read(struct rwlock *rwl)
{
	if (rwl->rwl_readers == 0)
		panic("rw_exit_read: %s: not held for reading",
		    rwl->rwl_name);
	rwl->rwl_readers--;
}

int
rw_enter(struct rwlock *rwl, int flags)
{
	switch (flags & RW_OPMASK) {
	case RW_WRITE:
		if ((flags & RW_NOSLEEP) && (rwl->rwl_writer ||
		    rwl->rwl_readers))
			return (EBUSY);
		rw_enter_write(rwl);
		return (0);
	case RW_READ:
		if ((flags & RW_NOSLEEP) && rwl->rwl_writer)
			return (EBUSY);
		rw_enter_read(rwl);
		return (0);
	default:
		panic("rw_enter: %s: bad flags 0x%x", rwl->rwl_name, flags);
	}
}

void
rw_exit(struct rwlock *rwl)
{
	if (rwl->rwl_writer)
		rw_exit_write(rwl);
	else
		rw_exit_read(rwl);
}

void
rw_assert_wrlock(struct rwlock *rwl)
{
	if (!rwl->rwl_writer)
		panic("rw_assert_wrlock: %s: not held for writing",
		    rwl->rwl_name);
}

void
refcnt_init(struct refcnt *r)
{
	r->r_refs = 1;
}

void
refcnt_take(struct refcnt *r)
{
	if (r->r_refs == 0)
		panic("refcnt_take: object already released");
	r->r_refs++;
}

/* Drops a reference; returns 1 if it was the last. */
int
refcnt_rele(struct refcnt *r)
{
	if (r->r_refs == 0)
		panic("refcnt_rele: no reference to drop");
	return (--r->r_refs == 0);
}

void
refcnt_rele_wake(struct refcnt *r)
{
	refcnt_rele(r);
}

/* Drops the caller's reference, which must be the last one. */
void
refcnt_finalize(struct refcnt *r, const char *wmesg)
{
	if (!refcnt_rele(r))
		panic("refcnt_finalize: %s: %u references remain, and "
		    "nothing else runs to drop them", wmesg, r->r_refs);
}

unsigned int
refcnt_read(struct refcnt *r)
{
	return (r->r_refs);
}
