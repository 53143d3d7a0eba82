/*
 * assert_values.h - Criterion's comparison assertions, printing the
 * values they compared.
 *
 * Criterion's cr_assert_eq(a, b) says only "The expression (a) == (b)
 * is false."  The versions here say what each side was, in decimal and
 * hex, and then the test's own message if it gave one.  Each side is
 * evaluated once, as before.  The test build force-includes this file
 * (-include, tests/CMakeLists.txt), so every suite gets them without
 * an #include and with the assertion names it already uses.
 */
#ifndef SEVEMU_ASSERT_VALUES_H
#define SEVEMU_ASSERT_VALUES_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#define SV_SIGNED_(x) _Generic((x), signed char: 1, short: 1, int: 1,	\
	long: 1, long long: 1, char: CHAR_MIN < 0, default: 0)

/* One side: "name is 43 (0x2b)". */
static inline int __attribute__((unused))
sv_side_(char *buf, size_t len, const char *name, int is_signed,
    unsigned long long v)
{
	if (is_signed)
		return (snprintf(buf, len, "%s is %lld (0x%llx)", name,
		    (long long)v, v));
	return (snprintf(buf, len, "%s is %llu (0x%llx)", name, v, v));
}

static inline void __attribute__((format(printf, 10, 11), unused))
sv_message_(char *buf, size_t len, const char *expr, const char *an,
    int as, unsigned long long av, const char *bn, int bs,
    unsigned long long bv, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	n = snprintf(buf, len, "The expression %s is false: ", expr);
	if (n < len)
		n += sv_side_(buf + n, len - n, an, as, av);
	if (n < len)
		n += snprintf(buf + n, len - n, ", ");
	if (n < len)
		n += sv_side_(buf + n, len - n, bn, bs, bv);
	/* fmt is "\n" and the test's own message, if any. */
	if (n < len && fmt[1] != '\0') {
		va_start(ap, fmt);
		vsnprintf(buf + n, len - n, fmt, ap);
		va_end(ap);
	}
}

/*
 * The comparison is the one Criterion's macro makes, with the same
 * conversions: both sides are held in the type ?: gives them, which is
 * the type == converts them to (and a pointer where the other side is
 * a null pointer constant).  -Wsign-compare is off around it, as a
 * side once a constant is now a variable.
 */
#define SV_CMP_(failfn, op, a, b, ...) do {				\
	__typeof__(1 ? (a) : (b)) sv_a_ = (a);				\
	__typeof__(1 ? (a) : (b)) sv_b_ = (b);				\
	int sv_ok_;							\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"")		\
	sv_ok_ = sv_a_ op sv_b_;					\
	_Pragma("GCC diagnostic pop")					\
	if (!sv_ok_) {							\
		char sv_msg_[1024];					\
									\
		sv_message_(sv_msg_, sizeof(sv_msg_),			\
		    "(" #a ") " #op " (" #b ")", #a, SV_SIGNED_(sv_a_),	\
		    (unsigned long long)sv_a_, #b, SV_SIGNED_(sv_b_),	\
		    (unsigned long long)sv_b_, "\n" __VA_ARGS__);	\
		failfn("%s", sv_msg_);					\
	}								\
} while (0)

/*
 * Strings: their lengths and where they first differ, with some text
 * of each from there.
 */
static inline void __attribute__((format(printf, 6, 7), unused))
sv_str_message_(char *buf, size_t len, const char *expr, const char *a,
    const char *b, const char *fmt, ...)
{
	va_list ap;
	size_t i = 0, n;

	if (a == NULL || b == NULL) {
		n = snprintf(buf, len, "The expression %s is false: %s is "
		    "NULL", expr, a == NULL ? "the first" : "the second");
	} else {
		while (a[i] != '\0' && a[i] == b[i])
			i++;
		n = snprintf(buf, len, "The expression %s is false: lengths "
		    "%zu and %zu, first difference at byte %zu:\n  "
		    "\"%.160s\"\n  \"%.160s\"", expr, strlen(a), strlen(b),
		    i, a + (i > 40 ? i - 40 : 0), b + (i > 40 ? i - 40 : 0));
	}
	if (n < len && fmt[1] != '\0') {
		va_start(ap, fmt);
		vsnprintf(buf + n, len - n, fmt, ap);
		va_end(ap);
	}
}

#define SV_STR_(failfn, op, a, b, ...) do {				\
	const char *sv_a_ = (a), *sv_b_ = (b);				\
									\
	if (sv_a_ == NULL || sv_b_ == NULL ||				\
	    !(strcmp(sv_a_, sv_b_) op 0)) {				\
		char sv_msg_[1024];					\
									\
		sv_str_message_(sv_msg_, sizeof(sv_msg_),		\
		    "(as strings) (" #a ") " #op " (" #b ")", sv_a_,	\
		    sv_b_, "\n" __VA_ARGS__);				\
		failfn("%s", sv_msg_);					\
	}								\
} while (0)

#undef cr_assert_str_eq
#undef cr_expect_str_eq
#define cr_assert_str_eq(...)	SV_STR_(cr_assert_fail, ==, __VA_ARGS__)
#define cr_expect_str_eq(...)	SV_STR_(cr_expect_fail, ==, __VA_ARGS__)

#undef cr_assert_eq
#undef cr_assert_neq
#undef cr_assert_lt
#undef cr_assert_leq
#undef cr_assert_gt
#undef cr_assert_geq
#undef cr_expect_eq
#undef cr_expect_neq
#undef cr_expect_lt
#undef cr_expect_leq
#undef cr_expect_gt
#undef cr_expect_geq
#define cr_assert_eq(...)	SV_CMP_(cr_assert_fail, ==, __VA_ARGS__)
#define cr_assert_neq(...)	SV_CMP_(cr_assert_fail, !=, __VA_ARGS__)
#define cr_assert_lt(...)	SV_CMP_(cr_assert_fail, <, __VA_ARGS__)
#define cr_assert_leq(...)	SV_CMP_(cr_assert_fail, <=, __VA_ARGS__)
#define cr_assert_gt(...)	SV_CMP_(cr_assert_fail, >, __VA_ARGS__)
#define cr_assert_geq(...)	SV_CMP_(cr_assert_fail, >=, __VA_ARGS__)
#define cr_expect_eq(...)	SV_CMP_(cr_expect_fail, ==, __VA_ARGS__)
#define cr_expect_neq(...)	SV_CMP_(cr_expect_fail, !=, __VA_ARGS__)
#define cr_expect_lt(...)	SV_CMP_(cr_expect_fail, <, __VA_ARGS__)
#define cr_expect_leq(...)	SV_CMP_(cr_expect_fail, <=, __VA_ARGS__)
#define cr_expect_gt(...)	SV_CMP_(cr_expect_fail, >, __VA_ARGS__)
#define cr_expect_geq(...)	SV_CMP_(cr_expect_fail, >=, __VA_ARGS__)

#endif /* SEVEMU_ASSERT_VALUES_H */
