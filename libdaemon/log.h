/* Logging to stderr, OpenBSD style: log_warn appends strerror(errno),
 * log_warnx does not; fatal/fatalx log and exit(1).  A message is written
 * in cadv's text form of names (cgname.h: control bytes, invalid UTF-8
 * and '\\' escaped), so pass names and other outside bytes raw: escaping
 * them first would escape them twice. */
#ifndef CADV_LOG_H
#define CADV_LOG_H

#include <stdarg.h>
#include <stdnoreturn.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(const char *progname, int debug);
void log_setlevel(enum log_level);
int log_getlevel(void);

void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
noreturn void fatal(const char *, ...) __attribute__((format(printf, 1, 2)));
noreturn void fatalx(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
