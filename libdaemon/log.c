#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgname.h"

static const char *log_prog = "cadv";
static int log_level = LOG_LVL_INFO;

void
log_init(const char *progname, int debug)
{
	if (progname != NULL)
		log_prog = progname;
	log_level = debug ? LOG_LVL_DEBUG : LOG_LVL_INFO;
}

void
log_setlevel(enum log_level lvl)
{
	log_level = lvl;
}

int
log_getlevel(void)
{
	return log_level;
}

static void vlog(int, const char *, int, const char *, va_list)
    __attribute__((format(printf, 4, 0)));

/* A message carries outside bytes (cgroup names, paths, what a peer
 * sent): a raw ESC, CR or newline in them could forge log lines or drive
 * the terminal that shows the log.  Every message therefore goes out in
 * cadv's text form of names (cgname_escape: printable ASCII and valid
 * UTF-8 as they are, a backslash doubled, any other byte as \xNN), so
 * that a name reads in the log as cadvctl prints it, on one line. */
#define LOG_MSG_MAX	1024

static void
vlog(int lvl, const char *tag, int with_errno, const char *fmt, va_list ap)
{
	char raw[LOG_MSG_MAX], msg[CGNAME_ESCAPED_MAX(LOG_MSG_MAX)];
	int saved = errno, n;

	if (lvl > log_level)
		return;
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	if (n < 0)
		n = 0;
	/* every byte written, even a NUL from a %c */
	cgname_escape(raw, (size_t)n < sizeof(raw) ? (size_t)n :
	    sizeof(raw) - 1, msg, sizeof(msg));
	if (with_errno)
		fprintf(stderr, "%s: %s%s: %s\n", log_prog, tag, msg,
		    strerror(saved));
	else
		fprintf(stderr, "%s: %s%s\n", log_prog, tag, msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, "", 1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, "", 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_INFO, "", 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_DEBUG, "debug: ", 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, "fatal: ", 1, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, "fatal: ", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
