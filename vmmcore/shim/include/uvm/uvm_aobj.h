/*
 * uvm/uvm_aobj.h - anonymous memory objects (shim/uvm_map.c).
 */
#ifndef _SHIM_UVM_UVM_AOBJ_H_
#define _SHIM_UVM_UVM_AOBJ_H_

#include <uvm/uvm_extern.h>

#define UAO_FLAG_KERNOBJ	0x1
#define UAO_FLAG_KERNSWAP	0x2
#define UAO_FLAG_CANFAIL	0x4	/* NULL rather than waiting */

struct uvm_object *uao_create(vsize_t, int);
void	uao_reference(struct uvm_object *);
void	uao_detach(struct uvm_object *);

#endif /* _SHIM_UVM_UVM_AOBJ_H_ */
