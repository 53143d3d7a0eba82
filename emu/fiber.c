/*
 * fiber.c - stacks and switches for the guest CPU.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "fiber.h"

#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif

#ifdef FIBER_ASAN
void	__sanitizer_start_switch_fiber(void **, const void *, size_t);
void	__sanitizer_finish_switch_fiber(void *, const void **, size_t *);
#endif

void	fiber_swap(void **save_sp, void *load_sp);
void	fiber_trampoline(void);
void	fiber_entry(struct fiber *);

/* Called on the new stack by fiber_trampoline. */
void
fiber_entry(struct fiber *f)
{
#ifdef FIBER_ASAN
	__sanitizer_finish_switch_fiber(NULL, &f->f_from->f_asan_bottom,
	    &f->f_from->f_asan_size);
#endif
	f->f_fn(f->f_arg);
}

int
fiber_create(struct fiber *f, size_t stack_size, fiber_fn fn, void *arg)
{
	uint64_t *sp;
	void *stack;

	memset(f, 0, sizeof(*f));
	stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stack == MAP_FAILED)
		return (errno);
	f->f_stack = stack;
	f->f_size = stack_size;
	f->f_asan_bottom = stack;
	f->f_asan_size = stack_size;
	f->f_fn = fn;
	f->f_arg = arg;

	/*
	 * Frame popped by fiber_swap: r15 r14 r13 r12 rbx rbp, then the
	 * return into fiber_trampoline, which calls with the top of the
	 * stack 16-aligned as the ABI wants.
	 */
	sp = (uint64_t *)((uint8_t *)stack + stack_size);
	*--sp = (uint64_t)(uintptr_t)fiber_trampoline;
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)(uintptr_t)fiber_entry;	/* r12 */
	*--sp = (uint64_t)(uintptr_t)f;		/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	f->f_sp = sp;
	return (0);
}

void
fiber_destroy(struct fiber *f)
{
	if (f->f_stack != NULL)
		munmap(f->f_stack, f->f_size);
	memset(f, 0, sizeof(*f));
}

void
fiber_switch(struct fiber *from, struct fiber *to)
{
	to->f_from = from;
#ifdef FIBER_ASAN
	__sanitizer_start_switch_fiber(&from->f_asan_fake, to->f_asan_bottom,
	    to->f_asan_size);
#endif
	fiber_swap(&from->f_sp, to->f_sp);
#ifdef FIBER_ASAN
	__sanitizer_finish_switch_fiber(from->f_asan_fake,
	    &from->f_from->f_asan_bottom, &from->f_from->f_asan_size);
#endif
}
