/*
 * gdbstub.c - the commands of gdb's remote protocol, for the guest.
 *
 * All-stop, one thread.  A stop reply goes out when the CPU stops
 * while gdb waits for one; the packets in between are answered right
 * there, on the guest's stack, and the guest goes on when gdb says c
 * or s (or vCont).  A gdb that goes away while the guest is stopped
 * leaves it stopped for the next one; one that detaches lets it run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "cpu_debug.h"
#include "gdbregs.h"
#include "gdbstub.h"

static const char hexdig[] = "0123456789abcdef";

static enum cpu_resume	stopped(void *, const struct cpu_stop *);
static int		poll_wire(void *);

int
gdbstub_open(struct gdbstub *g, int port, FILE *log, char *err,
    size_t errlen)
{
	memset(g, 0, sizeof(*g));
	if (gdbwire_listen(&g->g_wire, port, err, errlen) != 0)
		return (-1);
	g->g_log = log;
	g->g_dbg.cd_stopped = stopped;
	g->g_dbg.cd_poll = poll_wire;
	g->g_dbg.cd_arg = g;
	if (log != NULL) {
		fprintf(log, "sevemu: gdb: waiting on 127.0.0.1:%d "
		    "(target remote :%d)\n", g->g_wire.w_port,
		    g->g_wire.w_port);
		fflush(log);
	}
	return (0);
}

void
gdbstub_symbols(struct gdbstub *g, trace_symbolize_fn fn, void *arg)
{
	g->g_sym = fn;
	g->g_symarg = arg;
}

struct cpu_debugger *
gdbstub_debugger(struct gdbstub *g)
{
	return (&g->g_dbg);
}

static size_t
tohex(char *out, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hexdig[p[i] >> 4];
		out[2 * i + 1] = hexdig[p[i] & 0xf];
	}
	out[2 * len] = '\0';
	return (2 * len);
}

/* Hex digits into bytes; -1 on an odd count or a bad digit. */
static int
fromhex(const char *s, size_t n, uint8_t *out)
{
	size_t i;
	int h, l;

	if (n % 2 != 0)
		return (-1);
	for (i = 0; i < n / 2; i++) {
		if ((h = gdbwire_hexval(s[2 * i])) < 0 ||
		    (l = gdbwire_hexval(s[2 * i + 1])) < 0)
			return (-1);
		out[i] = (uint8_t)(h << 4 | l);
	}
	return (0);
}

/* A hex number up to a delimiter; *s moves past it. */
static int
hexnum(const char **s, uint64_t *v)
{
	const char *p = *s;
	int d, n = 0;

	*v = 0;
	while ((d = gdbwire_hexval(*p)) >= 0 && n < 16) {
		*v = *v << 4 | (uint64_t)d;
		p++;
		n++;
	}
	if (n == 0 || gdbwire_hexval(*p) >= 0)
		return (-1);
	*s = p;
	return (0);
}

/* Console output for gdb: O packets, while gdb waits on c or s. */
static void
console(struct gdbstub *g, const char *text)
{
	size_t len = strlen(text), n;

	while (len > 0) {
		n = len > 1024 ? 1024 : len;
		g->g_reply[0] = 'O';
		tohex(g->g_reply + 1, text, n);
		gdbwire_send(&g->g_wire, g->g_reply, 1 + 2 * n);
		text += n;
		len -= n;
	}
}

static void
stop_reply(struct gdbstub *g)
{
	const struct cpu_stop *st = &g->g_stop;
	static const char *const watch[] = { "", "", "watch", "rwatch",
	    "awatch" };
	char *r = g->g_reply;
	size_t len = sizeof(g->g_reply);

	switch (st->cs_why) {
	case CPU_STOP_INTERRUPT:
		snprintf(r, len, "T02thread:1;");
		break;
	case CPU_STOP_SWBREAK:
		snprintf(r, len, "T05thread:1;swbreak:;");
		break;
	case CPU_STOP_HWBREAK:
		snprintf(r, len, "T05thread:1;hwbreak:;");
		break;
	case CPU_STOP_WATCH:
		snprintf(r, len, "T05thread:1;%s:%" PRIx64 ";",
		    watch[st->cs_watch], st->cs_addr);
		break;
	default:
		snprintf(r, len, "T05thread:1;");
		break;
	}
	gdbwire_sendstr(&g->g_wire, r);
}

/* Why a stop the protocol cannot say happened, for gdb's console. */
static void
stop_notice(struct gdbstub *g)
{
	char text[256];
	int bits = cpu_debug_code_bits();

	text[0] = '\0';
	if (g->g_stop.cs_why == CPU_STOP_VMGEXIT)
		snprintf(text, sizeof(text), "sevemu: stopped before VMGEXIT "
		    "at 0x%" PRIx64 " (GHCB MSR 0x%" PRIx64 ")\n",
		    g->g_stop.cs_rip, cpu_ghcb_msr());
	else if (g->g_stop.cs_why == CPU_STOP_VC)
		snprintf(text, sizeof(text), "sevemu: stopped at the #VC "
		    "handler, 0x%" PRIx64 ", for exit code 0x%" PRIx64 " (%s)\n",
		    g->g_stop.cs_rip, g->g_stop.cs_code,
		    svm_exit_name(g->g_stop.cs_code));
	if (text[0] != '\0')
		console(g, text);
	if (bits != g->g_bits) {
		snprintf(text, sizeof(text), "sevemu: the guest now runs "
		    "%d-bit code; gdb has the %d-bit registers: `disconnect`, "
		    "`set architecture %s` and `target remote :%d` to get the "
		    "%d-bit ones\n", bits, g->g_bits,
		    bits == 64 ? "i386:x86-64" : "i386", g->g_wire.w_port, bits);
		console(g, text);
	}
}

static void
read_regs(struct gdbstub *g)
{
	uint8_t buf[16];
	size_t o = 0, sz;
	int i, n = gdbregs_count(g->g_bits);

	for (i = 0; i < n; i++) {
		sz = gdbregs_size(g->g_bits, i);
		if (gdbregs_read(g->g_bits, i, buf) == 0)
			o += tohex(g->g_reply + o, buf, sz);
		else {
			memset(g->g_reply + o, 'x', 2 * sz);
			o += 2 * sz;
		}
	}
	g->g_reply[o] = '\0';
	gdbwire_sendstr(&g->g_wire, g->g_reply);
}

static void
read_reg(struct gdbstub *g, const char *p)
{
	uint8_t buf[16];
	uint64_t n;

	if (hexnum(&p, &n) != 0 || *p != '\0' || n >= (uint64_t)gdbregs_count(
	    g->g_bits) || gdbregs_read(g->g_bits, (int)n, buf) != 0) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	tohex(g->g_reply, buf, gdbregs_size(g->g_bits, (int)n));
	gdbwire_sendstr(&g->g_wire, g->g_reply);
}

static void
write_reg(struct gdbstub *g, const char *p)
{
	uint8_t buf[16];
	uint64_t n;
	size_t sz;

	if (hexnum(&p, &n) != 0 || *p++ != '=' ||
	    n >= (uint64_t)gdbregs_count(g->g_bits) ||
	    (sz = gdbregs_size(g->g_bits, (int)n)) * 2 != strlen(p) ||
	    fromhex(p, 2 * sz, buf) != 0 ||
	    gdbregs_write(g->g_bits, (int)n, buf) != 0) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	gdbwire_sendstr(&g->g_wire, "OK");
}

/* G: every register; those sevemu will not write must be unchanged. */
static void
write_regs(struct gdbstub *g, const char *p)
{
	uint8_t buf[16], cur[16];
	size_t sz, len = strlen(p);
	int i, n = gdbregs_count(g->g_bits);

	for (i = 0; i < n && len > 0; i++) {
		sz = gdbregs_size(g->g_bits, i);
		if (len < 2 * sz || fromhex(p, 2 * sz, buf) != 0)
			break;
		if (gdbregs_read(g->g_bits, i, cur) != 0 ||
		    memcmp(buf, cur, sz) != 0)
			if (gdbregs_write(g->g_bits, i, buf) != 0)
				break;
		p += 2 * sz;
		len -= 2 * sz;
	}
	gdbwire_sendstr(&g->g_wire, len == 0 ? "OK" : "E01");
}

static void
read_mem(struct gdbstub *g, const char *p)
{
	uint8_t buf[GDBWIRE_MAX / 2];
	uint64_t addr, len, done, n;

	if (hexnum(&p, &addr) != 0 || *p++ != ',' || hexnum(&p, &len) != 0) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	if (len > sizeof(buf) / 2)
		len = sizeof(buf) / 2;
	/* As much as is mapped from the start, page by page. */
	for (done = 0; done < len; done += n) {
		n = 4096 - ((addr + done) & 0xfff);
		if (n > len - done)
			n = len - done;
		if (cpu_debug_read(addr + done, buf + done, n) != 0)
			break;
	}
	if (done == 0) {
		gdbwire_sendstr(&g->g_wire, "E14");
		return;
	}
	tohex(g->g_reply, buf, done);
	gdbwire_sendstr(&g->g_wire, g->g_reply);
}

static void
write_mem(struct gdbstub *g, const char *p, size_t plen, int binary)
{
	uint8_t buf[GDBWIRE_MAX];
	const char *start = p;
	uint64_t addr, len;
	size_t left;

	if (hexnum(&p, &addr) != 0 || *p++ != ',' || hexnum(&p, &len) != 0 ||
	    *p++ != ':' || len > sizeof(buf)) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	left = plen - (size_t)(p - start);
	if (binary ? left != len : (left != 2 * len ||
	    fromhex(p, left, buf) != 0)) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	if (binary)
		memcpy(buf, p, len);
	gdbwire_sendstr(&g->g_wire, len == 0 ||
	    cpu_debug_write(addr, buf, len) == 0 ? "OK" : "E14");
}

static void
breakpoint(struct gdbstub *g, const char *p, int insert)
{
	uint64_t type, addr, kind;
	int rc;

	if (hexnum(&p, &type) != 0 || *p++ != ',' || hexnum(&p, &addr) != 0 ||
	    *p++ != ',' || hexnum(&p, &kind) != 0) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	if (type <= 1)
		rc = cpu_debug_break(&g->g_dbg, type == 1, addr, insert);
	else if (type <= 4)
		rc = cpu_debug_watch(&g->g_dbg, (enum cpu_watch_kind)type, addr,
		    kind, insert);
	else {
		gdbwire_sendstr(&g->g_wire, "");
		return;
	}
	gdbwire_sendstr(&g->g_wire, rc == 0 ? "OK" : "E0e");
}

static void
xfer_features(struct gdbstub *g, const char *p)
{
	const char *xml;
	uint64_t off, len;
	size_t total;

	if (strncmp(p, "target.xml:", 11) != 0) {
		gdbwire_sendstr(&g->g_wire, "E00");
		return;
	}
	p += 11;
	if (hexnum(&p, &off) != 0 || *p++ != ',' || hexnum(&p, &len) != 0) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	if ((xml = gdbregs_tdesc(g->g_bits)) == NULL) {
		gdbwire_sendstr(&g->g_wire, "E00");
		return;
	}
	total = strlen(xml);
	if (off >= total) {
		gdbwire_sendstr(&g->g_wire, "l");
		return;
	}
	if (len > total - off)
		len = total - off;
	if (len > GDBWIRE_MAX - 1)
		len = GDBWIRE_MAX - 1;
	g->g_reply[0] = off + len < total ? 'm' : 'l';
	memcpy(g->g_reply + 1, xml + off, len);
	gdbwire_send(&g->g_wire, g->g_reply, 1 + len);
}

static void
monitor(struct gdbstub *g, const char *p)
{
	char cmd[512], out[8192];
	size_t n = strlen(p);

	if (n % 2 != 0 || n / 2 >= sizeof(cmd) ||
	    fromhex(p, n, (uint8_t *)cmd) != 0) {
		gdbwire_sendstr(&g->g_wire, "E01");
		return;
	}
	cmd[n / 2] = '\0';
	out[0] = '\0';
	gdbmon_run(g, cmd, out, sizeof(out));
	console(g, out);
	gdbwire_sendstr(&g->g_wire, "OK");
}

/* vCont: the first action for our one thread says what happens. */
static int
vcont(struct gdbstub *g, const char *p, enum cpu_resume *r)
{
	if (strcmp(p, "?") == 0) {
		gdbwire_sendstr(&g->g_wire, "vCont;c;C;s;S");
		return (0);
	}
	if (*p != ';') {
		gdbwire_sendstr(&g->g_wire, "");
		return (0);
	}
	p++;
	if (*p == 's' || *p == 'S')
		*r = CPU_RESUME_STEP;
	else if (*p == 'c' || *p == 'C')
		*r = CPU_RESUME_CONTINUE;
	else {
		gdbwire_sendstr(&g->g_wire, "E01");
		return (0);
	}
	return (1);
}

static int
query(struct gdbstub *g, const char *p)
{
	if (strncmp(p, "qSupported", 10) == 0) {
		/* A new gdb: the layout is the one for the mode now. */
		g->g_bits = cpu_debug_code_bits();
		return (gdbwire_sendstr(&g->g_wire, g->g_bits == 64 ?
		    "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;"
		    "QStartNoAckMode+;vContSupported+" :
		    "PacketSize=4000;swbreak+;hwbreak+;QStartNoAckMode+;"
		    "vContSupported+"));
	}
	if (strcmp(p, "QStartNoAckMode") == 0) {
		gdbwire_sendstr(&g->g_wire, "OK");
		g->g_wire.w_noack = 1;
		return (0);
	}
	if (strncmp(p, "qXfer:features:read:", 20) == 0) {
		xfer_features(g, p + 20);
		return (0);
	}
	if (strncmp(p, "qRcmd,", 6) == 0) {
		monitor(g, p + 6);
		return (0);
	}
	if (strcmp(p, "qAttached") == 0)
		return (gdbwire_sendstr(&g->g_wire, "1"));
	if (strcmp(p, "qC") == 0)
		return (gdbwire_sendstr(&g->g_wire, "QC1"));
	if (strcmp(p, "qfThreadInfo") == 0)
		return (gdbwire_sendstr(&g->g_wire, "m1"));
	if (strcmp(p, "qsThreadInfo") == 0)
		return (gdbwire_sendstr(&g->g_wire, "l"));
	if (strncmp(p, "qSymbol", 7) == 0)
		return (gdbwire_sendstr(&g->g_wire, "OK"));
	return (gdbwire_sendstr(&g->g_wire, ""));
}

/*
 * Serves gdb until it resumes the guest.  Returns 1 with *r set, or
 * 0 when gdb detached (the guest runs on, free of breakpoints).
 */
static int
serve(struct gdbstub *g, enum cpu_resume *r)
{
	struct gdbwire *w = &g->g_wire;
	const char *p;

	for (;;) {
		if (w->w_fd < 0) {
			/* Stopped with no gdb: wait for the next one. */
			if (gdbwire_accept(w) != 0)
				return (0);
			g->g_running = 0;
		}
		if (gdbwire_recv(w) != 0)
			continue;
		p = w->w_in;
		switch (p[0]) {
		case '?':
			stop_reply(g);
			break;
		case 'q':
		case 'Q':
			query(g, p);
			break;
		case 'g':
			read_regs(g);
			break;
		case 'G':
			write_regs(g, p + 1);
			break;
		case 'p':
			read_reg(g, p + 1);
			break;
		case 'P':
			write_reg(g, p + 1);
			break;
		case 'm':
			read_mem(g, p + 1);
			break;
		case 'M':
			write_mem(g, p + 1, w->w_inlen - 1, 0);
			break;
		case 'X':
			write_mem(g, p + 1, w->w_inlen - 1, 1);
			break;
		case 'Z':
		case 'z':
			breakpoint(g, p + 1, p[0] == 'Z');
			break;
		case 'H':
		case 'T':
			gdbwire_sendstr(w, "OK");
			break;
		case 'c':
		case 's':
			/* An address to resume at is not supported. */
			if (p[1] != '\0') {
				gdbwire_sendstr(w, "E01");
				break;
			}
			*r = p[0] == 's' ? CPU_RESUME_STEP :
			    CPU_RESUME_CONTINUE;
			return (1);
		case 'v':
			if (strncmp(p, "vCont", 5) == 0) {
				if (vcont(g, p + 5, r))
					return (1);
			} else if (strncmp(p, "vKill", 5) == 0) {
				gdbwire_sendstr(w, "OK");
				*r = CPU_RESUME_KILL;
				return (1);
			} else
				gdbwire_sendstr(w, "");
			break;
		case 'k':
			*r = CPU_RESUME_KILL;
			return (1);
		case 'D':
			gdbwire_sendstr(w, "OK");
			gdbwire_hangup(w);
			return (0);
		default:
			gdbwire_sendstr(w, "");
			break;
		}
	}
}

static enum cpu_resume
stopped(void *arg, const struct cpu_stop *st)
{
	struct gdbstub *g = arg;
	enum cpu_resume r = CPU_RESUME_CONTINUE;

	g->g_stop = *st;
	if (g->g_bits == 0)
		g->g_bits = cpu_debug_code_bits();
	if (g->g_running && g->g_wire.w_fd >= 0) {
		stop_notice(g);
		stop_reply(g);
	}
	g->g_running = 0;
	if (serve(g, &r) == 0) {
		cpu_debug_clear(&g->g_dbg);
		r = CPU_RESUME_CONTINUE;
	}
	g->g_running = 1;
	return (r);
}

static int
poll_wire(void *arg)
{
	struct gdbstub *g = arg;
	int gone, rc, was = g->g_wire.w_fd >= 0;

	rc = gdbwire_poll(&g->g_wire, &gone);
	if (!was && g->g_wire.w_fd >= 0) {
		/* A new gdb: it asks why the guest stopped. */
		g->g_running = 0;
		return (1);
	}
	/* A gdb that vanished leaves no breakpoints behind. */
	if (gone)
		cpu_debug_clear(&g->g_dbg);
	if (rc && g->g_wire.w_fd >= 0 && !gone)
		return (1);
	return (0);
}

void
gdbstub_end(struct gdbstub *g, int status, const char *summary)
{
	char reply[8];

	if (!g->g_running || g->g_wire.w_fd < 0)
		return;
	if (summary != NULL)
		console(g, summary);
	snprintf(reply, sizeof(reply), "W%02x", status & 0xff);
	gdbwire_sendstr(&g->g_wire, reply);
	g->g_running = 0;
}

void
gdbstub_close(struct gdbstub *g)
{
	gdbwire_close(&g->g_wire);
}
