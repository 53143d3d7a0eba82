/*
 * sys/tracepoint.h - dt(4) static probes, compiled out.
 */
#ifndef _SHIM_SYS_TRACEPOINT_H_
#define _SHIM_SYS_TRACEPOINT_H_

#define TRACEPOINT(func, name, args...)	do { } while (0)

#endif /* _SHIM_SYS_TRACEPOINT_H_ */
