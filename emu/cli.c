/*
 * cli.c - what a sevemu command line asks for.
 *
 * The rules are getopt_long's: options anywhere before "--", in either
 * "--opt value" or "--opt=value" form, unique prefixes accepted.  The
 * messages are ours (opterr is off) so that each names the bad value
 * and what would have been accepted.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define MEM_MIN_MIB	2
#define MEM_MAX_MIB	(3ULL << 10)

static const char usage_text[] =
"usage: sevemu run [options] [--] GUEST.elf\n"
"       sevemu help [run]\n"
"       sevemu --version\n"
"       sevemu --help\n"
"\n"
"Runs a SEV-ES guest on the emulated CPU against the vmm's exit handler\n"
"(vcpu_run_svm -> svm_handle_exit -> svm_handle_vmgexit).\n"
"\n"
"Commands:\n"
"  run     run GUEST.elf until it halts, stops, or its budget runs out\n"
"  help    this text, or a command's options (sevemu help run)\n"
"\n"
"More in sevemu(1).\n";

static const char run_text[] =
"usage: sevemu run [options] [--] GUEST.elf\n"
"\n"
"Options go anywhere before --, as --opt VALUE or --opt=VALUE:\n"
"  --budget N              stop the guest after exactly N instructions, 1\n"
"                          to 2^64-1 (default %llu)\n"
"  --mem MIB               guest RAM in MiB, an even number from %d to %llu\n"
"                          (default %llu)\n"
"  --entry long|protected  start in 64-bit long mode (default) or in\n"
"                          32-bit protected mode\n"
"  --trace[=FILE]          one line per #VMEXIT on stdout, or in FILE:\n"
"                          exit number, modelled cycles, guest RIP and\n"
"                          symbol, the exiting instruction, exit code, the\n"
"                          GHCB MSR before and after the handler, and what\n"
"                          the handler did\n"
"  --trace-format FORMAT   text (default) or jsonl: one JSON object a line,\n"
"                          with the GHCB's exit fields, the caller of an\n"
"                          MSR-protocol helper and COM1 output in order\n"
"  --gdb PORT              stop before the guest's first instruction and\n"
"                          wait for gdb on 127.0.0.1:PORT (target remote\n"
"                          :PORT); 0 takes a free port, named on stderr\n"
"  --cycles                end with where the modelled cycles went (guest\n"
"                          code, #VC handling, world switches, vmm) per\n"
"                          exit reason\n"
"  -h, --help              this text\n"
"Numbers are decimal, or hexadecimal written 0x.\n"
"\n"
"Output: the guest's COM1 output and the trace on stdout, what the vmm\n"
"printed and one line saying how the run ended on stderr.\n"
"Exit status: 0 when the guest halts, or writes 0 to the debug-exit\n"
"port 0xf4, and the handler kept to the GHCB specification; 1 when the\n"
"run ends any other way; 2 for a bad command line or a guest that\n"
"cannot be loaded.\n";

void
cli_help(const char *topic, FILE *f)
{
	if (topic != NULL && strcmp(topic, "run") == 0)
		fprintf(f, run_text, (unsigned long long)CPU_DEFAULT_BUDGET,
		    MEM_MIN_MIB, (unsigned long long)MEM_MAX_MIB,
		    (unsigned long long)(RUNNER_DEFAULT_MEM >> 20));
	else
		fputs(usage_text, f);
}

const char *
cli_number(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;
	unsigned int base = 10, d;
	const char *p = s;

	if (*p == '\0')
		return ("empty");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (*p == '\0')
			return ("no digits after 0x");
	} else if (p[0] == '0' && p[1] != '\0')
		return ("leading zero (octal is not accepted; hexadecimal is "
		    "written 0x)");
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return ("not a number");
		if (n > (UINT64_MAX - d) / base)
			return ("too large");
		n = n * base + d;
	}
	if (n < min || n > max)
		return ("out of range");
	*v = n;
	return (NULL);
}

enum {
	OPT_BUDGET = 256,
	OPT_MEM,
	OPT_ENTRY,
	OPT_TRACE,
	OPT_TRACE_FORMAT,
	OPT_GDB,
	OPT_CYCLES
};

static const struct option run_options[] = {
	{ "budget",	required_argument,	NULL,	OPT_BUDGET },
	{ "mem",	required_argument,	NULL,	OPT_MEM },
	{ "entry",	required_argument,	NULL,	OPT_ENTRY },
	{ "trace",	optional_argument,	NULL,	OPT_TRACE },
	{ "trace-format", required_argument,	NULL,
	    OPT_TRACE_FORMAT },
	{ "gdb",	required_argument,	NULL,	OPT_GDB },
	{ "cycles",	no_argument,		NULL,	OPT_CYCLES },
	{ "help",	no_argument,		NULL,	'h' },
	{ NULL,		0,			NULL,	0 }
};

static const char *
option_name(int val)
{
	const struct option *o;

	for (o = run_options; o->name != NULL; o++)
		if (o->val == val)
			return (o->name);
	return ("?");
}

static void __attribute__((format(printf, 2, 3)))
fail(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	c->c_command = CLI_USAGE_ERROR;
	va_start(ap, fmt);
	vsnprintf(c->c_err, sizeof(c->c_err), fmt, ap);
	va_end(ap);
}

static int
parse_option(struct cli *c, int opt, const char *arg)
{
	const char *why;
	uint64_t v;

	switch (opt) {
	case OPT_BUDGET:
		if ((why = cli_number(arg, 1, UINT64_MAX, &v)) != NULL) {
			fail(c, "bad --budget '%s': %s; expected a number of "
			    "instructions from 1 to 18446744073709551615",
			    arg, why);
			return (-1);
		}
		c->c_run.rc_budget = v;
		break;
	case OPT_MEM:
		why = cli_number(arg, MEM_MIN_MIB, MEM_MAX_MIB, &v);
		if (why == NULL && (v & 1) != 0)
			why = "odd";
		if (why != NULL) {
			fail(c, "bad --mem '%s': %s; expected an even number "
			    "of MiB from 2 to 3072", arg, why);
			return (-1);
		}
		c->c_run.rc_mem = v << 20;
		break;
	case OPT_ENTRY:
		if (strcmp(arg, "long") == 0)
			c->c_run.rc_entry_protected = 0;
		else if (strcmp(arg, "protected") == 0)
			c->c_run.rc_entry_protected = 1;
		else {
			fail(c, "bad --entry '%s': expected long or "
			    "protected", arg);
			return (-1);
		}
		break;
	case OPT_CYCLES:
		c->c_cycles = 1;
		break;
	case OPT_TRACE:
		c->c_trace = 1;
		c->c_trace_path = arg;
		if (arg != NULL && *arg == '\0') {
			fail(c, "bad --trace '%s': empty file name; --trace "
			    "alone traces to stdout", arg);
			return (-1);
		}
		break;
	case OPT_TRACE_FORMAT:
		if (strcmp(arg, "text") == 0)
			c->c_run.rc_trace_format = TRACE_TEXT;
		else if (strcmp(arg, "jsonl") == 0)
			c->c_run.rc_trace_format = TRACE_JSONL;
		else {
			fail(c, "bad --trace-format '%s': expected text or "
			    "jsonl", arg);
			return (-1);
		}
		break;
	case OPT_GDB:
		if ((why = cli_number(arg, 0, 65535, &v)) != NULL) {
			fail(c, "bad --gdb '%s': %s; expected a TCP port from "
			    "0 (any free one) to 65535", arg, why);
			return (-1);
		}
		c->c_gdb_port = (int)v;
		break;
	}
	return (0);
}

/* getopt_long refused a prefix of more than one option: which. */
static int
ambiguous(const char *arg, struct cli *c)
{
	const struct option *o;
	char names[128] = "";
	size_t len, used = 0;
	int n = 0;

	if (strncmp(arg, "--", 2) != 0)
		return (0);
	arg += 2;
	len = strcspn(arg, "=");
	for (o = run_options; o->name != NULL; o++) {
		if (strncmp(o->name, arg, len) != 0)
			continue;
		if (used < sizeof(names))
			used += snprintf(names + used, sizeof(names) - used,
			    "%s--%s", n > 0 ? " or " : "", o->name);
		n++;
	}
	if (n < 2)
		return (0);
	fail(c, "run: option '--%.*s' is ambiguous: %s", (int)len, arg, names);
	return (1);
}

static void
parse_run(int argc, char **argv, struct cli *c)
{
	const char *bad;
	int opt, format_given = 0;

	c->c_command = CLI_RUN;
	opterr = 0;
	optind = 0;	/* GNU: start afresh */
	/*
	 * "-" returns each operand in order as option 1, so options may
	 * follow the guest even with POSIXLY_CORRECT set; ":" reports a
	 * missing value as ':' rather than '?'.
	 */
	while ((opt = getopt_long(argc, argv, "-:h", run_options,
	    NULL)) != -1) {
		bad = argv[optind - 1];
		switch (opt) {
		case 1:
			if (c->c_run.rc_image != NULL) {
				fail(c, "run: one guest image expected, got "
				    "'%s' and '%s'", c->c_run.rc_image,
				    optarg);
				return;
			}
			c->c_run.rc_image = optarg;
			break;
		case 'h':
			c->c_command = CLI_HELP;
			c->c_topic = "run";
			return;
		case ':':
			fail(c, "run: --%s needs a value",
			    option_name(optopt));
			return;
		case '?':
			if (optopt != 0 && strncmp(bad, "--", 2) == 0)
				fail(c, "run: option --%s takes no value "
				    "('%s')", option_name(optopt), bad);
			else if (optopt != 0)
				fail(c, "run: unknown option '-%c'", optopt);
			else if (ambiguous(bad, c))
				;
			else
				fail(c, "run: unknown option '%s'", bad);
			return;
		default:
			if (parse_option(c, opt, optarg) != 0)
				return;
			format_given |= opt == OPT_TRACE_FORMAT;
			break;
		}
	}
	/* After "--": the guest, if not given before. */
	for (; optind < argc; optind++) {
		if (c->c_run.rc_image != NULL) {
			fail(c, "run: one guest image expected, got '%s' and "
			    "'%s'", c->c_run.rc_image, argv[optind]);
			return;
		}
		c->c_run.rc_image = argv[optind];
	}
	if (c->c_run.rc_image == NULL)
		fail(c, "run: no guest image given");
	else if (format_given && !c->c_trace)
		fail(c, "run: --trace-format is the format of --trace, which "
		    "was not given");
}

void
cli_parse(int argc, char **argv, struct cli *c)
{
	const char *cmd = argc >= 2 ? argv[1] : NULL;

	memset(c, 0, sizeof(*c));
	c->c_gdb_port = -1;
	if (cmd == NULL)
		fail(c, "no command given");
	else if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		c->c_command = CLI_HELP;
	else if (strcmp(cmd, "--version") == 0)
		c->c_command = CLI_VERSION;
	else if (strcmp(cmd, "help") == 0) {
		c->c_command = CLI_HELP;
		if (argc > 3)
			fail(c, "help: one command expected, got '%s' and "
			    "'%s'", argv[2], argv[3]);
		else if (argc == 3 && strcmp(argv[2], "run") != 0 &&
		    strcmp(argv[2], "help") != 0)
			fail(c, "help: unknown command '%s'; the commands are "
			    "run and help", argv[2]);
		else if (argc == 3 && strcmp(argv[2], "run") == 0)
			c->c_topic = "run";
	} else if (strcmp(cmd, "run") == 0)
		parse_run(argc - 1, argv + 1, c);
	else if (cmd[0] == '-')
		fail(c, "unknown option '%s'; before the command only --help "
		    "and --version are accepted", cmd);
	else
		fail(c, "unknown command '%s'; the commands are run and "
		    "help", cmd);
}
