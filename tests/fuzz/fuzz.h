/*
 * fuzz.h - what the two fuzz drivers share: a deterministic PRNG, a
 * guard that names the case a crash or a hang happened in, tallies of
 * messages, and the summary line CI reads.
 */
#ifndef SEVEMU_FUZZ_H
#define SEVEMU_FUZZ_H

#include <stdint.h>
#include <stdio.h>

/* xorshift64*, seeded through splitmix64: any seed, 0 included. */
struct fuzz_rng {
	uint64_t	fr_state;
};

void		 fuzz_rng_seed(struct fuzz_rng *, uint64_t seed);
uint64_t	 fuzz_rng_next(struct fuzz_rng *);
/* Uniform in [0, n); 0 when n is 0. */
uint64_t	 fuzz_rng_below(struct fuzz_rng *, uint64_t n);

/*
 * The guard: a crash (signal, sanitizer report, panic) or a case that
 * runs longer than its timeout prints the program's name and what
 * fuzz_guard_case last named, so the case can be run again alone.
 * extra, if not NULL, is called first to print more (e.g. the vmm's
 * console).
 */
void	 fuzz_guard_install(const char *prog, void (*extra)(int fd));
void	 fuzz_guard_case(unsigned int timeout_s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 fuzz_guard_done(void);

/*
 * Messages tallied by kind: hex and decimal numbers are folded into
 * '#', so "segment 1 at 0x100000" and "segment 0 at 0x0" count as one.
 * Each kind remembers the first case that produced it.
 */
#define FUZZ_KINDS	48

struct fuzz_tally {
	struct {
		char		 fk_text[160];
		uint64_t	 fk_count;
		char		 fk_first[80];	/* the case that showed it */
	}		 ft_kind[FUZZ_KINDS];
	int		 ft_nkinds;
	uint64_t	 ft_other;	/* kinds beyond FUZZ_KINDS */
};

void	 fuzz_tally_add(struct fuzz_tally *, const char *text,
	    const char *first);
void	 fuzz_tally_print(const struct fuzz_tally *, FILE *);

int	 fuzz_parse_u64(const char *, uint64_t *);
/* "A-B" or "A" */
int	 fuzz_parse_range(const char *, uint64_t *lo, uint64_t *hi);
double	 fuzz_now(void);
/*
 * Progress on stderr, a line every FUZZ_PROGRESS_SECONDS at most:
 * cases done (of total, when known), failures, rate, time left.  On
 * stderr so that stdout, the summary, stays the same on every run.
 */
#define FUZZ_PROGRESS_SECONDS	5.0

struct fuzz_progress {
	const char	*fp_prog;
	const char	*fp_unit;	/* "runs", "cases" */
	uint64_t	 fp_total;	/* 0: not known in advance */
	double		 fp_start, fp_next;
};

void	 fuzz_progress_init(struct fuzz_progress *, const char *prog,
	    const char *unit, uint64_t total);
void	 fuzz_progress(struct fuzz_progress *, uint64_t done,
	    uint64_t failed);

/* The last line of output, the one CI reads. */
void	 fuzz_summary(uint64_t passed, uint64_t failed);

#endif /* SEVEMU_FUZZ_H */
