/*
 * sys/atomic.h - the kernel's atomic operations, on compiler builtins.
 */
#ifndef _SHIM_SYS_ATOMIC_H_
#define _SHIM_SYS_ATOMIC_H_

static inline unsigned int
atomic_cas_uint(volatile unsigned int *p, unsigned int e, unsigned int n)
{
	__atomic_compare_exchange_n(p, &e, n, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST);
	return (e);
}

static inline unsigned int
atomic_swap_uint(volatile unsigned int *p, unsigned int v)
{
	return (__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST));
}

static inline unsigned long
atomic_swap_ulong(volatile unsigned long *p, unsigned long v)
{
	return (__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST));
}

static inline void *
atomic_swap_ptr(volatile void *p, void *v)
{
	return (__atomic_exchange_n((void * volatile *)p, v,
	    __ATOMIC_SEQ_CST));
}

static inline unsigned int
atomic_load_int(volatile unsigned int *p)
{
	return (__atomic_load_n(p, __ATOMIC_SEQ_CST));
}

static inline void
atomic_setbits_int(volatile unsigned int *p, unsigned int v)
{
	__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

static inline void
atomic_clearbits_int(volatile unsigned int *p, unsigned int v)
{
	__atomic_fetch_and(p, ~v, __ATOMIC_SEQ_CST);
}

static inline void
atomic_inc_int(volatile unsigned int *p)
{
	__atomic_fetch_add(p, 1, __ATOMIC_SEQ_CST);
}

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#endif /* _SHIM_SYS_ATOMIC_H_ */
