/*
 * fuzz.c - the fuzz drivers' common parts (fuzz.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

#include "fuzz.h"

void
fuzz_rng_seed(struct fuzz_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	/* xorshift's one fixed point. */
	r->fr_state = z != 0 ? z : 1;
}

uint64_t
fuzz_rng_next(struct fuzz_rng *r)
{
	uint64_t x = r->fr_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->fr_state = x;
	return (x * 0x2545f4914f6cdd1dULL);
}

uint64_t
fuzz_rng_below(struct fuzz_rng *r, uint64_t n)
{
	return (n == 0 ? 0 : fuzz_rng_next(r) % n);
}

/*
 * The guard.  Everything the handlers print is prepared before the case
 * runs, and written with write(2): a handler must not allocate.
 */
static const char *guard_prog = "fuzz";
static void (*guard_extra)(int);
static char guard_what[256];
static char guard_hang[64];

static void
guard_write(const char *s)
{
	size_t n = strlen(s);
	ssize_t w;

	while (n > 0 && (w = write(STDERR_FILENO, s, n)) > 0) {
		s += w;
		n -= (size_t)w;
	}
}

static void
guard_say(const char *how)
{
	guard_write("\n");
	guard_write(guard_prog);
	guard_write(": ");
	guard_write(how);
	guard_write(" in ");
	guard_write(guard_what[0] ? guard_what : "setup");
	guard_write("\n");
	if (guard_extra != NULL)
		guard_extra(STDERR_FILENO);
}

static void
guard_crash(int sig)
{
	guard_say(sig == SIGABRT ? "CRASH (abort, or a kernel panic)" :
	    sig == SIGILL ? "CRASH (illegal instruction)" :
	    sig == SIGFPE ? "CRASH (arithmetic fault)" : "CRASH (memory fault)");
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
guard_alarm(int sig)
{
	(void)sig;
	guard_say(guard_hang);
	_exit(1);
}

/* Signals ASan reports itself, with a stack: leave them to it. */
static int
sanitizer_reports(int sig)
{
#ifdef __SANITIZE_ADDRESS__
	return (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE);
#else
	(void)sig;
	return (0);
#endif
}

#ifdef __SANITIZE_ADDRESS__
static void
guard_sanitizer(void)
{
	guard_say("SANITIZER REPORT (above)");
}
#endif

void
fuzz_guard_install(const char *prog, void (*extra)(int))
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	size_t i;

	guard_prog = prog;
	guard_extra = extra;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!sanitizer_reports(sigs[i]))
			signal(sigs[i], guard_crash);
	signal(SIGALRM, guard_alarm);
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_set_death_callback(guard_sanitizer);
#endif
}

void
fuzz_guard_case(unsigned int timeout_s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(guard_what, sizeof(guard_what), fmt, ap);
	va_end(ap);
	snprintf(guard_hang, sizeof(guard_hang), "HANG (still running after "
	    "%u s)", timeout_s);
	alarm(timeout_s);
}

void
fuzz_guard_done(void)
{
	alarm(0);
	guard_what[0] = '\0';
}

/*
 * Numbers become '#': "0x1f", "31" and "0x0" are the same kind.  Digits
 * that are part of a word ("ELF64", "x86-64") stay.
 */
static void
fold_numbers(const char *in, char *out, size_t len)
{
	size_t o = 0;

	while (*in != '\0' && o + 1 < len) {
		if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X') &&
		    isxdigit((unsigned char)in[2])) {
			in += 2;
			while (isxdigit((unsigned char)*in))
				in++;
			out[o++] = '#';
		} else if (isdigit((unsigned char)*in) && (o == 0 ||
		    (!isalnum((unsigned char)out[o - 1]) &&
		    out[o - 1] != '-'))) {
			while (isdigit((unsigned char)*in))
				in++;
			out[o++] = '#';
		} else
			out[o++] = *in++;
	}
	out[o] = '\0';
}

void
fuzz_tally_add(struct fuzz_tally *t, const char *text, const char *first)
{
	char kind[160];
	int i;

	fold_numbers(text, kind, sizeof(kind));
	for (i = 0; i < t->ft_nkinds; i++)
		if (strcmp(t->ft_kind[i].fk_text, kind) == 0) {
			t->ft_kind[i].fk_count++;
			return;
		}
	if (t->ft_nkinds == FUZZ_KINDS) {
		t->ft_other++;
		return;
	}
	snprintf(t->ft_kind[i].fk_text, sizeof(t->ft_kind[i].fk_text), "%s",
	    kind);
	t->ft_kind[i].fk_count = 1;
	snprintf(t->ft_kind[i].fk_first, sizeof(t->ft_kind[i].fk_first), "%s",
	    first);
	t->ft_nkinds++;
}

void
fuzz_tally_print(const struct fuzz_tally *t, FILE *f)
{
	int i;

	for (i = 0; i < t->ft_nkinds; i++)
		fprintf(f, "  %8" PRIu64 "  %s (first: %s)\n",
		    t->ft_kind[i].fk_count, t->ft_kind[i].fk_text,
		    t->ft_kind[i].fk_first);
	if (t->ft_other != 0)
		fprintf(f, "  %8" PRIu64 "  (other kinds)\n", t->ft_other);
}

int
fuzz_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return (-1);
	errno = 0;
	*v = strtoull(s, &end, 0);
	return (errno != 0 || *end != '\0' ? -1 : 0);
}

int
fuzz_parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char buf[64], *dash;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return (-1);
	if ((dash = strchr(buf, '-')) == NULL) {
		if (fuzz_parse_u64(buf, lo) != 0)
			return (-1);
		*hi = *lo;
		return (0);
	}
	*dash = '\0';
	if (fuzz_parse_u64(buf, lo) != 0 || fuzz_parse_u64(dash + 1, hi) != 0 ||
	    *hi < *lo)
		return (-1);
	return (0);
}

double
fuzz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

void
fuzz_summary(uint64_t passed, uint64_t failed)
{
	printf("fuzz: %" PRIu64 " passed, %" PRIu64 " failed\n", passed,
	    failed);
	fflush(stdout);
}

void
fuzz_progress_init(struct fuzz_progress *p, const char *prog,
    const char *unit, uint64_t total)
{
	p->fp_prog = prog;
	p->fp_unit = unit;
	p->fp_total = total;
	p->fp_start = fuzz_now();
	p->fp_next = p->fp_start + FUZZ_PROGRESS_SECONDS;
}

void
fuzz_progress(struct fuzz_progress *p, uint64_t done, uint64_t failed)
{
	double now = fuzz_now(), rate;

	if (now < p->fp_next)
		return;
	p->fp_next = now + FUZZ_PROGRESS_SECONDS;
	rate = done / (now - p->fp_start);
	if (p->fp_total > 0 && done <= p->fp_total)
		fprintf(stderr, "%s: %" PRIu64 "/%" PRIu64 " %s (%.0f%%), %"
		    PRIu64 " failed, %.1f %s/s, about %.0f s left\n",
		    p->fp_prog, done, p->fp_total, p->fp_unit,
		    100.0 * done / p->fp_total, failed, rate, p->fp_unit,
		    rate > 0 ? (p->fp_total - done) / rate : 0.0);
	else
		fprintf(stderr, "%s: %" PRIu64 " %s, %" PRIu64 " failed, "
		    "%.1f %s/s\n", p->fp_prog, done, p->fp_unit, failed, rate,
		    p->fp_unit);
}
