/*
 * cli.h - the sevemu command line, parsed by getopt_long's rules.
 *
 * Kept apart from main() so that what a command line means can be
 * read (and tested) without running anything.
 */
#ifndef SEVEMU_CLI_H
#define SEVEMU_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "runner.h"

enum cli_command {
	CLI_USAGE_ERROR,	/* c_err says what was wrong */
	CLI_HELP,		/* c_topic: NULL or "run" */
	CLI_VERSION,
	CLI_RUN
};

struct cli {
	enum cli_command	 c_command;
	const char		*c_topic;
	/* All but rc_trace and rc_console, which main() sets. */
	struct runner_config	 c_run;
	int			 c_trace;
	const char		*c_trace_path;	/* NULL: stdout */
	int			 c_gdb_port;	/* -1: no gdb stub */
	int			 c_cycles;	/* --cycles */
	char			 c_err[256];
};

/* Never fails: a bad command line gives CLI_USAGE_ERROR and c_err. */
void	cli_parse(int argc, char **argv, struct cli *);

/*
 * A number as sevemu's options take them: decimal, or hexadecimal
 * written 0x; no sign, no space, no leading zero (so no octal).
 * Returns NULL and sets *v when s is one in [min, max], else why not.
 */
const char *cli_number(const char *s, uint64_t min, uint64_t max,
	    uint64_t *v);

/* The help text of a command (NULL: sevemu's own) on f. */
void	cli_help(const char *topic, FILE *f);

#endif /* SEVEMU_CLI_H */
