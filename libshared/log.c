#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void
vlog(int lvl, const char *tag, int with_errno, const char *fmt, va_list ap)
{
	char msg[1024];
	int saved = errno;

	if (lvl > log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
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
