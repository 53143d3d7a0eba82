/*
 * The trace as JSON lines: every field of the text trace, the GHCB's
 * exit fields, the caller of an MSR-protocol helper, and COM1 output in
 * order with the exits.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"

static char *
trace_of(const char *guest, enum trace_format f)
{
	struct run_opts o = { .ro_trace = 1, .ro_trace_format = f };
	struct guest_run g;
	char *t;

	cr_assert_eq(guest_run(&g, guest, &o), 0, "%s", g.gr_err);
	t = strndup(g.gr_trace, g.gr_trace_len);
	guest_done(&g);
	return (t);
}

/*
 * The string value of "key" in a JSON line (first occurrence at or
 * after from), unescaped; NULL if absent.  Enough JSON for our lines:
 * the writer escapes only ", \, \n, \t and \u00XX.
 */
static const char *
jstr(const char *line, const char *key, char *buf, size_t len)
{
	char pat[64];
	const char *p, *end = strchr(line, '\n');
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(line, pat);
	if (p == NULL || (end != NULL && p > end))
		return (NULL);
	for (p += strlen(pat); *p != '"' && n + 1 < len; p++) {
		if (*p == '\\') {
			p++;
			if (*p == 'n')
				buf[n++] = '\n';
			else if (*p == 't')
				buf[n++] = '\t';
			else if (*p == 'u') {
				buf[n++] = (char)strtoul((char []){ p[1], p[2],
				    p[3], p[4], 0 }, NULL, 16);
				p += 4;
			} else
				buf[n++] = *p;
		} else
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return (buf);
}

static uint64_t
jhex(const char *line, const char *key)
{
	char buf[64];

	cr_assert_not_null(jstr(line, key, buf, sizeof(buf)),
	    "no \"%s\" in %.300s", key, line);
	return (strtoull(buf, NULL, 16));
}

static uint64_t
jnum(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	cr_assert_not_null(p, "no \"%s\" in %.300s", key, line);
	return (strtoull(p + strlen(pat), NULL, 10));
}

/* The line of exit n ("type":"exit"), or NULL. */
static const char *
exit_line(const char *t, uint64_t n)
{
	char pat[64];

	snprintf(pat, sizeof(pat), "{\"type\":\"exit\",\"exit\":%" PRIu64 ",",
	    n);
	return (strstr(t, pat));
}

/*
 * The text trace, rebuilt from the JSON lines with trace.c's formats:
 * equal byte for byte only if each JSON line has every text field.
 */
static char *
text_from_json(const char *j)
{
	char *out = NULL, at[256], a[160], b[160], c[160], d[160], e[160];
	const char *line;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	cr_assert_not_null(f);
	for (line = j; *line != '\0'; line = strchr(line, '\n') + 1) {
		char type[16];

		cr_assert_not_null(jstr(line, "type", type, sizeof(type)));
		if (strcmp(type, "exit") == 0 || strcmp(type, "vc") == 0) {
			jstr(line, "symbol", a, sizeof(a));
			if (a[0] != '\0')
				snprintf(at, sizeof(at), "0x%08" PRIx64 " <%s>",
				    jhex(line, "rip"), a);
			else
				snprintf(at, sizeof(at), "0x%08" PRIx64,
				    jhex(line, "rip"));
			jstr(line, "insn", b, sizeof(b));
		}
		if (strcmp(type, "exit") == 0) {
			jstr(line, "event", c, sizeof(c));
			jstr(line, "outcome", d, sizeof(d));
			fprintf(f, "exit %-4" PRIu64 " cyc %-9" PRIu64 " %-30s "
			    "%-12s 0x%03" PRIx64 " %-20s ghcb 0x%016" PRIx64
			    " -> 0x%016" PRIx64 "  %s\n", jnum(line, "exit"),
			    jnum(line, "cycles"), at, b,
			    jhex(line, "exit_code"), c,
			    jhex(line, "ghcb_msr_before"),
			    jhex(line, "ghcb_msr_after"), d);
		} else if (strcmp(type, "vc") == 0) {
			jstr(line, "exit_name", c, sizeof(c));
			fprintf(f, "#VC       %-30s %-12s 0x%03" PRIx64 " %s\n",
			    at, b, jhex(line, "exit_code"), c);
		} else if (strcmp(type, "event") == 0) {
			jstr(line, "text", e, sizeof(e));
			fprintf(f, "--        %s\n", e);
		} else if (strcmp(type, "end") == 0) {
			jstr(line, "stop", a, sizeof(a));
			jstr(line, "reason", e, sizeof(e));
			fprintf(f, "--        %s: %s\n", a, e);
		} else
			cr_assert_str_eq(type, "serial", "line %.200s", line);
	}
	fclose(f);
	return (out);
}

static void
same_fields(const char *guest)
{
	char *text = trace_of(guest, TRACE_TEXT);
	char *json = trace_of(guest, TRACE_JSONL);
	char *rebuilt = text_from_json(json);

	cr_assert_gt(strlen(text), 100, "%s", text);
	cr_assert_str_eq(rebuilt, text, "%s: the JSON lines lack a field of "
	    "the text trace", guest);
	free(text);
	free(json);
	free(rebuilt);
}

Test(trace_json, every_text_field_is_in_the_json_lines)
{
	same_fields("demo");
	same_fields("nae_all");
	same_fields("serial_hello");
	same_fields("terminate");
	same_fields("msr_unsupported");
}

/* A finding made as the machine is taken down comes before "end". */
Test(trace_json, the_end_line_is_last)
{
	char *t = trace_of("ghcb_private", TRACE_JSONL);
	const char *end = strstr(t, "{\"type\":\"end\"");

	cr_assert_not_null(end, "%s", t);
	cr_assert_not_null(strstr(t, "handler touched private guest page"),
	    "%s", t);
	cr_assert_eq(strchr(end, '\n')[1], '\0', "lines after the end:\n%s",
	    t);
	free(t);
}

Test(trace_json, two_runs_give_identical_lines)
{
	char *a = trace_of("nae_all", TRACE_JSONL);
	char *b = trace_of("nae_all", TRACE_JSONL);

	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

Test(trace_json, ghcb_exit_fields_before_and_after_the_handler)
{
	char *t = trace_of("serial_hello", TRACE_JSONL);
	const char *l = exit_line(t, 2);

	cr_assert_not_null(l, "%s", t);
	/* OUT to COM1 through the GHCB: IOIO, port 0x3f8, 8 bits, out. */
	cr_assert_eq(jhex(l, "sw_exitcode"), 0x7b, "%.400s", l);
	cr_assert_eq(jhex(l, "sw_exitinfo1"), 0x3f80210, "%.400s", l);
	cr_assert_eq(jhex(l, "sw_exitinfo2"), 0, "%.400s", l);
	cr_assert_eq(jhex(l, "gpa"), jhex(l, "ghcb_msr_before"), "%.400s", l);
	free(t);

	/* demo's exit 7: CPUID 0x8000001F through its GHCB page. */
	t = trace_of("demo", TRACE_JSONL);
	l = exit_line(t, 7);
	cr_assert_not_null(l, "%s", t);
	cr_assert_eq(jhex(l, "sw_exitcode"), 0x72, "%.400s", l);
	cr_assert_eq(jhex(l, "gpa"), 0x106000, "%.400s", l);
	free(t);
}

Test(trace_json, msr_protocol_exits_name_request_response_and_caller)
{
	struct run_opts o = { .ro_trace = 1, .ro_trace_format = TRACE_JSONL };
	struct guest_run g;
	const char *l;
	char sym[128], code[16];
	uint64_t ret, target;
	const uint8_t *call;
	int32_t rel;
	char *t;

	cr_assert_eq(guest_run(&g, "demo", &o), 0, "%s", g.gr_err);
	t = strndup(g.gr_trace, g.gr_trace_len);
	l = exit_line(t, 1);
	cr_assert_not_null(l, "%s", t);
	jstr(l, "code", code, sizeof(code));
	/* The request: CPUID. */
	cr_assert_str_eq(code, "0x004", "%.500s", l);
	cr_assert_not_null(strstr(l, "\"msr_response\":{\"code\":\"0x005\","
	    "\"name\":\"CPUID\""), "%.500s", l);
	/* The caller: right after a call to msrproto_cpuid, in demo's code. */
	cr_assert_not_null(strstr(l, "\"caller\":{"), "%.500s", l);
	ret = jhex(strstr(l, "\"caller\":{"), "addr");
	jstr(strstr(l, "\"caller\":{"), "symbol", sym, sizeof(sym));
	cr_assert_eq(strncmp(sym, "cpuid_value+", 12), 0, "caller %s", sym);
	call = runner_guest(&g.gr_runner, ret - 5, 5);
	cr_assert_not_null(call);
	cr_assert_eq(call[0], 0xe8, "no call before 0x%" PRIx64, ret);
	memcpy(&rel, call + 1, 4);
	target = ret + (int64_t)rel;
	cr_assert_eq(image_symbol(&g.gr_runner.r_image, "msrproto_cpuid",
	    &ret), 0);
	cr_assert_eq(target, ret, "the call goes to 0x%" PRIx64, target);
	/* The HLT exit has neither. */
	l = exit_line(t, 8);
	cr_assert_not_null(l, "%s", t);
	cr_assert_null(strstr(l, "caller"), "%.500s", l);
	cr_assert_null(strstr(l, "msr_request"), "%.500s", l);
	free(t);
	guest_done(&g);
}

Test(trace_json, serial_output_comes_in_order_with_the_exits)
{
	char *t = trace_of("serial_hello", TRACE_JSONL);
	const char *s = strstr(t, "{\"type\":\"serial\"");
	const char *before, *after;
	char text[128];

	cr_assert_not_null(s, "%s", t);
	jstr(s, "text", text, sizeof(text));
	cr_assert_str_eq(text, "hello from the guest\n");
	/* After the exit that wrote the newline, before the next one. */
	before = exit_line(t, jnum(s, "last_exit"));
	after = exit_line(t, jnum(s, "last_exit") + 1);
	cr_assert_not_null(before);
	cr_assert_not_null(after);
	cr_assert(before < s && s < after, "serial line out of place:\n%s", t);
	cr_assert_eq(jnum(s, "first_exit"), 2, "%.300s", s);
	cr_assert_eq(jnum(s, "last_exit"), 42, "%.300s", s);
	cr_assert_null(strstr(s + 1, "{\"type\":\"serial\""), "%s", t);
	/* The end line comes last. */
	cr_assert_not_null(strstr(t, "{\"type\":\"end\",\"stop\":\"exited\""),
	    "%s", t);
	free(t);
}
