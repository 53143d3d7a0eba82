/*
 * conform.h - the conformance suite: each host-side requirement of the
 * GHCB specification (AMD 56421) checked by running a guest through the
 * handler that is built, with a verdict and the evidence for it.
 */
#ifndef SEVEMU_CONFORM_H
#define SEVEMU_CONFORM_H

#include <stdint.h>
#include <stdio.h>

#include "ghcb_access.h"
#include "runner.h"

/* guests/conform_steps.S */
#define CONF_MAXSTEPS		8
#define CONF_STEP_SIZE		0x3000
#define CONF_STEP_SEND		0x1000
#define CONF_STEP_BACK		0x2000
#define CONF_KIND_MSR		1
#define CONF_KIND_GHCB		2
#define CONF_KIND_CPL3		3
#define CONF_GUEST		"conform_steps"
#define CONF_MAXREQS		128

/* GHCB layout. */
#define G_CPL			0x0cb
#define G_XSS			0x140
#define G_RAX			0x1f8
#define G_RCX			0x308
#define G_RDX			0x310
#define G_RBX			0x318
#define G_EXITCODE		0x390
#define G_EXITINFO1		0x398
#define G_EXITINFO2		0x3a0
#define G_SCRATCH		0x3a8
#define G_XCR0			0x3e8
#define G_VALID			0x3f0
#define G_VALID_SIZE		16
#define G_SHARED		0x800
#define G_SHARED_SIZE		0x7f0
#define G_VERSION		0xffa
#define G_USAGE			0xffc

/* sw_exitinfo2 when sw_exitinfo1 is 2. */
#define GHCB_ERR_INVALID_USAGE		2
#define GHCB_ERR_INVALID_SCRATCH	3
#define GHCB_ERR_MISSING_INPUT		4
#define GHCB_ERR_INVALID_INPUT		5
#define GHCB_ERR_INVALID_EVENT		6

enum conf_verdict {
	CONF_CONFORMS,
	CONF_DEPARTS,
	CONF_UNTESTABLE
};

struct conf_step {
	uint64_t	cs_kind;
	uint64_t	cs_msr;
	uint64_t	cs_page;
	uint8_t		cs_send[4096];
	/* What came back. */
	int		cs_resumed;
	uint64_t	cs_msr_after;
	uint8_t		cs_back[4096];
};

/* One run of the steps guest, for one requirement. */
struct conf_run {
	struct conf_step	cr_step[CONF_MAXSTEPS];
	int			cr_nsteps;
	uint64_t		cr_ghcb[2];	/* GPAs of the GHCB pages */
	uint64_t		cr_mmio;	/* the runner's MMIO page */
	/* The racing vCPU's writes (emu/ghcb_access.h), set by the setup. */
	unsigned int		cr_nrace;
	unsigned int		cr_race_exit[GHCB_RACE_MAX];
	unsigned int		cr_race_off[GHCB_RACE_MAX];
	uint64_t		cr_race_value[GHCB_RACE_MAX];
	unsigned int		cr_raced;	/* how many happened */
	int			cr_ran;		/* 0: could not run */
	char			cr_err[256];
	enum run_stop		cr_stop;
	int			cr_vmm_error;
	uint64_t		cr_exits;
	uint8_t			cr_term_set, cr_term_code;
	unsigned int		cr_findings;	/* all of them */
	char			cr_finding[200];	/* the first */
	/* Those of the GHCB access log, by kind (emu/ghcb_access.h). */
	unsigned int		cr_access[GA_NKINDS];
	char			cr_access_text[GA_NKINDS][200];
	char			cr_reason[512];
	char			cr_console[1024];
	char			cr_serial[256];
	size_t			cr_serial_len;
	uint8_t			cr_mmio_dev[16];
};

struct conf_result {
	enum conf_verdict	cv_verdict;
	char			cv_finding[400];
	char			cv_evidence[1200];
};

struct conf_req {
	const char	*rq_id;
	const char	*rq_section;
	const char	*rq_text;
	void		(*rq_setup)(const struct conf_req *,
			    struct conf_run *);
	void		(*rq_judge)(const struct conf_req *,
			    const struct conf_run *, struct conf_result *);
	uint64_t	rq_arg;		/* for shared setups, judges */
};

/* The requirements, in table order (req_*.c, collected by table.c). */
const struct conf_req	*conf_reqs(size_t *n);
const struct conf_req	*conf_req_find(const char *id);
extern const struct conf_req	conf_reqs_msr[], conf_reqs_ghcb[],
			conf_reqs_nae[], conf_reqs_access[], conf_reqs_race[];
extern const size_t	conf_nreqs_msr, conf_nreqs_ghcb, conf_nreqs_nae,
			conf_nreqs_access, conf_nreqs_race;

/* run.c: runs the requirement's steps; trace may be NULL. */
int	conf_run(const struct conf_req *, struct conf_run *, FILE *trace);
/* Checks one requirement: run, judge, evidence. */
void	conf_check(const struct conf_req *, struct conf_result *,
	    FILE *trace);

/* step.c: building the steps. */
struct conf_step *conf_msr(struct conf_run *, uint64_t msr);
/* The steps that follow run at CPL 3 (GHCB steps in page 0 only). */
void	conf_cpl3(struct conf_run *);
/* A GHCB request in page 0: version 1, usage 0, the three header words. */
struct conf_step *conf_ghcb(struct conf_run *, uint64_t code, uint64_t info1,
	    uint64_t info2);
void	conf_put(struct conf_step *, unsigned int off, uint64_t v);
void	conf_set(struct conf_step *, unsigned int off, uint64_t v);
/*
 * The racing vCPU: in the exit of the step just added, once the handler
 * has read the field at off, it holds v.
 */
void	conf_race(struct conf_run *, unsigned int off, uint64_t v);
void	conf_unset(struct conf_step *, unsigned int off);
uint64_t conf_get(const uint8_t *page, unsigned int off);
int	conf_valid(const uint8_t *page, unsigned int off);

/* judge.c: the verdicts. */
void	conf_conforms(struct conf_result *);
void	conf_departs(struct conf_result *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	conf_untestable(struct conf_result *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Step k's answer page if the request succeeded (sw_exitinfo1 31:0 is
 * 0); otherwise NULL and the verdict says what happened instead
 * (departs, or untestable when pre is set: the step only set up).
 */
const uint8_t *conf_answered(const struct conf_run *, int k, int pre,
	    struct conf_result *);
/* Step k was refused with reason; otherwise departs. */
void	conf_refused(const struct conf_run *, int k, uint64_t reason,
	    struct conf_result *);
/* What ended the run, in a few words. */
void	conf_describe_stop(const struct conf_run *, char *, size_t);
/* Shared judges: rq_arg is the reason (refused) or unused. */
void	conf_judge_refused(const struct conf_req *,
	    const struct conf_run *, struct conf_result *);
void	conf_judge_missing(const struct conf_req *,
	    const struct conf_run *, struct conf_result *);
void	conf_judge_event(const struct conf_req *,
	    const struct conf_run *, struct conf_result *);
void	conf_judge_scratch(const struct conf_req *,
	    const struct conf_run *, struct conf_result *);
void	conf_judge_answered(const struct conf_req *,
	    const struct conf_run *, struct conf_result *);

/* report.c */
const char *conf_verdict_name(enum conf_verdict);
void	conf_print_row(FILE *, const struct conf_req *,
	    const struct conf_result *);
int	conf_write_json(const char *path, const struct conf_req *const *,
	    const struct conf_result *, size_t n, const char *handler);

/* expect.c: expected verdicts of one vmm revision (id verdict lines). */
struct conf_expect {
	char			ce_id[64];
	enum conf_verdict	ce_verdict;
};
int	conf_expect_load(const char *path, struct conf_expect **, size_t *,
	    char *err, size_t errlen);
/* "1.64" for a tree's vmm_machdep.c 1.64, "" for vmmcore's. */
const char	*conf_vmm_revision(void);
/* dir/vmm_machdep-<revision>.expect */
void	conf_expect_path(char *, size_t, const char *dir);
/*
 * The verdict the expectations in dir give id for the handler built:
 * conforms for vmmcore's, and for an id or revision not listed.
 */
enum conf_verdict conf_expected(const char *dir, const char *id);

#endif /* SEVEMU_CONFORM_H */
