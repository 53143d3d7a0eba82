/*
 * kern_printf.c - the kernel console: printf(9) and panic(9).
 *
 * Everything the vmm prints goes to the host's console device below
 * the seam, every line behind a "vmm: " prefix, so that its messages
 * stand apart from the machine's.  A kernel printf may print a line in
 * pieces; the prefix goes at line starts only.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>

#include <seam.h>

#include "shim.h"

#define CONSOLE_PREFIX	"vmm: "

/* The vmm's DPRINTF knob; SEVEMU_VMM_DEBUG in the environment sets it. */
int		 vmm_debug;

static int	 console_bol = 1;	/* next character starts a line */

static void
console_put(const char *s, size_t len)
{
	const char *nl;
	size_t n;

	while (len > 0) {
		if (console_bol)
			seam_console_write(CONSOLE_PREFIX,
			    sizeof(CONSOLE_PREFIX) - 1);
		nl = memchr(s, '\n', len);
		n = nl != NULL ? (size_t)(nl - s) + 1 : len;
		seam_console_write(s, n);
		console_bol = nl != NULL;
		s += n;
		len -= n;
	}
}

int
vkprintf(const char *fmt, va_list ap)
{
	char small[256], *buf = small;
	va_list ap2;
	int len;

	va_copy(ap2, ap);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	if (len < 0) {
		va_end(ap2);
		return (len);
	}
	if ((size_t)len >= sizeof(small)) {
		if ((buf = calloc(1, (size_t)len + 1)) == NULL) {
			/* Say what fits rather than nothing. */
			buf = small;
			len = sizeof(small) - 1;
		} else
			vsnprintf(buf, (size_t)len + 1, fmt, ap2);
	}
	va_end(ap2);
	console_put(buf, (size_t)len);
	if (buf != small)
		(free)(buf);
	return (len);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vkprintf(fmt, ap);
	va_end(ap);
	return (len);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	if (!console_bol)
		console_put("\n", 1);
	console_put("panic: ", 7);
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	console_put("\n", 1);
	abort();
}
