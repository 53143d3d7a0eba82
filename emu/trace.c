/*
 * trace.c - the exit trace.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "trace.h"

static const struct {
	uint64_t	 code;
	const char	*name;
} exit_names[] = {
	{ 0x027, "DR7_READ" }, { 0x036, "DR6_WRITE" }, { 0x037, "DR7_WRITE" },
	{ 0x060, "INTR" }, { 0x06e, "RDTSC" }, { 0x06f, "RDPMC" },
	{ 0x072, "CPUID" }, { 0x076, "INVD" }, { 0x078, "HLT" },
	{ 0x07b, "IOIO" }, { 0x07c, "MSR" }, { 0x07f, "SHUTDOWN" },
	{ 0x081, "VMMCALL" }, { 0x087, "RDTSCP" }, { 0x089, "WBINVD" },
	{ 0x08a, "MONITOR" }, { 0x08b, "MWAIT" }, { 0x08f, "EFER_WRITE_TRAP" },
	{ 0x090, "CR0_WRITE_TRAP" }, { 0x094, "CR4_WRITE_TRAP" },
	{ 0x400, "NPF" }, { 0x403, "VMGEXIT" },
	{ 0x80000001, "MMIO_READ" }, { 0x80000002, "MMIO_WRITE" },
	{ 0x80000004, "AP_RESET_HOLD" }, { 0x80000005, "AP_JUMP_TABLE" },
	{ 0x8000fffd, "HV_FEATURES" }, { 0x8000ffff, "UNSUPPORTED_EVENT" },
};

const char *
msrproto_name(unsigned int code)
{
	switch (code) {
	case 0x001:
	case 0x002:
		return ("SEV_INFO");
	case 0x004:
	case 0x005:
		return ("CPUID");
	case 0x006:
	case 0x007:
		return ("AP_RESET_HOLD");
	case 0x010:
	case 0x011:
		return ("PREF_GHCB");
	case 0x012:
	case 0x013:
		return ("REG_GHCB");
	case 0x080:
	case 0x081:
		return ("HV_FEATURES");
	case 0x100:
		return ("TERMINATE");
	default:
		return ("?");
	}
}

const char *
svm_exit_name(uint64_t code)
{
	size_t i;

	for (i = 0; i < sizeof(exit_names) / sizeof(exit_names[0]); i++)
		if (exit_names[i].code == code)
			return (exit_names[i].name);
	return ("?");
}

void
trace_init(struct trace *t, FILE *out, trace_symbolize_fn sym, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->t_out = out;
	t->t_sym = sym;
	t->t_symarg = arg;
}

void
trace_set_format(struct trace *t, enum trace_format f)
{
	t->t_format = f;
}

/* "name+0xoff", or "" when no symbol covers addr. */
void
trace_symbol(struct trace *t, uint64_t addr, char *buf, size_t len)
{
	if (t->t_sym == NULL || t->t_sym(t->t_symarg, addr, buf, len) != 0)
		buf[0] = '\0';
}

static void
where(struct trace *t, uint64_t rip, char *buf, size_t len)
{
	char sym[96];

	if (t->t_sym != NULL && t->t_sym(t->t_symarg, rip, sym,
	    sizeof(sym)) == 0)
		snprintf(buf, len, "0x%08" PRIx64 " <%s>", rip, sym);
	else
		snprintf(buf, len, "0x%08" PRIx64, rip);
}

void
trace_exit(struct trace *t, uint64_t n, uint64_t cycles, uint64_t rip,
    const char *insn, uint64_t code, const char *what, uint64_t ghcb_before)
{
	if (t->t_open)
		trace_outcome(t, t->t_ghcb, "(no outcome)");
	t->t_open = 1;
	memset(&t->t_detail, 0, sizeof(t->t_detail));
	t->t_n = n;
	t->t_cycles = cycles;
	t->t_rip = rip;
	t->t_code = code;
	t->t_ghcb = ghcb_before;
	snprintf(t->t_insn, sizeof(t->t_insn), "%s", insn);
	snprintf(t->t_what, sizeof(t->t_what), "%s", what);
}

void
trace_outcome(struct trace *t, uint64_t ghcb_after, const char *how)
{
	char at[128];

	if (!t->t_open)
		return;
	t->t_open = 0;
	if (t->t_format == TRACE_JSONL) {
		trace_symbol(t, t->t_rip, at, sizeof(at));
		trace_json_exit(t, at, ghcb_after, how);
		return;
	}
	where(t, t->t_rip, at, sizeof(at));
	fprintf(t->t_out, "exit %-4" PRIu64 " cyc %-9" PRIu64 " %-30s %-12s "
	    "0x%03" PRIx64 " %-20s ghcb 0x%016" PRIx64 " -> 0x%016" PRIx64
	    "  %s\n", t->t_n, t->t_cycles, at, t->t_insn, t->t_code, t->t_what,
	    t->t_ghcb, ghcb_after, how);
}

void
trace_resume(struct trace *t, uint64_t ghcb_after)
{
	trace_outcome(t, ghcb_after, "handled, guest resumed");
}

void
trace_vc(struct trace *t, uint64_t rip, const char *insn, uint64_t code)
{
	char at[128];

	if (t->t_format == TRACE_JSONL) {
		trace_symbol(t, rip, at, sizeof(at));
		trace_json_vc(t, rip, at, insn, code);
		return;
	}
	where(t, rip, at, sizeof(at));
	fprintf(t->t_out, "#VC       %-30s %-12s 0x%03" PRIx64 " %s\n", at,
	    insn, code, svm_exit_name(code));
}

void
trace_event(struct trace *t, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	if (t->t_format == TRACE_JSONL) {
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
		trace_json_event(t, text);
		return;
	}
	fprintf(t->t_out, "--        ");
	va_start(ap, fmt);
	vfprintf(t->t_out, fmt, ap);
	va_end(ap);
	fputc('\n', t->t_out);
}

void
trace_exit_detail(struct trace *t, const struct trace_detail *d)
{
	t->t_detail = *d;
}

/*
 * The text trace leaves COM1 to the end of the run (sevemu prints it
 * after the trace); the JSON lines carry it where it happened, a line
 * (or TRACE_SERIAL_MAX bytes) at a time, with the numbers of the exits
 * that wrote its first and last bytes.
 */
void
trace_serial(struct trace *t, int c)
{
	if (t->t_format != TRACE_JSONL)
		return;
	if (t->t_serial_len == 0)
		t->t_serial_first = t->t_n;
	t->t_serial_last = t->t_n;
	t->t_serial[t->t_serial_len++] = (char)c;
	if (c == '\n' || t->t_serial_len == sizeof(t->t_serial))
		trace_json_serial(t);
}

/*
 * The text trace says how the run ended where the run ended, and a
 * finding made while the machine is taken down follows it.  The JSON
 * lines keep "end" last: it is written by trace_finish.
 */
void
trace_end(struct trace *t, const char *stop, const char *reason,
    uint64_t exits, uint64_t insns)
{
	if (t->t_format != TRACE_JSONL) {
		trace_event(t, "%s: %s", stop, reason);
		return;
	}
	t->t_end_pending = 1;
	t->t_end_stop = stop;
	snprintf(t->t_end_reason, sizeof(t->t_end_reason), "%s", reason);
	t->t_end_exits = exits;
	t->t_end_insns = insns;
}

void
trace_finish(struct trace *t)
{
	if (t->t_end_pending)
		trace_json_end(t, t->t_end_stop, t->t_end_reason,
		    t->t_end_exits, t->t_end_insns);
	t->t_end_pending = 0;
}
