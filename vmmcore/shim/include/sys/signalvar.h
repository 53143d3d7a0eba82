/*
 * sys/signalvar.h - pending signals.  Nothing signals the shim's one
 * thread, but the test is kept so that code reads as in a kernel.
 */
#ifndef _SHIM_SYS_SIGNALVAR_H_
#define _SHIM_SYS_SIGNALVAR_H_

#include <sys/proc.h>

#define SIGPENDING(p)	((p)->p_siglist != 0)

#endif /* _SHIM_SYS_SIGNALVAR_H_ */
