/*
 * fiber.h - a second stack for the guest CPU.
 *
 * The guest runs inside one long uc_emu_start() on its own stack; a
 * #VMEXIT switches back to the host stack, where VMRUN returns to the
 * vmm, and the next VMRUN switches back into the guest exactly where it
 * left.  Restarting the emulator for every exit would cost microseconds.
 */
#ifndef SEVEMU_FIBER_H
#define SEVEMU_FIBER_H

#include <stddef.h>

typedef void (*fiber_fn)(void *);

struct fiber {
	void	*f_sp;		/* saved stack pointer while switched out */
	void	*f_stack;	/* mapping of the stack, NULL for the host */
	size_t	 f_size;
	struct fiber *f_from;	/* who switched to this fiber last */
	fiber_fn f_fn;
	void	*f_arg;
	void	*f_asan_fake;	/* sanitizer bookkeeping */
	const void *f_asan_bottom;
	size_t	 f_asan_size;
};

int	fiber_create(struct fiber *, size_t stack_size, fiber_fn, void *arg);
void	fiber_destroy(struct fiber *);
/* Saves the running context in from and resumes to. */
void	fiber_switch(struct fiber *from, struct fiber *to);

#endif /* SEVEMU_FIBER_H */
