/*
 * sys/systm.h - the kernel's basic services: console output, panic,
 * assertions, user copies.
 *
 * printf is the kernel's here: the macro sends the vmm's messages to
 * kprintf (shim/kern_printf.c) without touching libc's printf, which
 * the rest of the program keeps using.
 */
#ifndef _SHIM_SYS_SYSTM_H_
#define _SHIM_SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <string.h>

struct rwlock;

int	kprintf(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
int	vkprintf(const char *, va_list)
	    __attribute__((__format__(__printf__, 1, 0)));
#define printf	kprintf

/* For broken invariants only; never for errors a guest can cause. */
void	panic(const char *, ...)
	    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

#define KASSERT(e)	((e) ? (void)0 :				\
	panic("kernel diagnostic assertion \"%s\" failed: file \"%s\", "\
	    "line %d", #e, __FILE__, __LINE__))
#define KASSERTMSG(e, msg, ...)	((e) ? (void)0 :			\
	panic("kernel diagnostic assertion \"%s\" failed: file \"%s\", "\
	    "line %d: " msg, #e, __FILE__, __LINE__, ##__VA_ARGS__))
#define KERNEL_ASSERT_LOCKED()		do { } while (0)
#define KERNEL_ASSERT_UNLOCKED()	do { } while (0)
/* One thread, no other CPU: the big lock has no one to exclude. */
#define KERNEL_LOCK()			do { } while (0)
#define KERNEL_UNLOCK()			do { } while (0)

/*
 * Sleep and wakeup (shim/kern_sleep.c).  The shim has one thread: no
 * one sleeps, so wakeup has no one to wake, and a sleep would never
 * end: it reports who tried and fails with EDEADLK.
 */
void	wakeup(const volatile void *);
int	rwsleep_nsec(const volatile void *, struct rwlock *, int,
	    const char *, uint64_t);
int	tsleep_nsec(const volatile void *, int, const char *, uint64_t);

/* libkern's strlcpy (glibc before 2.38 has none). */
size_t	kern_strlcpy(char *, const char *, size_t);
#define strlcpy(dst, src, size)	kern_strlcpy((dst), (src), (size))

/* The shim's "user space" is the runner, in the same address space. */
int	copyin(const void *, void *, size_t);
int	copyout(const void *, void *, size_t);

static inline u_int
min(u_int a, u_int b)
{
	return (a < b ? a : b);
}

static inline u_int
max(u_int a, u_int b)
{
	return (a > b ? a : b);
}

static inline u_long
ulmin(u_long a, u_long b)
{
	return (a < b ? a : b);
}

static inline u_long
ulmax(u_long a, u_long b)
{
	return (a > b ? a : b);
}

#endif /* _SHIM_SYS_SYSTM_H_ */
