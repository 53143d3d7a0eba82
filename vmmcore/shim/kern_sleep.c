/*
 * kern_sleep.c - tsleep(9) and wakeup(9) for one thread.  Nobody else
 * runs, so nobody sleeps and nothing is ever woken; a sleep would last
 * forever, so it reports who tried and fails instead.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/rwlock.h>

void
wakeup(const volatile void *ident)
{
	/* No sleepers to wake. */
}

int
rwsleep_nsec(const volatile void *ident, struct rwlock *rwl, int prio,
    const char *wmesg, uint64_t nsecs)
{
	printf("%s: \"%s\" would sleep forever: the shim has one thread\n",
	    __func__, wmesg);
	return (EDEADLK);
}

int
tsleep_nsec(const volatile void *ident, int prio, const char *wmesg,
    uint64_t nsecs)
{
	printf("%s: \"%s\" would sleep forever: the shim has one thread\n",
	    __func__, wmesg);
	return (EDEADLK);
}

/* libkern's strlcpy: copies at most size - 1 bytes, always terminates. */
size_t
kern_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}
