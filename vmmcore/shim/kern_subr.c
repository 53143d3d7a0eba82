/*
 * kern_subr.c - copies across the user boundary, and pledge failures.
 * vmd's memory is the runner's, in this same address space: a copy is
 * a memcpy, and only a NULL address faults.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/pledge.h>

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (uaddr == NULL && len > 0)
		return (EFAULT);
	if (len > 0)
		memcpy(kaddr, uaddr, len);
	return (0);
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (uaddr == NULL && len > 0)
		return (EFAULT);
	if (len > 0)
		memcpy(uaddr, kaddr, len);
	return (0);
}

int
pledge_fail(struct proc *p, int error, uint64_t code)
{
	printf("pledge: operation needs promise 0x%llx\n",
	    (unsigned long long)code);
	return (error);
}
