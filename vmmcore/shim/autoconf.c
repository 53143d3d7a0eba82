/*
 * autoconf.c - bringing the kernel up and down: identify the CPU,
 * start the page allocator, attach vmm(4).
 *
 * A kernel does this once.  The shim does it at the first VM and
 * undoes it after the last one, because the machine may come back with
 * different host memory for the next VM (each test makes its own).
 */
#include <stdlib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/device.h>
#include <sys/pool.h>

#include <machine/vmmvar.h>

#include <dev/vmm/vmm.h>

#include "shim.h"

static struct {
	int		 b_up;
	uint8_t		*b_direct;	/* host memory at boot */
	uint64_t	 b_kernel_end;
} boot;

int
shim_booted(void)
{
	return (boot.b_up);
}

int
shim_boot(void)
{
	struct vmm_softc *sc;
	int error;

	if (boot.b_up) {
		if (boot.b_direct != seam_physmem.sm_direct ||
		    boot.b_kernel_end != seam_physmem.sm_kernel_end) {
			printf("%s: host memory changed under live VMs\n",
			    __func__);
			return (EBUSY);
		}
		return (0);
	}

	if ((error = shim_km_boot()) != 0)
		return (error);
	shim_cpu_boot();
	if (getenv("SEVEMU_VMM_DEBUG") != NULL)
		vmm_debug = 1;

	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		printf("%s: no host memory for the vmm softc\n", __func__);
		shim_km_shutdown();
		return (ENOMEM);
	}
	strncpy(sc->sc_dev.dv_xname, "vmm0", sizeof(sc->sc_dev.dv_xname) - 1);
	vmm_attach(NULL, &sc->sc_dev, NULL);
	if (sc->mode != VMM_MODE_RVI) {
		vmm_softc = NULL;
		pool_destroy(&vm_pool);
		pool_destroy(&vcpu_pool);
		(free)(sc);
		shim_km_shutdown();
		return (ENODEV);
	}

	boot.b_up = 1;
	boot.b_direct = seam_physmem.sm_direct;
	boot.b_kernel_end = seam_physmem.sm_kernel_end;
	return (0);
}

void
shim_shutdown(void)
{
	if (!boot.b_up)
		return;
	if (vmm_softc->vm_ct != 0)
		panic("%s: %zu VMs still exist", __func__, vmm_softc->vm_ct);

	vmm_stop();
	pool_destroy(&vm_pool);
	pool_destroy(&vcpu_pool);
	(free)(vmm_softc);
	vmm_softc = NULL;
	shim_uvm_shutdown();
	shim_km_shutdown();
	memset(&boot, 0, sizeof(boot));
}
