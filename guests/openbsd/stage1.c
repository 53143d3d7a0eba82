/*
 * stage1.c - the stop point after locore0: init_x86_64 records its
 * argument and halts, and the test reads the state locore0 left.
 */
#include <sys/param.h>

extern paddr_t	sevemu_first_avail;

void	init_x86_64(paddr_t);
void	main(void *);

void
init_x86_64(paddr_t first_avail)
{
	sevemu_first_avail = first_avail;
	for (;;)
		__asm volatile("hlt");
}

void
main(void *arg)
{
	for (;;)
		__asm volatile("hlt");
}
