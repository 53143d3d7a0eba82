/*
 * hostview.h - the host's view of guest memory: private pages and old
 * GHCBs closed to the handler, each touch a finding.
 */
#ifndef SEVEMU_HOSTVIEW_H
#define SEVEMU_HOSTVIEW_H

#include <stdint.h>

int	hostview_open(void);
void	hostview_close(void);
/* At each exit: the guest's private pages and the current GHCB. */
void	hostview_update(uint64_t ghcb_msr);
void	hostview_report(void);

#endif /* SEVEMU_HOSTVIEW_H */
