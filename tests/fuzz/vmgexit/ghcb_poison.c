/*
 * ghcb_poison.c - the page-access oracle (ghcb_poison.h): ASan's
 * renamed memory-access callbacks for the handler's sources.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ghcb_poison.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GA_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define GA_ASAN 1
#endif

#ifdef GA_ASAN
#include <sanitizer/asan_interface.h>
void	*__asan_memcpy(void *, const void *, size_t);
void	*__asan_memmove(void *, const void *, size_t);
void	*__asan_memset(void *, int, size_t);
#endif

static struct ga_ram *rams[2];
static uintptr_t rams_lo = UINTPTR_MAX, rams_hi;	/* spans both */
static int hook_calls;
#ifdef GA_ASAN
static uintptr_t shadow_offset;
static size_t shadow_scale;
#endif

void
ga_attach(int slot, struct ga_ram *r)
{
	int i;

	rams[slot] = r;
	rams_lo = UINTPTR_MAX;
	rams_hi = 0;
	for (i = 0; i < 2; i++) {
		if (rams[i] == NULL)
			continue;
		if ((uintptr_t)rams[i]->r_base < rams_lo)
			rams_lo = (uintptr_t)rams[i]->r_base;
		if ((uintptr_t)rams[i]->r_base + rams[i]->r_size > rams_hi)
			rams_hi = (uintptr_t)rams[i]->r_base + rams[i]->r_size;
	}
#ifdef GA_ASAN
	if (r != NULL)
		ASAN_POISON_MEMORY_REGION(r->r_base, r->r_size);
#endif
}

int
ga_hooked(void)
{
	return (hook_calls != 0);
}

void
ga_begin(struct ga_ram *r, uint64_t page)
{
	memset(r->r_acc, 0, sizeof(r->r_acc));
	r->r_nread = 0;
	r->r_page = page;
	r->r_active = 1;
}

void
ga_allow(struct ga_ram *r, uint32_t off, uint32_t len, int flags)
{
	uint32_t i, end = off + len;
	uint64_t w;

	if (off >= sizeof(r->r_acc))
		return;
	if (end > sizeof(r->r_acc) || end < off)
		end = sizeof(r->r_acc);
	/* Eight bytes at a time: this runs for the 2 KB shared buffer. */
	for (i = off; i < end && (i & 7) != 0; i++)
		r->r_acc[i] |= flags;
	for (; i + 8 <= end; i += 8) {
		memcpy(&w, r->r_acc + i, 8);
		w |= (uint64_t)(uint8_t)flags * 0x0101010101010101ULL;
		memcpy(r->r_acc + i, &w, 8);
	}
	for (; i < end; i++)
		r->r_acc[i] |= flags;
	if ((flags & GA_READ_OK) && r->r_nread < 16) {
		r->r_read[r->r_nread][0] = off;
		r->r_read[r->r_nread++][1] = end - off;
	}
}

void
ga_poison(struct ga_ram *r)
{
#ifdef GA_ASAN
	uint8_t *page;
	unsigned int i;

	if (r->r_page == GA_NOPAGE || r->r_page >= r->r_size)
		return;
	page = r->r_base + r->r_page;
	ASAN_POISON_MEMORY_REGION(page, sizeof(r->r_acc));
	for (i = 0; i < r->r_nread; i++)
		ASAN_UNPOISON_MEMORY_REGION(page + r->r_read[i][0],
		    r->r_read[i][1]);
#else
	(void)r;
#endif
}

void
ga_open(struct ga_ram *r, uint64_t gpa)
{
#ifdef GA_ASAN
	ASAN_UNPOISON_MEMORY_REGION(r->r_base + gpa, sizeof(r->r_acc));
#else
	(void)r;
	(void)gpa;
#endif
}

void
ga_end(struct ga_ram *r)
{
	r->r_active = 0;
	if (r->r_page != GA_NOPAGE && r->r_page < r->r_size)
		ga_open(r, r->r_page);
}

void
ga_close(struct ga_ram *r)
{
#ifdef GA_ASAN
	if (r->r_base != NULL)
		ASAN_UNPOISON_MEMORY_REGION(r->r_base, r->r_size);
#else
	(void)r;
#endif
}

#ifdef GA_ASAN
static struct ga_ram *
ram_of(uintptr_t a)
{
	int i;

	if (__builtin_expect(a < rams_lo || a >= rams_hi, 1))
		return (NULL);
	for (i = 0; i < 2; i++)
		if (rams[i] != NULL && a >= (uintptr_t)rams[i]->r_base &&
		    a - (uintptr_t)rams[i]->r_base < rams[i]->r_size)
			return (rams[i]);
	return (NULL);
}

/* An access to guest RAM: the rules of the current request. */
static void
ram_access(struct ga_ram *r, uintptr_t a, size_t n, int write)
{
	uint64_t gpa = a - (uintptr_t)r->r_base, off;
	const char *what = write ? "wrote" : "read";
	size_t i;
	uint8_t *acc;

	if (!r->r_active) {
		ga_finding("%s: handler %s guest RAM at GPA 0x%llx outside "
		    "any request", r->r_name, what, (unsigned long long)gpa);
		return;
	}
	if (r->r_page == GA_NOPAGE || (gpa & ~0xfffULL) != r->r_page ||
	    ((gpa + n - 1) & ~0xfffULL) != r->r_page) {
		if (r->r_page == GA_NOPAGE)
			ga_finding("%s: handler %s guest RAM at GPA 0x%llx (%zu "
			    "bytes), but the request names no GHCB page",
			    r->r_name, what, (unsigned long long)gpa, n);
		else
			ga_finding("%s: handler %s guest RAM at GPA 0x%llx (%zu "
			    "bytes), which is not the GHCB page 0x%llx the "
			    "GHCB MSR names", r->r_name, what,
			    (unsigned long long)gpa, n,
			    (unsigned long long)r->r_page);
		return;
	}
	off = gpa & 0xfff;
	acc = r->r_acc + off;
	for (i = 0; i < n; i++) {
		if (write) {
			if (!(acc[i] & GA_WRITE_OK)) {
				ga_finding("%s: handler wrote GHCB offset 0x%03llx, "
				    "which is neither the answer's save area "
				    "nor the request's scratch area",
				    r->r_name, (unsigned long long)(off + i));
				return;
			}
			acc[i] |= GA_OWN;
			continue;
		}
		if (acc[i] & GA_OWN)
			continue;
		if (!(acc[i] & GA_READ_OK)) {
			ga_finding("%s: handler read GHCB offset 0x%03llx (%zu "
			    "bytes at 0x%03llx), which the request does not "
			    "let it read", r->r_name,
			    (unsigned long long)(off + i), n,
			    (unsigned long long)off);
			return;
		}
		if (acc[i] & GA_WAS_READ) {
			ga_finding("%s: handler read GHCB offset 0x%03llx twice "
			    "(a double fetch: %zu bytes at 0x%03llx)",
			    r->r_name, (unsigned long long)(off + i), n,
			    (unsigned long long)off);
			return;
		}
		acc[i] |= GA_WAS_READ;
	}
}

/*
 * The handler's accesses.  In guest RAM the rules above; elsewhere the
 * shadow check ASan's inline instrumentation would have made.
 */
#define GA_NOASAN __attribute__((no_sanitize("address")))

static void __attribute__((constructor))
shadow_init(void)
{
	__asan_get_shadow_mapping(&shadow_scale, &shadow_offset);
}

/* Not instrumented itself: it reads ASan's shadow, as ASan's checks do. */
static inline __attribute__((always_inline)) GA_NOASAN void
check(uintptr_t a, size_t n, int write)
{
	struct ga_ram *r;

	hook_calls = 1;
	if (__builtin_expect((r = ram_of(a)) != NULL, 0)) {
		ram_access(r, a, n, write);
		return;
	}
	/* One shadow byte covers an aligned access of up to 8 bytes. */
	if (n <= 8 && (a & 7) + n <= 8) {
		int8_t sh = *(int8_t *)((a >> shadow_scale) + shadow_offset);

		if (__builtin_expect(sh == 0 || (int8_t)((a & 7) + n - 1) < sh,
		    1))
			return;
	}
	if (__builtin_expect(__asan_region_is_poisoned((void *)a, n) != NULL,
	    0))
		__asan_report_error(__builtin_return_address(0),
		    __builtin_frame_address(0), __builtin_frame_address(0),
		    (void *)a, write, n);
}

#define GA_HOOKS(n)							\
void __ghcbhook_load##n(uintptr_t);					\
void __ghcbhook_store##n(uintptr_t);					\
GA_NOASAN void __ghcbhook_load##n(uintptr_t a) { check(a, n, 0); }	\
GA_NOASAN void __ghcbhook_store##n(uintptr_t a) { check(a, n, 1); }
GA_HOOKS(1)
GA_HOOKS(2)
GA_HOOKS(4)
GA_HOOKS(8)
GA_HOOKS(16)

void	__ghcbhook_loadN(uintptr_t, size_t);
void	__ghcbhook_storeN(uintptr_t, size_t);
void	*__ghcbhook_memcpy(void *, const void *, size_t);
void	*__ghcbhook_memmove(void *, const void *, size_t);
void	*__ghcbhook_memset(void *, int, size_t);

GA_NOASAN void
__ghcbhook_loadN(uintptr_t a, size_t n)
{
	if (n != 0)
		check(a, n, 0);
}

GA_NOASAN void
__ghcbhook_storeN(uintptr_t a, size_t n)
{
	if (n != 0)
		check(a, n, 1);
}

/* Byte copies that ASan does not check: the rules above already did. */
static GA_NOASAN void
copy_bytes(uint8_t *d, const uint8_t *s, size_t n)
{
	size_t i;

	if (d < s)
		for (i = 0; i < n; i++)
			d[i] = s[i];
	else
		for (i = n; i > 0; i--)
			d[i - 1] = s[i - 1];
}

static GA_NOASAN void
set_bytes(uint8_t *d, int c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (uint8_t)c;
}

static GA_NOASAN void *
move(void *d, const void *s, size_t n, int overlap_ok)
{
	if (n == 0)
		return (d);
	if (ram_of((uintptr_t)d) == NULL && ram_of((uintptr_t)s) == NULL)
		return (overlap_ok ? __asan_memmove(d, s, n) :
		    __asan_memcpy(d, s, n));
	check((uintptr_t)s, n, 0);
	check((uintptr_t)d, n, 1);
	copy_bytes(d, s, n);
	return (d);
}

GA_NOASAN void *
__ghcbhook_memcpy(void *d, const void *s, size_t n)
{
	return (move(d, s, n, 0));
}

GA_NOASAN void *
__ghcbhook_memmove(void *d, const void *s, size_t n)
{
	return (move(d, s, n, 1));
}

GA_NOASAN void *
__ghcbhook_memset(void *d, int c, size_t n)
{
	if (n == 0)
		return (d);
	if (ram_of((uintptr_t)d) == NULL)
		return (__asan_memset(d, c, n));
	check((uintptr_t)d, n, 1);
	set_bytes(d, c, n);
	return (d);
}
#endif /* GA_ASAN */
