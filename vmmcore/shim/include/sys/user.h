/*
 * sys/user.h - the u-area.
 */
#ifndef _SHIM_SYS_USER_H_
#define _SHIM_SYS_USER_H_

#include <machine/pcb.h>

struct user {
	struct pcb	u_pcb;
};

#endif /* _SHIM_SYS_USER_H_ */
