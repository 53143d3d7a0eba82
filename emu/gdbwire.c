/*
 * gdbwire.c - the packet layer of gdb's remote serial protocol.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gdbwire.h"

static const char hexdig[] = "0123456789abcdef";

int
gdbwire_listen(struct gdbwire *w, int port, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	int one = 1;

	memset(w, 0, sizeof(*w));
	w->w_fd = -1;
	if ((w->w_lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "gdb: socket: %s", strerror(errno));
		return (-1);
	}
	setsockopt(w->w_lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(w->w_lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(w->w_lfd, 1) != 0 ||
	    getsockname(w->w_lfd, (struct sockaddr *)&sin, &slen) != 0) {
		snprintf(err, errlen, "gdb: cannot listen on 127.0.0.1:%d: %s",
		    port, strerror(errno));
		close(w->w_lfd);
		w->w_lfd = -1;
		return (-1);
	}
	w->w_port = ntohs(sin.sin_port);
	return (0);
}

int
gdbwire_accept(struct gdbwire *w)
{
	int one = 1;

	if (w->w_fd >= 0)
		return (0);
	do
		w->w_fd = accept4(w->w_lfd, NULL, NULL, SOCK_CLOEXEC);
	while (w->w_fd < 0 && errno == EINTR);
	if (w->w_fd < 0)
		return (-1);
	setsockopt(w->w_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	w->w_noack = 0;
	w->w_pos = w->w_len = 0;
	return (0);
}

void
gdbwire_hangup(struct gdbwire *w)
{
	if (w->w_fd >= 0)
		close(w->w_fd);
	w->w_fd = -1;
	w->w_pos = w->w_len = 0;
}

void
gdbwire_close(struct gdbwire *w)
{
	gdbwire_hangup(w);
	if (w->w_lfd >= 0)
		close(w->w_lfd);
	w->w_lfd = -1;
}

/* One byte of the connection, blocking; -1 when it closed. */
static int
getbyte(struct gdbwire *w)
{
	ssize_t n;

	if (w->w_pos == w->w_len) {
		do
			n = read(w->w_fd, w->w_buf, sizeof(w->w_buf));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return (-1);
		w->w_pos = 0;
		w->w_len = (size_t)n;
	}
	return (w->w_buf[w->w_pos++]);
}

int
gdbwire_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

static int
putall(struct gdbwire *w, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		/* A gdb that went away must not kill sevemu with SIGPIPE. */
		n = send(w->w_fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

int
gdbwire_recv(struct gdbwire *w)
{
	unsigned int sum, want;
	int c, h, l, esc;

	if (w->w_fd < 0)
		return (-1);
	for (;;) {
		/* Acks, interrupts and noise before a packet are dropped. */
		while ((c = getbyte(w)) != '$')
			if (c < 0)
				goto gone;
		w->w_inlen = 0;
		sum = 0;
		esc = 0;
		while ((c = getbyte(w)) != '#') {
			if (c < 0)
				goto gone;
			sum += (unsigned int)c;
			if (c == '}' && !esc) {
				esc = 1;
				continue;
			}
			if (esc)
				c ^= 0x20;
			esc = 0;
			if (w->w_inlen < GDBWIRE_MAX)
				w->w_in[w->w_inlen++] = (char)c;
		}
		if ((h = getbyte(w)) < 0 || (l = getbyte(w)) < 0)
			goto gone;
		want = (unsigned int)(gdbwire_hexval(h) << 4 | gdbwire_hexval(l));
		if (w->w_noack)
			break;
		if ((sum & 0xff) == want && gdbwire_hexval(h) >= 0 && gdbwire_hexval(l) >= 0) {
			if (putall(w, "+", 1) != 0)
				goto gone;
			break;
		}
		if (putall(w, "-", 1) != 0)
			goto gone;
	}
	w->w_in[w->w_inlen] = '\0';
	return (0);
gone:
	gdbwire_hangup(w);
	return (-1);
}

int
gdbwire_send(struct gdbwire *w, const char *data, size_t len)
{
	unsigned int sum = 0;
	size_t i, o = 0;
	int c;

	if (w->w_fd < 0)
		return (-1);
	w->w_out[o++] = '$';
	for (i = 0; i < len && o < sizeof(w->w_out) - 4; i++) {
		c = (unsigned char)data[i];
		if (c == '$' || c == '#' || c == '}' || c == '*') {
			w->w_out[o++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		w->w_out[o++] = (char)c;
		sum += (unsigned int)c;
	}
	w->w_out[o++] = '#';
	w->w_out[o++] = hexdig[(sum >> 4) & 0xf];
	w->w_out[o++] = hexdig[sum & 0xf];
	for (;;) {
		if (putall(w, w->w_out, o) != 0)
			goto gone;
		if (w->w_noack)
			return (0);
		while ((c = getbyte(w)) != '+' && c != '-')
			if (c < 0)
				goto gone;
		if (c == '+')
			return (0);
	}
gone:
	gdbwire_hangup(w);
	return (-1);
}

int
gdbwire_sendstr(struct gdbwire *w, const char *s)
{
	return (gdbwire_send(w, s, strlen(s)));
}

int
gdbwire_poll(struct gdbwire *w, int *gone)
{
	struct pollfd pfd;
	ssize_t n;
	size_t i;

	*gone = 0;
	pfd.fd = w->w_fd >= 0 ? w->w_fd : w->w_lfd;
	pfd.events = POLLIN;
	if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0)
		return (0);
	if (w->w_fd < 0)
		return (gdbwire_accept(w) == 0);
	w->w_pos = w->w_len = 0;
	n = read(w->w_fd, w->w_buf, sizeof(w->w_buf));
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		gdbwire_hangup(w);
		*gone = 1;
		return (0);
	}
	/* While the guest runs gdb sends nothing but the interrupt. */
	for (i = 0; n > 0 && i < (size_t)n; i++)
		if (w->w_buf[i] == 0x03)
			return (1);
	return (0);
}
