/*
 * vmm_source.c - which vmm this build runs: vmmcore's own handler, or
 * the tree VMM_TREE named (vmmcore/CMakeLists.txt sets both strings).
 */
#include "shim.h"

const char *
shim_vmm_source(void)
{
	return (SEVEMU_VMM_TREE_REAL ? SHIM_VMM_SYS : "vmmcore");
}

const char *
shim_vmm_revision(void)
{
	return (SHIM_VMM_REVISION);
}
