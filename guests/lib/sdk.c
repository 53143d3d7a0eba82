/*
 * sdk.c - the C half of the guest SDK: what a C guest needs beyond the
 * assembly helpers.  Freestanding; gcc may also call the mem*
 * functions for copies and clears it emits on its own.
 */
#include "sevemu_guest.h"

#define MAX_POLLS	1000

int
msrproto_cpuid_value(uint32_t function, uint32_t reg, uint32_t *value)
{
	uint64_t r = msrproto_cpuid(function, reg);

	/* The answer's code, and the register echoed in bits 31:30. */
	if ((r & 0xfff) != SEVEMU_MSR_CPUID_RESP || ((r >> 30) & 3) != reg ||
	    ((r >> 12) & 0x3ffff) != 0)
		return (-1);
	*value = (uint32_t)(r >> 32);
	return (0);
}

void
com1_putc(char c)
{
	int i;

	for (i = 0; i < MAX_POLLS; i++)
		if (inb(SEVEMU_COM1_LSR) & SEVEMU_COM1_LSR_THRE)
			break;
	outb(SEVEMU_COM1, (uint8_t)c);
}

void
com1_puts(const char *s)
{
	while (*s != '\0')
		com1_putc(*s++);
}

void
guest_verdict(uint32_t verdict)
{
	__asm__ volatile("outl %0, %1" : : "a"(verdict),
	    "Nd"((uint16_t)SEVEMU_DEBUG_EXIT));
	for (;;)
		__asm__ volatile("hlt");
}

void *
memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n-- > 0)
		*p++ = (uint8_t)c;
	return (d);
}

void *
memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n-- > 0)
		*p++ = *q++;
	return (d);
}

void *
memmove(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	if (p < q)
		return (memcpy(d, s, n));
	while (n-- > 0)
		p[n] = q[n];
	return (d);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return (*p - *q);
	return (0);
}
