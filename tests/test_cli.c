/*
 * The sevemu command line: getopt_long's rules, and messages that name
 * the bad value and what would have been accepted.  Runs the sevemu
 * binary itself, so what is checked is what a user sees.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cli.h"
#include "harness.h"
#include "sevemu/version.h"

extern char **environ;

struct sevemu_out {
	int	 status;	/* exit status; 128 + signal if killed */
	char	*out;		/* stdout */
	char	*err;		/* stderr */
};

static char *
slurp(FILE *f)
{
	char *buf;
	long n;

	fflush(f);
	n = ftell(f);
	cr_assert_geq(n, 0);
	buf = calloc(1, n + 1);
	cr_assert_not_null(buf);
	rewind(f);
	cr_assert_eq(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	return (buf);
}

/* Runs sevemu with args (NULL-terminated), in the build's guest dir. */
static void
run_cli(struct sevemu_out *o, const char *const *args)
{
	posix_spawn_file_actions_t fa;
	FILE *out = tmpfile(), *err = tmpfile();
	char *argv[32];
	pid_t pid;
	int i, st;

	cr_assert(out != NULL && err != NULL);
	argv[0] = (char *)SEVEMU_BIN;
	for (i = 0; args[i] != NULL; i++) {
		cr_assert_lt(i, 30);
		argv[i + 1] = (char *)args[i];
	}
	argv[i + 1] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fileno(out), 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(err), 2);
	posix_spawn_file_actions_addchdir_np(&fa, SEVEMU_GUEST_DIR);
	cr_assert_eq(posix_spawn(&pid, SEVEMU_BIN, &fa, NULL, argv, environ),
	    0, "cannot run %s", SEVEMU_BIN);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	o->out = slurp(out);
	o->err = slurp(err);
}

static void
cli_out_free(struct sevemu_out *o)
{
	free(o->out);
	free(o->err);
}

/* A usage error: status 2, nothing on stdout, exactly msg on stderr. */
static void
usage_error(const char *const *args, const char *msg)
{
	struct sevemu_out o;

	run_cli(&o, args);
	cr_expect_eq(o.status, 2, "status %d for '%s ...'; stderr: %s",
	    o.status, args[0], o.err);
	cr_expect_str_eq(o.out, "", "stdout: %s", o.out);
	cr_expect_str_eq(o.err, msg, "stderr is\n%s\nexpected\n%s", o.err,
	    msg);
	cli_out_free(&o);
}

static char *
help_text(const char *topic)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cli_help(topic, f);
	fclose(f);
	return (buf);
}

static void
help_is(const char *const *args, const char *topic)
{
	struct sevemu_out o;
	char *want = help_text(topic);

	run_cli(&o, args);
	cr_expect_eq(o.status, 0, "status %d; stderr: %s", o.status, o.err);
	cr_expect_str_eq(o.out, want, "stdout is\n%s", o.out);
	cr_expect_str_eq(o.err, "", "stderr: %s", o.err);
	free(want);
	cli_out_free(&o);
}

Test(cli, version_names_the_project_version)
{
	struct sevemu_out o;
	char first[64];

	run_cli(&o, (const char *[]){ "--version", NULL });
	cr_assert_eq(o.status, 0, "status %d; stderr: %s", o.status, o.err);
	snprintf(first, sizeof(first), "sevemu %s\n", SEVEMU_VERSION);
	cr_assert_eq(strncmp(o.out, first, strlen(first)), 0,
	    "stdout is\n%s\nexpected it to start with %s", o.out, first);
	cr_assert_str_eq(o.err, "");
	cli_out_free(&o);
}

Test(cli, help_in_every_spelling)
{
	help_is((const char *[]){ "--help", NULL }, NULL);
	help_is((const char *[]){ "-h", NULL }, NULL);
	help_is((const char *[]){ "help", NULL }, NULL);
	help_is((const char *[]){ "help", "run", NULL }, "run");
	help_is((const char *[]){ "run", "--help", NULL }, "run");
	help_is((const char *[]){ "run", "demo.elf", "-h", NULL }, "run");
}

Test(cli, unknown_command_says_so)
{
	usage_error((const char *[]){ "bogus", NULL },
	    "sevemu: unknown command 'bogus'; the commands are run and help\n"
	    "Try 'sevemu help'.\n");
	usage_error((const char *[]){ "help", "bogus", NULL },
	    "sevemu: help: unknown command 'bogus'; the commands are run and "
	    "help\nTry 'sevemu help'.\n");
	usage_error((const char *[]){ NULL },
	    "sevemu: no command given\nTry 'sevemu help'.\n");
	usage_error((const char *[]){ "--trace", "demo.elf", NULL },
	    "sevemu: unknown option '--trace'; before the command only --help "
	    "and --version are accepted\nTry 'sevemu help'.\n");
}

Test(cli, bad_options_are_named)
{
	usage_error((const char *[]){ "run", "--bogus", "demo.elf", NULL },
	    "sevemu: run: unknown option '--bogus'\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "--tr", "demo.elf", NULL },
	    "sevemu: run: option '--tr' is ambiguous: --trace or "
	    "--trace-format\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "--trace-format=xml", "demo.elf",
	    NULL }, "sevemu: bad --trace-format 'xml': expected text or "
	    "jsonl\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "--trace-format=jsonl",
	    "demo.elf", NULL }, "sevemu: run: --trace-format is the format "
	    "of --trace, which was not given\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "-x", "demo.elf", NULL },
	    "sevemu: run: unknown option '-x'\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "--help=yes", NULL },
	    "sevemu: run: option --help takes no value ('--help=yes')\n"
	    "Try 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "demo.elf", "--budget", NULL },
	    "sevemu: run: --budget needs a value\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", NULL },
	    "sevemu: run: no guest image given\nTry 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "a.elf", "b.elf", NULL },
	    "sevemu: run: one guest image expected, got 'a.elf' and 'b.elf'\n"
	    "Try 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "a.elf", "--", "b.elf", NULL },
	    "sevemu: run: one guest image expected, got 'a.elf' and 'b.elf'\n"
	    "Try 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "--entry=real", "demo.elf",
	    NULL }, "sevemu: bad --entry 'real': expected long or protected\n"
	    "Try 'sevemu help run'.\n");
	usage_error((const char *[]){ "run", "--trace=", "demo.elf", NULL },
	    "sevemu: bad --trace '': empty file name; --trace alone traces to "
	    "stdout\nTry 'sevemu help run'.\n");
}

#define BUDGET_RANGE "expected a number of instructions from 1 to " \
	"18446744073709551615\nTry 'sevemu help run'.\n"
#define MEM_RANGE "expected an even number of MiB from 2 to 3072\n" \
	"Try 'sevemu help run'.\n"

Test(cli, bad_numbers_name_the_value_and_the_range)
{
	usage_error((const char *[]){ "run", "--budget", " -5", "demo.elf",
	    NULL }, "sevemu: bad --budget ' -5': not a number; " BUDGET_RANGE);
	usage_error((const char *[]){ "run", "--budget=-5", "demo.elf",
	    NULL }, "sevemu: bad --budget '-5': not a number; " BUDGET_RANGE);
	usage_error((const char *[]){ "run", "--budget", "0", "demo.elf",
	    NULL }, "sevemu: bad --budget '0': out of range; " BUDGET_RANGE);
	usage_error((const char *[]){ "run", "--budget",
	    "18446744073709551616", "demo.elf", NULL },
	    "sevemu: bad --budget '18446744073709551616': too large; "
	    BUDGET_RANGE);
	usage_error((const char *[]){ "run", "--budget", "010", "demo.elf",
	    NULL }, "sevemu: bad --budget '010': leading zero (octal is not "
	    "accepted; hexadecimal is written 0x); " BUDGET_RANGE);
	usage_error((const char *[]){ "run", "--mem", "5000", "demo.elf",
	    NULL }, "sevemu: bad --mem '5000': out of range; " MEM_RANGE);
	usage_error((const char *[]){ "run", "--mem=3", "demo.elf", NULL },
	    "sevemu: bad --mem '3': odd; " MEM_RANGE);
	usage_error((const char *[]){ "run", "--mem=0x", "demo.elf", NULL },
	    "sevemu: bad --mem '0x': no digits after 0x; " MEM_RANGE);
	usage_error((const char *[]){ "run", "--mem=16M", "demo.elf", NULL },
	    "sevemu: bad --mem '16M': not a number; " MEM_RANGE);
}

Test(cli, numbers_are_decimal_or_0x_hexadecimal)
{
	uint64_t v = 1;

	cr_expect_null(cli_number("0", 0, 10, &v));
	cr_expect_eq(v, 0, "v = %llu", (unsigned long long)v);
	cr_expect_null(cli_number("0x10", 0, 100, &v));
	cr_expect_eq(v, 16, "v = %llu", (unsigned long long)v);
	cr_expect_null(cli_number("0XfF", 0, 1000, &v));
	cr_expect_eq(v, 255, "v = %llu", (unsigned long long)v);
	cr_expect_null(cli_number("18446744073709551615", 0, UINT64_MAX, &v));
	cr_expect_eq(v, UINT64_MAX, "v = %llu", (unsigned long long)v);
	cr_expect_null(cli_number("0xffffffffffffffff", 0, UINT64_MAX, &v));
	cr_expect_eq(v, UINT64_MAX, "v = %llu", (unsigned long long)v);
	cr_expect_str_eq(cli_number("0x10000000000000000", 0, UINT64_MAX,
	    &v), "too large");
	cr_expect_str_eq(cli_number("+5", 0, 10, &v), "not a number");
	cr_expect_str_eq(cli_number("5 ", 0, 10, &v), "not a number");
	cr_expect_str_eq(cli_number("", 0, 10, &v), "empty");
	cr_expect_str_eq(cli_number("11", 0, 10, &v), "out of range");
	cr_expect_str_eq(cli_number("0777", 0, 1000, &v), "leading zero "
	    "(octal is not accepted; hexadecimal is written 0x)");
}

/* The same run, however its options are placed and spelled. */
Test(cli, options_anywhere_before_the_double_dash)
{
	const char *const *spellings[] = {
		(const char *[]){ "run", "--trace", "--budget", "100000",
		    "--mem", "32", "demo.elf", NULL },
		(const char *[]){ "run", "demo.elf", "--trace",
		    "--budget=100000", "--mem=0x20", NULL },
		(const char *[]){ "run", "--budget=0x186a0", "--trace",
		    "--mem", "32", "--entry=long", "--", "demo.elf", NULL },
		(const char *[]){ "run", "--bud=100000", "--trace", "--me",
		    "32", "demo.elf", NULL },
	};
	struct sevemu_out first, o;
	size_t i;

	run_cli(&first, spellings[0]);
	cr_assert_eq(first.status, 0, "status %d; stderr: %s", first.status,
	    first.err);
	cr_assert(strncmp(first.out, "exit 1    cyc 24705     0x00100169 "
	    "<ghcb_msr_vmgexit+0x11> vmgexit      0x403 VMGEXIT msr:CPUID",
	    74) == 0, "stdout: %s", first.out);
	for (i = 1; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		run_cli(&o, spellings[i]);
		cr_expect_eq(o.status, 0, "spelling %zu: status %d", i,
		    o.status);
		cr_expect_str_eq(o.out, first.out, "spelling %zu: stdout\n%s",
		    i, o.out);
		cr_expect_str_eq(o.err, first.err, "spelling %zu: stderr\n%s",
		    i, o.err);
		cli_out_free(&o);
	}
	cli_out_free(&first);
}

Test(cli, budget_given_is_the_budget_used)
{
	struct sevemu_out o;

	run_cli(&o, (const char *[]){ "run", "runaway.elf", "--budget=0x3e8",
	    NULL });
	cr_assert_eq(o.status, 1, "status %d; stderr: %s", o.status, o.err);
	cr_assert(strstr(o.err, "instruction budget of 1000 exhausted") !=
	    NULL, "stderr: %s", o.err);
	cli_out_free(&o);
}

Test(cli, trace_to_a_file_is_the_trace_on_stdout)
{
	struct sevemu_out a, b;
	char path[] = "/tmp/sevemu-trace-XXXXXX", opt[64];
	FILE *f;
	char *file;
	int fd;

	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(opt, sizeof(opt), "--trace=%s", path);
	run_cli(&a, (const char *[]){ "run", "--trace", "demo.elf", NULL });
	run_cli(&b, (const char *[]){ "run", opt, "demo.elf", NULL });
	cr_assert_eq(a.status, 0, "status %d; stderr: %s", a.status, a.err);
	cr_assert_eq(b.status, 0, "status %d; stderr: %s", b.status, b.err);
	cr_assert_str_eq(b.out, "", "stdout with the trace in a file: %s",
	    b.out);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	file = slurp(f);
	unlink(path);
	cr_assert_str_eq(file, a.out, "trace file:\n%s", file);
	free(file);
	cli_out_free(&a);
	cli_out_free(&b);
}

Test(cli, unwritable_trace_file_is_named)
{
	usage_error((const char *[]){ "run", "--trace=/nonexistent/t",
	    "demo.elf", NULL }, "sevemu: cannot write the trace to "
	    "/nonexistent/t: No such file or directory\n");
}

/* JSON lines on stdout carry COM1 output, so stdout is JSON lines only. */
Test(cli, jsonl_on_stdout_is_json_lines_only)
{
	struct sevemu_out o;
	const char *l;
	int n = 0;

	run_cli(&o, (const char *[]){ "run", "serial_hello.elf", "--trace",
	    "--trace-format", "jsonl", NULL });
	cr_assert_eq(o.status, 0, "status %d; stderr: %s", o.status, o.err);
	for (l = o.out; *l != '\0'; l = strchr(l, '\n') + 1, n++)
		cr_assert(strncmp(l, "{\"type\":\"", 9) == 0 &&
		    strchr(l, '\n') != NULL && strchr(l, '\n')[-1] == '}',
		    "line %d is not a JSON object: %.200s", n + 1, l);
	cr_assert_gt(n, 40, "%s", o.out);
	cr_assert_not_null(strstr(o.out,
	    "\"text\":\"hello from the guest\\n\""), "%s", o.out);
	cli_out_free(&o);
}
