/*
 * dev/pv/pvreg.h - KVM paravirtual clock interface, which vmm(4)
 * offers guests.
 */
#ifndef _SHIM_DEV_PV_PVREG_H_
#define _SHIM_DEV_PV_PVREG_H_

#include <sys/types.h>

#define KVM_FEATURE_NOP_IO_DELAY		1
#define KVM_FEATURE_CLOCKSOURCE2		3
#define KVM_FEATURE_CLOCKSOURCE_STABLE_BIT	24

#define KVM_MSR_WALL_CLOCK			0x4b564d00
#define KVM_MSR_SYSTEM_TIME			0x4b564d01

/* KVM_MSR_SYSTEM_TIME bit 0: the guest asks for updates. */
#define PVCLOCK_SYSTEM_TIME_ENABLE		0x01
/* pvclock_time_info.ti_flags: the TSC is stable across CPUs. */
#define PVCLOCK_FLAG_TSC_STABLE			0x01

struct pvclock_wall_clock {
	uint32_t	wc_version;
	uint32_t	wc_sec;
	uint32_t	wc_nsec;
} __packed;

struct pvclock_time_info {
	uint32_t	ti_version;
	uint32_t	ti_pad0;
	uint64_t	ti_tsc_timestamp;
	uint64_t	ti_system_time;
	uint32_t	ti_tsc_to_system_mul;
	int8_t		ti_tsc_shift;
	uint8_t		ti_flags;
	uint8_t		ti_pad[2];
} __packed;

#endif /* _SHIM_DEV_PV_PVREG_H_ */
