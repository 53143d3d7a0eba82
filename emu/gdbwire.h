/*
 * gdbwire.h - gdb's remote serial protocol on a TCP socket: one
 * listening socket on 127.0.0.1, one debugger at a time, packets
 * framed as $data#checksum, acknowledged until gdb turns that off.
 */
#ifndef SEVEMU_GDBWIRE_H
#define SEVEMU_GDBWIRE_H

#include <stddef.h>
#include <stdint.h>

/* Our PacketSize: the largest packet either side sends. */
#define GDBWIRE_MAX	16384

struct gdbwire {
	int	 w_lfd;		/* listening socket */
	int	 w_fd;		/* the debugger's connection, -1: none */
	int	 w_port;
	int	 w_noack;	/* QStartNoAckMode */
	char	 w_in[GDBWIRE_MAX + 1];	/* the last packet, unescaped */
	size_t	 w_inlen;
	uint8_t	 w_buf[4096];	/* bytes read, not yet parsed */
	size_t	 w_pos, w_len;
	char	 w_out[2 * GDBWIRE_MAX + 8];
};

/* Port 0 takes any free port; w_port says which. */
int	gdbwire_listen(struct gdbwire *, int port, char *err, size_t errlen);
/* Waits for a debugger to connect. */
int	gdbwire_accept(struct gdbwire *);
/* The next packet into w_in; -1 when the debugger went away. */
int	gdbwire_recv(struct gdbwire *);
int	gdbwire_send(struct gdbwire *, const char *data, size_t len);
int	gdbwire_sendstr(struct gdbwire *, const char *);
/*
 * Without blocking, while the guest runs: 1 when the debugger sent an
 * interrupt (Ctrl-C) or a new debugger connected, 0 otherwise.  A
 * debugger that went away is hung up on (*gone set).
 */
int	gdbwire_poll(struct gdbwire *, int *gone);
void	gdbwire_hangup(struct gdbwire *);
void	gdbwire_close(struct gdbwire *);

/* The value of a hex digit, or -1. */
int	gdbwire_hexval(int);

#endif /* SEVEMU_GDBWIRE_H */
