/*
 * lsan_suppress.c - leaks LeakSanitizer is told not to report.  Built
 * into every program of a sanitizer build (see emu/CMakeLists.txt).
 *
 * Unicorn 2.1.1 loses 32 bytes on the first uc_mem_map_ptr() of an
 * engine, whatever is mapped and whether or not it is unmapped before
 * uc_close(); a bare program of three calls shows it.  Unicorn is built
 * without frame pointers, so LSan's fast unwinder stops inside it and
 * cannot name the function: the suppression has to cover the library
 * (naming uc_mem_map_ptr would need the slow unwinder, ten times the
 * run time).  Leaks in sevemu's own code are still reported.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return ("leak:libunicorn.so\n");
}

const char *
__lsan_default_options(void)
{
	return ("print_suppressions=0");
}
