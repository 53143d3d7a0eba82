/*
 * console.h - the host's console device, which the kernel (the vmm)
 * prints to: kept for the run's report, echoed when asked.
 */
#ifndef SEVEMU_CONSOLE_H
#define SEVEMU_CONSOLE_H

#include <stddef.h>
#include <stdio.h>

/* Starts a fresh capture; echo, if not NULL, also gets every byte. */
void		 console_open(FILE *echo);
/* What the kernel printed since console_open(), NUL-terminated. */
const char	*console_text(void);
void		 console_close(void);

#endif /* SEVEMU_CONSOLE_H */
