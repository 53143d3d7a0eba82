/*
 * api.c - the public API (include/sevemu/sevemu.h) over the runner.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostcpu.h"
#include "runner.h"
#include "sevemu/sevemu.h"

enum phase {
	PHASE_CONFIG,		/* sevemu_set_* allowed */
	PHASE_LOADED,		/* the VM exists */
	PHASE_RAN		/* results readable */
};

struct sevemu {
	enum phase		 s_phase;
	struct runner_config	 s_cfg;
	struct runner		 s_runner;
	struct run_result	 s_result;
	char			*s_path;
	char			 s_err[512];
};

/* The CPU is one per process; so is the machine. */
static int machine_exists;

_Static_assert(sizeof(struct sevemu_regs) == sizeof(struct cpu_regs),
    "struct sevemu_regs mirrors struct cpu_regs");

static int __attribute__((format(printf, 2, 3)))
fail(struct sevemu *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->s_err, sizeof(m->s_err), fmt, ap);
	va_end(ap);
	return (-1);
}

static int
configuring(struct sevemu *m, const char *what)
{
	if (m->s_phase != PHASE_CONFIG)
		return (fail(m, "%s: only before sevemu_load", what));
	return (0);
}

const char *
sevemu_version(void)
{
	return (SEVEMU_VERSION);
}

struct sevemu *
sevemu_new(void)
{
	struct sevemu *m;

	if (machine_exists) {
		errno = EBUSY;
		return (NULL);
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return (NULL);
	machine_exists = 1;
	hostcpu_reset();
	return (m);
}

void
sevemu_free(struct sevemu *m)
{
	if (m == NULL)
		return;
	if (m->s_phase != PHASE_CONFIG)
		runner_close(&m->s_runner);
	hostcpu_reset();
	free(m->s_path);
	free(m);
	machine_exists = 0;
}

const char *
sevemu_error(const struct sevemu *m)
{
	return (m->s_err);
}

int
sevemu_set_mem(struct sevemu *m, uint64_t bytes)
{
	if (configuring(m, "sevemu_set_mem") != 0)
		return (-1);
	if ((bytes & ((2ULL << 20) - 1)) != 0 || bytes < (2ULL << 20) ||
	    bytes > (3ULL << 30))
		return (fail(m, "sevemu_set_mem: %llu bytes; guest memory must "
		    "be a multiple of 2 MiB from 2 MiB to 3 GiB",
		    (unsigned long long)bytes));
	m->s_cfg.rc_mem = bytes;
	return (0);
}

int
sevemu_set_budget(struct sevemu *m, uint64_t instructions)
{
	if (configuring(m, "sevemu_set_budget") != 0)
		return (-1);
	if (instructions == 0)
		return (fail(m, "sevemu_set_budget: the budget must be at "
		    "least 1 instruction"));
	m->s_cfg.rc_budget = instructions;
	return (0);
}

int
sevemu_set_entry_protected(struct sevemu *m, int protected_mode)
{
	if (configuring(m, "sevemu_set_entry_protected") != 0)
		return (-1);
	m->s_cfg.rc_entry_protected = protected_mode != 0;
	return (0);
}

int
sevemu_set_trace(struct sevemu *m, FILE *f, enum sevemu_trace_format fmt)
{
	if (configuring(m, "sevemu_set_trace") != 0)
		return (-1);
	if (fmt != SEVEMU_TRACE_TEXT && fmt != SEVEMU_TRACE_JSONL)
		return (fail(m, "sevemu_set_trace: unknown format %d",
		    (int)fmt));
	m->s_cfg.rc_trace = f;
	m->s_cfg.rc_trace_format = fmt == SEVEMU_TRACE_JSONL ? TRACE_JSONL :
	    TRACE_TEXT;
	return (0);
}

int
sevemu_set_console(struct sevemu *m, FILE *f)
{
	if (configuring(m, "sevemu_set_console") != 0)
		return (-1);
	m->s_cfg.rc_console = f;
	return (0);
}

int
sevemu_set_cpuid(struct sevemu *m, uint32_t leaf, uint32_t subleaf,
    const uint32_t regs[4])
{
	if (configuring(m, "sevemu_set_cpuid") != 0)
		return (-1);
	if (hostcpu_set_cpuid(leaf, subleaf, regs) != 0)
		return (fail(m, "sevemu_set_cpuid: too many leaves replaced"));
	return (0);
}

int
sevemu_load(struct sevemu *m, const char *path)
{
	if (configuring(m, "sevemu_load") != 0)
		return (-1);
	free(m->s_path);
	if ((m->s_path = strdup(path)) == NULL)
		return (fail(m, "sevemu_load: %s", strerror(errno)));
	m->s_cfg.rc_image = m->s_path;
	if (runner_open(&m->s_runner, &m->s_cfg, m->s_err,
	    sizeof(m->s_err)) != 0)
		return (-1);
	m->s_phase = PHASE_LOADED;
	return (0);
}

static enum sevemu_stop
stop_of(enum run_stop s)
{
	switch (s) {
	case RUN_HALTED:
		return (SEVEMU_HALTED);
	case RUN_EXITED:
		return (SEVEMU_EXITED);
	case RUN_TERMINATED:
		return (SEVEMU_TERMINATED);
	case RUN_BUDGET:
		return (SEVEMU_BUDGET);
	case RUN_SHUTDOWN:
		return (SEVEMU_SHUTDOWN);
	case RUN_ERROR:
		break;
	}
	return (SEVEMU_ERROR);
}

int
sevemu_run(struct sevemu *m, struct sevemu_result *r)
{
	struct run_result *rr = &m->s_result;

	if (m->s_phase == PHASE_CONFIG)
		return (fail(m, "sevemu_run: no guest loaded"));
	if (m->s_phase == PHASE_RAN)
		return (fail(m, "sevemu_run: a machine runs once"));
	runner_run(&m->s_runner, rr);
	if (m->s_cfg.rc_trace != NULL)
		fflush(m->s_cfg.rc_trace);
	m->s_phase = PHASE_RAN;
	memset(r, 0, sizeof(*r));
	r->sr_stop = stop_of(rr->rr_stop);
	r->sr_stop_name = run_stop_name(rr->rr_stop);
	r->sr_reason = rr->rr_reason;
	r->sr_verdict = rr->rr_verdict;
	r->sr_term_set = rr->rr_term_set;
	r->sr_term_code = rr->rr_term_code;
	r->sr_vmm_error = rr->rr_vmm_error;
	r->sr_exits = rr->rr_exits;
	r->sr_instructions = rr->rr_insns;
	r->sr_findings = rr->rr_findings;
	r->sr_finding = rr->rr_finding;
	r->sr_guest_findings = rr->rr_guest_findings;
	r->sr_guest_finding = rr->rr_guest_finding;
	return (0);
}

static int
ran(const struct sevemu *m)
{
	return (m->s_phase == PHASE_RAN);
}

int
sevemu_regs(const struct sevemu *m, struct sevemu_regs *regs)
{
	if (!ran(m))
		return (-1);
	memcpy(regs, &m->s_result.rr_regs, sizeof(*regs));
	return (0);
}

/* Guest RAM at [gpa, gpa + len), or NULL and the error. */
static void *
guest_ram(struct sevemu *m, const char *fn, uint64_t gpa, size_t len)
{
	void *p;

	if (m->s_phase == PHASE_CONFIG) {
		fail(m, "%s: no guest loaded", fn);
		return (NULL);
	}
	if ((p = runner_guest(&m->s_runner, gpa, len)) == NULL)
		fail(m, "%s: [0x%llx, +0x%zx) is outside guest RAM [0, 0x%llx)",
		    fn, (unsigned long long)gpa, len,
		    (unsigned long long)m->s_runner.r_mem);
	return (p);
}

int
sevemu_read(struct sevemu *m, uint64_t gpa, void *buf, size_t len)
{
	void *p = guest_ram(m, "sevemu_read", gpa, len);

	if (p == NULL)
		return (-1);
	memcpy(buf, p, len);
	return (0);
}

int
sevemu_write(struct sevemu *m, uint64_t gpa, const void *buf, size_t len)
{
	void *p = guest_ram(m, "sevemu_write", gpa, len);

	if (p == NULL)
		return (-1);
	memcpy(p, buf, len);
	return (0);
}

int
sevemu_symbol(struct sevemu *m, const char *name, uint64_t *addr)
{
	if (m->s_phase == PHASE_CONFIG)
		return (fail(m, "sevemu_symbol: no guest loaded"));
	if (image_symbol(&m->s_runner.r_image, name, addr) != 0)
		return (fail(m, "sevemu_symbol: %s: no such symbol in %s",
		    name, m->s_cfg.rc_image));
	return (0);
}

const char *
sevemu_serial(const struct sevemu *m, size_t *len)
{
	if (!ran(m) || m->s_result.rr_serial == NULL) {
		if (len != NULL)
			*len = 0;
		return ("");
	}
	if (len != NULL)
		*len = m->s_result.rr_serial_len;
	return (m->s_result.rr_serial);
}

const char *
sevemu_console(const struct sevemu *m)
{
	if (!ran(m) || m->s_result.rr_console == NULL)
		return ("");
	return (m->s_result.rr_console);
}
