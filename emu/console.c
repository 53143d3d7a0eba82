/*
 * console.c - the host console.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "seam.h"

static FILE	*capture, *echo_to;
static char	*text;
static size_t	 text_len;

void
console_open(FILE *echo)
{
	console_close();
	capture = open_memstream(&text, &text_len);
	echo_to = echo;
}

const char *
console_text(void)
{
	if (capture != NULL)
		fflush(capture);
	return (text != NULL ? text : "");
}

void
console_close(void)
{
	if (capture != NULL)
		fclose(capture);
	free(text);
	capture = NULL;
	text = NULL;
	text_len = 0;
	echo_to = NULL;
}

void
seam_console_write(const char *buf, size_t len)
{
	if (capture != NULL)
		fwrite(buf, 1, len, capture);
	if (echo_to != NULL) {
		fwrite(buf, 1, len, echo_to);
		fflush(echo_to);
	}
	/* Before any run: nowhere else to go. */
	if (capture == NULL && echo_to == NULL)
		fwrite(buf, 1, len, stderr);
}
