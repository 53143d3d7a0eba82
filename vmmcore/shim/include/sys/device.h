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

/*
 * A driver's autoconf glue: its name and instances (cfdriver), and how
 * to match, attach and detach one (cfattach).  The shim attaches vmm(4)
 * by hand (shim/autoconf.c) and reads none of this; a driver defines
 * them as it would in a kernel.
 */
struct cfdriver {
	void		**cd_devs;
	const char	*cd_name;
	enum devclass	 cd_class;
	int		 cd_mode;
#define CD_INDIRECT		1
#define CD_SKIPHIBERNATE	2
	int		 cd_ndevs;
};

struct cfattach {
	size_t	  ca_devsize;
	int	(*ca_match)(struct device *, void *, void *);
	void	(*ca_attach)(struct device *, struct device *, void *);
	int	(*ca_detach)(struct device *, int);
	int	(*ca_activate)(struct device *, int);
};

#endif /* _SHIM_SYS_DEVICE_H_ */
