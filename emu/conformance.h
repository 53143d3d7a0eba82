/*
 * conformance.h - the CPU knows what the GHCB specification (AMD
 * 56421) requires of a hypervisor and says when a handler departs from
 * it: a finding in the trace and in the run's result, not a crash.
 */
#ifndef SEVEMU_CONFORMANCE_H
#define SEVEMU_CONFORMANCE_H

#include <stdint.h>

#define CONF_MAXFINDINGS	16

/* At a VMGEXIT: remember what the guest handed over. */
void	conformance_exit(uint64_t ghcb_msr);
/* At the VMRUN that resumes the guest: check what the handler left. */
void	conformance_resume(uint64_t ghcb_msr);
/* Records a finding (also used by the memory checks). */
void	conformance_finding(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	conformance_reset(void);

unsigned int	 conformance_count(void);
const char	*conformance_text(unsigned int i);

#endif /* SEVEMU_CONFORMANCE_H */
