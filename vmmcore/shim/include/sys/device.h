/*
 * sys/device.h - autoconf(9) devices, as far as a pseudo-device needs.
 */
#ifndef _SHIM_SYS_DEVICE_H_
#define _SHIM_SYS_DEVICE_H_

enum devclass {
	DV_DULL,
	DV_CPU,
	DV_DISK,
	DV_IFNET,
	DV_TAPE,
	DV_TTY
};

#define DVACT_QUIESCE	2
#define DVACT_SUSPEND	3
#define DVACT_RESUME	4
#define DVACT_WAKEUP	5

struct device {
	enum devclass	dv_class;
	char		dv_xname[16];
	struct device	*dv_parent;
	int		dv_unit;
};

#endif /* _SHIM_SYS_DEVICE_H_ */
