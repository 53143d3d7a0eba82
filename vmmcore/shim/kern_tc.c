/*
 * kern_tc.c - the kernel's clocks.  No host clock is read, so that a
 * run stays the same byte for byte: uptime advances by a fixed
 * microsecond each time it is read, and the system booted at the epoch.
 * The TSC is the machine's (rdtsc): the CPU's modelled cycle clock,
 * which no calibration against uptime could measure, so its frequency
 * is unknown to the kernel (0); the vmm then gives guests no pvclock
 * multiplier.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <machine/cpu.h>

#define UPTIME_STEP_NS	1000

uint64_t tsc_frequency;
int tsc_is_invariant;

static uint64_t uptime_ns;

void
nanouptime(struct timespec *ts)
{
	uptime_ns += UPTIME_STEP_NS;
	ts->tv_sec = uptime_ns / 1000000000ULL;
	ts->tv_nsec = uptime_ns % 1000000000ULL;
}

void
nanoboottime(struct timespec *ts)
{
	ts->tv_sec = 0;
	ts->tv_nsec = 0;
}
