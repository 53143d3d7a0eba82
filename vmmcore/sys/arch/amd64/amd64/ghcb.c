/*
 * ghcb.c - GHCB valid-bitmap helpers for the host side of SEV-ES.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>

#include <machine/ghcb.h>

/*
 * The bitmap is GHCB_VB_SZ bytes, one bit per quadword: it covers
 * offsets below GHCB_VB_SZ * 64, the register save area.  Fields past
 * it (the shared buffer, version, usage) have no valid bit.
 */
#define GHCB_VB_LIMIT	(GHCB_VB_SZ * 8 * 8)

void
ghcb_clear(struct ghcb_sa *ghcb)
{
	memset(ghcb, 0, sizeof(*ghcb));
}

/*
 * Marks the quadword at offset off valid.  Returns 1 for an offset the
 * bitmap has no bit for.
 */
int
ghcb_valbm_set(uint8_t *bm, int off)
{
	if (off < 0 || off >= GHCB_VB_LIMIT)
		return (1);

	bm[GHCB_IDX(off)] |= (1 << GHCB_BIT(off));

	return (0);
}

/* Non-zero if the quadword at offset off is marked valid. */
int
ghcb_valbm_isset(uint8_t *bm, int off)
{
	if (off < 0 || off >= GHCB_VB_LIMIT)
		return (0);

	return (bm[GHCB_IDX(off)] & (1 << GHCB_BIT(off)));
}

/* Every request names its exit code and both exit information words. */
int
ghcb_valid(struct ghcb_sa *ghcb)
{
	uint8_t *bm = ghcb->valid_bitmap;

	return (ghcb_valbm_isset(bm, GHCB_SW_EXITCODE) &&
	    ghcb_valbm_isset(bm, GHCB_SW_EXITINFO1) &&
	    ghcb_valbm_isset(bm, GHCB_SW_EXITINFO2));
}

/*
 * Returns non-zero if a bit set in expected_bm is clear in valid_bm,
 * that is, if something the request needs was not provided.
 */
int
ghcb_verify_bm(uint8_t *valid_bm, uint8_t *expected_bm)
{
	int i;

	for (i = 0; i < GHCB_VB_SZ; i++)
		if ((expected_bm[i] & ~valid_bm[i]) != 0)
			return (1);

	return (0);
}
