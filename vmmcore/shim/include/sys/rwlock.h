/*
 * sys/rwlock.h - reader/writer locks.  The shim has one thread; the
 * locks only check that they are taken and released in pairs.
 */
#ifndef _SHIM_SYS_RWLOCK_H_
#define _SHIM_SYS_RWLOCK_H_

struct rwlock {
	const char	*rwl_name;
	int		 rwl_writer;	/* held for writing */
	unsigned int	 rwl_readers;
};

#define RW_WRITE	0x0001UL
#define RW_READ		0x0002UL
#define RW_DOWNGRADE	0x0004UL
#define RW_OPMASK	0x0007UL
#define RW_INTR		0x0010UL
#define RW_SLEEPFAIL	0x0020UL
#define RW_NOSLEEP	0x0040UL

#define RWLOCK_INITIALIZER(name)	{ (name), 0, 0 }

void	rw_init(struct rwlock *, const char *);
int	rw_enter(struct rwlock *, int);
void	rw_exit(struct rwlock *);
void	rw_enter_read(struct rwlock *);
void	rw_exit_read(struct rwlock *);
void	rw_enter_write(struct rwlock *);
void	rw_exit_write(struct rwlock *);
void	rw_assert_wrlock(struct rwlock *);

#endif /* _SHIM_SYS_RWLOCK_H_ */
