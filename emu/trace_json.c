/*
 * trace_json.c - the trace as JSON lines, for tools.
 *
 * One object a line, in the order things happened: "exit" (every
 * field of the text line, plus the MSR-protocol request and response,
 * the GHCB's exit code and exit information before and after the
 * handler, and the caller of the helper that made the VMGEXIT), "vc",
 * "serial" (COM1 output, a line at a time, after the exit that wrote
 * its last byte), "event" and, last, "end".  64-bit values are
 * hex strings, since JSON numbers lose bits above 2^53 in most tools;
 * counts are numbers.  Text is escaped byte by byte: a byte above 0x7f
 * becomes the character of the same number, so no byte is lost.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "trace.h"

#define GHCB_SW_EXITCODE	0x390
#define GHCB_SW_EXITINFO1	0x398
#define GHCB_SW_EXITINFO2	0x3a0
#define VMEXIT_VMGEXIT		0x403

static void
str(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(f, "\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", f);
		else if (p[i] == '\t')
			fputs("\\t", f);
		else if (p[i] < 0x20 || p[i] > 0x7e)
			fprintf(f, "\\u%04x", p[i]);
		else
			fputc(p[i], f);
	}
	fputc('"', f);
}

static void
key_str(FILE *f, const char *key, const char *s)
{
	fprintf(f, ",\"%s\":", key);
	str(f, s, strlen(s));
}

static void
key_hex(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

static uint64_t
ghcb_u64(const uint8_t *ghcb, size_t off)
{
	uint64_t v;

	memcpy(&v, ghcb + off, sizeof(v));
	return (v);
}

/* Output not yet written, before an event or the end. */
static void
pending_serial(struct trace *t)
{
	if (t->t_serial_len > 0)
		trace_json_serial(t);
}

static void
msr_code(FILE *f, const char *key, uint64_t msr)
{
	fprintf(f, ",\"%s\":{\"code\":\"0x%03x\",\"name\":", key,
	    (unsigned int)(msr & 0xfff));
	str(f, msrproto_name(msr & 0xfff), strlen(msrproto_name(msr & 0xfff)));
	fprintf(f, ",\"data\":\"0x%" PRIx64 "\"}", msr >> 12);
}

void
trace_json_exit(struct trace *t, const char *sym, uint64_t ghcb_after,
    const char *how)
{
	const struct trace_detail *d = &t->t_detail;
	FILE *f = t->t_out;
	char caller[128];

	fprintf(f, "{\"type\":\"exit\",\"exit\":%" PRIu64, t->t_n);
	fprintf(f, ",\"cycles\":%" PRIu64, t->t_cycles);
	key_hex(f, "rip", t->t_rip);
	key_str(f, "symbol", sym);
	key_str(f, "insn", t->t_insn);
	fprintf(f, ",\"exit_code\":\"0x%03" PRIx64 "\"", t->t_code);
	key_str(f, "exit_name", svm_exit_name(t->t_code));
	key_str(f, "event", t->t_what);
	key_hex(f, "ghcb_msr_before", t->t_ghcb);
	key_hex(f, "ghcb_msr_after", ghcb_after);
	key_str(f, "outcome", how);
	if (t->t_code == VMEXIT_VMGEXIT && (t->t_ghcb & 0xfff) != 0) {
		msr_code(f, "msr_request", t->t_ghcb);
		if ((ghcb_after & 0xfff) != 0)
			msr_code(f, "msr_response", ghcb_after);
	}
	if (d->td_ghcb != NULL) {
		fprintf(f, ",\"ghcb\":{\"gpa\":\"0x%" PRIx64 "\"", t->t_ghcb);
		fprintf(f, ",\"sw_exitcode\":\"0x%" PRIx64 "\"",
		    d->td_sw_exitcode);
		key_str(f, "sw_exitcode_name",
		    svm_exit_name(d->td_sw_exitcode));
		key_hex(f, "sw_exitinfo1", d->td_sw_exitinfo1);
		key_hex(f, "sw_exitinfo2", d->td_sw_exitinfo2);
		/* The page stays mapped: what the handler answered. */
		key_hex(f, "sw_exitinfo1_after",
		    ghcb_u64(d->td_ghcb, GHCB_SW_EXITINFO1));
		key_hex(f, "sw_exitinfo2_after",
		    ghcb_u64(d->td_ghcb, GHCB_SW_EXITINFO2));
		fputc('}', f);
	}
	if (d->td_caller != 0) {
		trace_symbol(t, d->td_caller, caller, sizeof(caller));
		fprintf(f, ",\"caller\":{\"addr\":\"0x%" PRIx64 "\"",
		    d->td_caller);
		key_str(f, "symbol", caller);
		fputc('}', f);
	}
	fputs("}\n", f);
}

void
trace_json_vc(struct trace *t, uint64_t rip, const char *sym,
    const char *insn, uint64_t code)
{
	FILE *f = t->t_out;

	fputs("{\"type\":\"vc\"", f);
	key_hex(f, "rip", rip);
	key_str(f, "symbol", sym);
	key_str(f, "insn", insn);
	fprintf(f, ",\"exit_code\":\"0x%03" PRIx64 "\"", code);
	key_str(f, "exit_name", svm_exit_name(code));
	fputs("}\n", f);
}

void
trace_json_event(struct trace *t, const char *text)
{
	pending_serial(t);
	fputs("{\"type\":\"event\"", t->t_out);
	key_str(t->t_out, "text", text);
	fputs("}\n", t->t_out);
}

void
trace_json_serial(struct trace *t)
{
	fprintf(t->t_out, "{\"type\":\"serial\",\"port\":\"0x3f8\","
	    "\"first_exit\":%" PRIu64 ",\"last_exit\":%" PRIu64 ",\"text\":",
	    t->t_serial_first, t->t_serial_last);
	str(t->t_out, t->t_serial, t->t_serial_len);
	fputs("}\n", t->t_out);
	t->t_serial_len = 0;
}

void
trace_json_end(struct trace *t, const char *stop, const char *reason,
    uint64_t exits, uint64_t insns)
{
	FILE *f = t->t_out;

	pending_serial(t);
	fputs("{\"type\":\"end\"", f);
	key_str(f, "stop", stop);
	key_str(f, "reason", reason);
	fprintf(f, ",\"exits\":%" PRIu64 ",\"instructions\":%" PRIu64 "}\n",
	    exits, insns);
}
