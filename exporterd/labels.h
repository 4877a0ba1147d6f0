/* The pieces of /metrics labels that depend on nothing else: label values
 * and names in the text format, the name lists of exporterd's options and
 * the network interfaces cAdvisor leaves out (unit-tested in
 * tests/unit/check_exporterd_labels.c). */
#ifndef EXPORTERD_LABELS_H
#define EXPORTERD_LABELS_H

#include <stddef.h>

#include "cgname.h"

/* A label value as the text format wants it: the bytes in cadv's text form
 * (cgname_escape: valid UTF-8 whatever they were, no control characters),
 * then \ and " escaped.  out holds LABEL_VALUE_MAX(len) for the whole of
 * a value of len bytes; a smaller out cuts it, never inside an escape or a
 * character.  Returns the length written (out is NUL-terminated). */
#define LABEL_VALUE_MAX(len)	(CGNAME_ESCAPED_MAX(len) * 2)
size_t	label_value(char *out, size_t outsz, const char *v, size_t len);

/* prefix + key as a label name, as cAdvisor's sanitizeLabelName makes it:
 * each character of key that is not an ASCII letter, digit or '_' becomes
 * one '_' (a character is a UTF-8 sequence, or a single byte that starts
 * none).  prefix is taken as it is.  Returns the name's length; out is
 * NUL-terminated and cut to outsz - 1 bytes. */
size_t	label_name(const char *prefix, const char *key, size_t klen,
	    char *out, size_t outsz);

/* The comma-separated names of an option: NAME, or PREFIX* for every name
 * that starts with PREFIX (identd --env's spelling).  Spaces around a name
 * are dropped and empty ones skipped, as cAdvisor does. */
struct namelist {
	char	**v;
	size_t	  n;
};

/* -1 with a message in err (an allocation failure, a lone "*") */
int	namelist_parse(struct namelist *, const char *arg, char *err,
	    size_t errsz);
int	namelist_has(const struct namelist *, const char *s, size_t len);
void	namelist_free(struct namelist *);

/* 1 for the interfaces cAdvisor skips: names starting with lo, veth,
 * docker or nerdctl, in any case (its isIgnoredDevice). */
int	iface_ignored(const char *name, size_t len);

#endif
