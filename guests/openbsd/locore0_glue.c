/*
 * locore0_glue.c - what an OpenBSD kernel's locore0.S needs from the
 * rest of the kernel, for a guest that runs locore0 without it: the
 * variables it writes, with the initial values the kernel gives them.
 * Compiled against the tree's own headers, so the masks are the tree's.
 * init_x86_64, where locore0 hands over to C, is each stage's own
 * (stage1.c, stage2.c).
 */
#include <sys/param.h>
#include <sys/proc.h>
#include <uvm/uvm_extern.h>
#include <machine/pmap.h>
#include <machine/pte.h>
#include <machine/specialreg.h>

#define GLUE_BOOTINFO_MAX	4096	/* one page, as machdep.c has it */

/* locore0 copies the boot arguments here. */
int		 boothowto;
dev_t		 bootdev;
u_int		 bootapiver;
int		 biosbasemem;
char		 bootinfo[GLUE_BOOTINFO_MAX];
int		 bootinfo_size = GLUE_BOOTINFO_MAX;
char		*ssym, *esym;

/* CPU identification, SEV detection and the page table masks. */
int		 cpuid_level;
char		 cpu_vendor[16];
int		 cpu_id, cpu_ebxfeature, cpu_ecxfeature, cpu_feature;
int		 cpu_sev_guestmode;
int		 cpu_meltdown;
pt_entry_t	 pg_nx;
pt_entry_t	 pg_g_kern;
pt_entry_t	 pg_crypt;
pt_entry_t	 pg_frame = PG_FRAME;
pt_entry_t	 pg_lgframe = PG_LGFRAME;
/* A boot loader randomizes it; sevemu runs the first slot. */
char		 pmap_direct_rand __attribute__((section(".openbsd.randomdata")));

/* Set up by locore0 in long mode. */
u_long		 atdevbase;
struct user	*proc0paddr;

/*
 * ghcb.c defines these where it is linked (stage 2); 7.8's locore0
 * sets ghcb_vaddr itself.
 */
vaddr_t		 ghcb_vaddr __attribute__((weak));
paddr_t		 ghcb_paddr __attribute__((weak));

/* init_x86_64's argument: the first physical page after the tables. */
paddr_t		 sevemu_first_avail;
/* The kernel's own constants, for the test to compare against. */
const uint64_t	 sevemu_pg_frame_initial = PG_FRAME;
const uint64_t	 sevemu_pg_lgframe_initial = PG_LGFRAME;
const uint64_t	 sevemu_pdir_slot_pte = PDIR_SLOT_PTE;
const uint64_t	 sevemu_pdir_slot_direct = PDIR_SLOT_DIRECT;
const uint64_t	 sevemu_l4_slot_kernbase = L4_SLOT_KERNBASE;
const uint64_t	 sevemu_kernbase = KERNBASE;
#ifdef DIRECT_MAP_START_MASK
const uint64_t	 sevemu_direct_map_start_mask = DIRECT_MAP_START_MASK;
#else
const uint64_t	 sevemu_direct_map_start_mask = 0;	/* not randomized */
#endif
const uint64_t	 sevemu_cr0_default = CR0_DEFAULT;
const uint64_t	 sevemu_cr4_default = CR4_DEFAULT;
const uint64_t	 sevemu_pg_v = PG_V;
const uint64_t	 sevemu_pg_rw = PG_RW;
const uint64_t	 sevemu_pg_ps = PG_PS;
