/* boltdump: prints a bbolt file (containerd's meta.db, podman's
 * bolt_state.db) as a tree through libparse/bbolt.c, for looking at real
 * files and in tests.
 *
 *   boltdump [-w WIDTH] [-M MAXBYTES] FILE [BUCKET...]
 *	the tree from the root (or from the bucket path given): one line
 *	per entry, indented two spaces a level; a bucket "name/" (with
 *	"(inline)" if it lives in its parent's value), a value
 *	"key = value (N bytes)" with the value cut to WIDTH characters
 *	(default 72; 0: whole).  Keys and values are escaped: printable
 *	ASCII as is, backslash as \\, anything else as \xHH.
 *   boltdump -g [-M MAXBYTES] FILE BUCKET... KEY
 *	KEY's value in that bucket, raw, on standard output.
 *
 * The first line is "txid N".  Exits 1 on a file the reader refuses
 * (with the reason: BAD, SYS, TOOBIG), 3 for a path or key not found. */
#include <bsd/stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bbolt.h"

struct dump {
	const struct bolt *b;
	int	 depth;
	size_t	 width;
};

static void
esc(const unsigned char *p, size_t n, size_t width)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		if (width > 0 && out >= width) {
			fputs("...", stdout);
			return;
		}
		if (p[i] == '\\') {
			fputs("\\\\", stdout);
			out += 2;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			putchar(p[i]);
			out++;
		} else {
			printf("\\x%02x", p[i]);
			out += 4;
		}
	}
}

static int
one(void *arg, const void *key, size_t klen, const void *val, size_t vlen,
    const struct bolt_bucket *sub)
{
	struct dump *d = arg;
	int rc;

	printf("%*s", d->depth * 2, "");
	esc(key, klen, 0);
	if (sub == NULL) {
		fputs(" = ", stdout);
		esc(val, vlen, d->width);
		printf(" (%zu bytes)\n", vlen);
		return 0;
	}
	printf("/%s\n", sub->root == 0 ? " (inline)" : "");
	d->depth++;
	rc = bolt_each(d->b, sub, one, d);
	d->depth--;
	return rc;
}

static const char *
rcname(int rc)
{
	switch (rc) {
	case BOLT_NOTFOUND:
		return "NOTFOUND";
	case BOLT_BAD:
		return "BAD";
	case BOLT_SYS:
		return "SYS";
	case BOLT_TOOBIG:
		return "TOOBIG";
	}
	return "?";
}

static void
usage(void)
{
	fprintf(stderr, "usage: boltdump [-w WIDTH] [-M MAXBYTES] FILE "
	    "[BUCKET...]\n       boltdump -g [-M MAXBYTES] FILE BUCKET... "
	    "KEY\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct dump d = { NULL, 0, 72 };
	struct bolt_bucket bk;
	struct bolt *b;
	const char *errstr;
	const void *v;
	char err[512];
	size_t max = 64 << 20, vl;
	int ch, rc, get = 0, npath;

	while ((ch = getopt(argc, argv, "gw:M:")) != -1) {
		switch (ch) {
		case 'g':
			get = 1;
			break;
		case 'w':
			d.width = (size_t)strtonum(optarg, 0, 1 << 20,
			    &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 'M':
			max = (size_t)strtonum(optarg, 0, 1LL << 40, &errstr);
			if (errstr != NULL)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (get && argc < 3))
		usage();
	if ((rc = bolt_open(&b, argv[0], max, err, sizeof(err))) != BOLT_OK) {
		fprintf(stderr, "boltdump: %s: %s\n", rcname(rc), err);
		return 1;
	}
	d.b = b;
	npath = argc - 1 - get;
	rc = bolt_path(b, &bk, (size_t)npath, (const char *const *)argv + 1);
	if (rc == BOLT_OK && get) {
		rc = bolt_get(b, &bk, argv[argc - 1], strlen(argv[argc - 1]),
		    &v, &vl);
		if (rc == BOLT_OK)
			fwrite(v, 1, vl, stdout);
	} else if (rc == BOLT_OK) {
		printf("txid %llu\n", (unsigned long long)bolt_txid(b));
		rc = bolt_each(b, &bk, one, &d);
	}
	bolt_close(b);
	if (rc == BOLT_NOTFOUND) {
		fprintf(stderr, "boltdump: not found\n");
		return 3;
	}
	if (rc != BOLT_OK) {
		fprintf(stderr, "boltdump: %s while walking\n", rcname(rc));
		return 1;
	}
	return 0;
}
