#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "layerwalk.h"
#include "schema.h"
#include "unit.h"

/* docs/SCHEMA.md and schema.h describe the same bytes: every row
 * "| index | offset | `path` | unit |" of the spec table and
 * "| index | `path` | unit |" of the scalar table (variable-length numbers,
 * no offsets) must match.  A row without an offset reads as UINT_MAX. */
static size_t
doc_rows(const char *heading, char paths[][64], char units[][16],
    unsigned *offsets, size_t max)
{
	char line[512];
	FILE *fp;
	size_t n = 0;
	int in = 0;

	fp = fopen("docs/SCHEMA.md", "r");
	ck_assert_msg(fp != NULL, "docs/SCHEMA.md not found (run from top)");
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned idx, off;
		char path[64], unit[16];

		if (strncmp(line, heading, strlen(heading)) == 0) {
			in = 1;
			continue;
		}
		if (!in)
			continue;
		off = UINT_MAX;
		if (sscanf(line, "| %u | %u | `%63[^`]` | %15s |", &idx, &off,
		    path, unit) == 4 || sscanf(line, "| %u | `%63[^`]` | %15s |",
		    &idx, path, unit) == 3) {
			ck_assert_uint_eq(idx, n);
			ck_assert_uint_lt(n, max);
			strcpy(paths[n], path);
			strcpy(units[n], unit);
			offsets[n] = off;
			n++;
		} else if (n > 0)
			break;
	}
	fclose(fp);
	return n;
}

START_TEST(doc_matches_sample_fields)
{
	static char paths[128][64], units[128][16];
	static unsigned offsets[128];
	size_t n, i;

	n = doc_rows("Scalar fields.", paths, units, offsets, 128);
	ck_assert_uint_eq(n, CADV_SF_COUNT);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(paths[i], sample_fields[i].path);
		ck_assert_str_eq(units[i], sample_fields[i].unit);
		ck_assert_uint_eq(offsets[i], UINT_MAX);
	}
}
END_TEST

START_TEST(doc_matches_diskio_counters)
{
	static char paths[64][64], units[64][16];
	static unsigned offsets[64];
	size_t n, i;

	n = doc_rows("| index | counter (JSON name) | unit |", paths, units,
	    offsets, 64);
	ck_assert_uint_eq(n, CADV_DX_COUNT);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(paths[i], diskio_counters[i].path);
		ck_assert_str_eq(units[i], diskio_counters[i].unit);
	}
}
END_TEST

START_TEST(doc_matches_spec_fields)
{
	static char paths[64][64], units[64][16];
	static unsigned offsets[64];
	size_t n, i;

	n = doc_rows("Spec fields", paths, units, offsets, 64);
	ck_assert_uint_eq(n, CADV_SP_COUNT);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(paths[i], spec_fields[i].path);
		ck_assert_str_eq(units[i], spec_fields[i].unit);
		ck_assert_uint_eq(offsets[i], CONTAINER_HDR + 8 * i);
	}
}
END_TEST

/* Every other number of SCHEMA.md's tables against schema.h: the version,
 * the record headers' offsets and sizes, the bounds, the tables and meta
 * keys.  A table row is a line "| a | b | ... |"; a section runs from
 * its heading to the next. */
struct doc {
	char	*text;
	size_t	 len;
};

static void
doc_load(struct doc *d)
{
	FILE *fp = fopen("docs/SCHEMA.md", "r");

	ck_assert_msg(fp != NULL, "docs/SCHEMA.md not found (run from top)");
	d->text = calloc(1, 1 << 20);
	ck_assert_ptr_nonnull(d->text);
	d->len = fread(d->text, 1, (1 << 20) - 1, fp);
	fclose(fp);
}

/* The lines of the section whose heading line starts with heading. */
static char *
doc_section(const struct doc *d, const char *heading, char **end)
{
	char *p = strstr(d->text, heading), *q;

	ck_assert_msg(p != NULL, "SCHEMA.md has no \"%s\"", heading);
	p = strchr(p, '\n') + 1;
	for (q = p; (q = strchr(q, '\n')) != NULL; q++)
		if (q[1] == '#')
			break;
	*end = q != NULL ? q + 1 : d->text + d->len;
	return p;
}

/* Cell i (0-based) of the table row at line into buf; -1 if not a row. */
static int
doc_cell(const char *line, int i, char *buf, size_t sz)
{
	const char *p = line, *e;
	size_t n;

	if (strncmp(line, "| ", 2) != 0 || strncmp(line, "|---", 4) == 0)
		return -1;
	for (; i >= 0; i--) {
		p = strchr(p, '|');
		if (p == NULL)
			return -1;
		p++;
	}
	while (*p == ' ')
		p++;
	e = strchr(p, '|');
	if (e == NULL)
		return -1;
	while (e > p && e[-1] == ' ')
		e--;
	n = (size_t)(e - p) < sz - 1 ? (size_t)(e - p) : sz - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

/* The size column of a record table in bytes: u64, u32, u16, "N bytes". */
static unsigned
doc_size(const char *cell)
{
	unsigned n;

	if (strcmp(cell, "u64") == 0)
		return 8;
	if (strcmp(cell, "u32") == 0)
		return 4;
	if (strcmp(cell, "u16") == 0)
		return 2;
	if (sscanf(cell, "%u bytes", &n) == 1)
		return n;
	return 0;
}

/* The record table of a section: its fixed rows equal rows[], then the
 * first variable row starts at hdr (0: the record has none). */
static void
doc_record(const struct doc *d, const char *heading,
    const struct layout_row *rows, size_t nrows, unsigned hdr)
{
	char *p, *end, off[64], size[64];
	size_t i = 0;
	unsigned o;

	for (p = doc_section(d, heading, &end); p < end;
	    p = strchr(p, '\n') + 1) {
		if (doc_cell(p, 0, off, sizeof(off)) == -1 ||
		    doc_cell(p, 1, size, sizeof(size)) == -1 ||
		    sscanf(off, "%u", &o) != 1)
			continue;
		if (i == nrows) {
			ck_assert_msg(hdr != 0 && o == hdr, "%s: data starts at %u, "
			    "schema.h says %u", heading, o, hdr);
			i++;
			break;
		}
		ck_assert_msg(o == rows[i].offset && doc_size(size) ==
		    rows[i].size, "%s: row %zu is %s, %s; schema.h says "
		    "offset %u, size %u", heading, i, off, size,
		    rows[i].offset, rows[i].size);
		i++;
	}
	ck_assert_msg(i == nrows + (hdr != 0), "%s: %zu rows, schema.h has "
	    "%zu", heading, i, nrows + (hdr != 0));
}

/* The number after "after" on the table row whose first cell is first,
 * in section heading. */
static unsigned long
doc_number(const struct doc *d, const char *heading, const char *first,
    const char *after)
{
	char *p, *end, cell[64], *at, line[1024];
	unsigned long n;

	for (p = doc_section(d, heading, &end); p < end;
	    p = strchr(p, '\n') + 1) {
		if (doc_cell(p, 0, cell, sizeof(cell)) == -1 ||
		    strcmp(cell, first) != 0)
			continue;
		snprintf(line, sizeof(line), "%.*s",
		    (int)(strchr(p, '\n') - p), p);
		at = strstr(line, after);
		ck_assert_msg(at != NULL, "%s: row %s has no \"%s\"", heading,
		    first, after);
		ck_assert_msg(sscanf(at + strlen(after), "%lu", &n) == 1,
		    "%s: row %s: no number after \"%s\"", heading, first,
		    after);
		return n;
	}
	ck_abort_msg("%s: no row %s", heading, first);
	return 0;
}

/* The number after text anywhere in the document. */
static unsigned long
doc_after(const struct doc *d, const char *text)
{
	const char *at = strstr(d->text, text);
	unsigned long n;

	ck_assert_msg(at != NULL, "SCHEMA.md has no \"%s\"", text);
	ck_assert_msg(sscanf(at + strlen(text), "%lu", &n) == 1,
	    "SCHEMA.md: no number after \"%s\"", text);
	return n;
}

START_TEST(doc_matches_layout)
{
	const char *const *tables = store_table_names;
	static const char *const meta[] = { META_SCHEMA, META_NEXT_ID,
	    META_NEXT_EVENT, META_INTERVAL, META_RETENTION, META_MACHINE,
	    META_VERSION, META_KMSG_BOOT, META_KMSG_SEQ };
	struct doc d;
	struct cadv_container c;
	struct cadv_event e;
	char *p, *end, cell[256], want[64];
	size_t i, n;
	int t;

	doc_load(&d);
	ck_assert_uint_eq(doc_after(&d, "**Schema version: "),
	    CADV_SCHEMA_VERSION);
	ck_assert_uint_eq(doc_number(&d, "### meta", "`schema`",
	    "schema version ("), CADV_SCHEMA_VERSION);

	/* the tables: each of schema.h's, and no other */
	n = 0;
	for (p = doc_section(&d, "## Tables", &end); p < end;
	    p = strchr(p, '\n') + 1) {
		if (doc_cell(p, 0, cell, sizeof(cell)) == -1 ||
		    cell[0] != '`')
			continue;
		for (i = 0; i < TBL_COUNT; i++) {
			snprintf(want, sizeof(want), "`%s`", tables[i]);
			if (strcmp(cell, want) == 0)
				break;
		}
		ck_assert_msg(i < TBL_COUNT, "SCHEMA.md names table %s", cell);
		n++;
	}
	ck_assert_uint_eq(n, TBL_COUNT);
	ck_assert_uint_eq(doc_number(&d, "## Tables", "`samples`",
	    "container id ("), SAMPLE_KEY_LEN);
	ck_assert_uint_eq(doc_number(&d, "## Tables", "`fs`",
	    "timestamp ns ("), FS_KEY_LEN);

	/* meta keys: every one of schema.h's is described; every row is one
	 * of them or a heartbeat */
	n = 0;
	for (p = doc_section(&d, "### meta", &end); p < end;
	    p = strchr(p, '\n') + 1) {
		if (doc_cell(p, 0, cell, sizeof(cell)) == -1 ||
		    cell[0] != '`')
			continue;
		if (strncmp(cell + 1, META_HEARTBEAT,
		    strlen(META_HEARTBEAT)) == 0 || strcmp(cell, "`"
		    META_PROCESS "<daemon>`") == 0)
			continue;
		for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
			snprintf(want, sizeof(want), "`%s`", meta[i]);
			if (strcmp(cell, want) == 0)
				break;
		}
		ck_assert_msg(i < sizeof(meta) / sizeof(meta[0]),
		    "SCHEMA.md's meta key %s is not in schema.h", cell);
		n++;
	}
	ck_assert_uint_eq(n, sizeof(meta) / sizeof(meta[0]));

	doc_record(&d, "### containers: the container record",
	    container_header, container_header_rows, CONTAINER_HDR);
	ck_assert_uint_eq(doc_number(&d, "### containers", "28",
	    "spec fields ("), SPEC_FIELDS_MIN);
	ck_assert_uint_eq(doc_number(&d, "### containers", "28",
	    "spec fields (7 to "), SPEC_FIELDS_MAX);
	ck_assert_uint_eq(doc_number(&d, "### containers", "30",
	    "(1 to "), CGNAME_MAX);
	ck_assert_uint_eq(doc_number(&d, "### containers", "32",
	    "(0 to "), sizeof(c.cpu_mask) - 1);
	ck_assert_uint_eq(doc_after(&d, "Length = "), CONTAINER_HDR);

	doc_record(&d, "### events: the event record", event_header,
	    event_header_rows, EVENT_HDR);
	ck_assert_uint_eq(doc_number(&d, "### events", "24", "(< "),
	    sizeof(e.comm));
	for (t = 1; t <= CADV_EV_TYPE_MAX; t++) {
		snprintf(want, sizeof(want), " %d %s", t,
		    event_type_name((enum cadv_event_type)t));
		ck_assert_msg(strstr(doc_section(&d, "### events", &end),
		    want) != NULL, "SCHEMA.md: no event type \"%s\"", want);
	}
	snprintf(want, sizeof(want), "A type\nother than 1 to %d is corruption",
	    CADV_EV_TYPE_MAX);
	ck_assert_msg(strstr(doc_section(&d, "### events", &end), want) !=
	    NULL, "SCHEMA.md: no \"%s\"", want);

	doc_record(&d, "### idents: the identity record", ident_header,
	    ident_header_rows, IDENT_HDR);
	ck_assert_uint_eq(doc_number(&d, "### idents", "42", "("), CADV_IS_COUNT);
	ck_assert_uint_eq(doc_number(&d, "### idents", "60", "(≤ "),
	    IDENT_KV_MAX);
	ck_assert_uint_eq(doc_number(&d, "### idents", "40", "podman, "), CADV_RT_MAX);
	ck_assert_uint_eq(doc_after(&d, "values are 0 to "), IDENT_STR_MAX);
	ck_assert_uint_eq(doc_after(&d, "keys are 1 to "), IDENT_KEY_MAX);

	doc_record(&d, "### minutes: the minute record", minute_record,
	    minute_record_rows, 0);
	doc_record(&d, "### layers: the layer record", layer_record,
	    layer_record_rows, 0);
	ck_assert_uint_eq(doc_after(&d, "A layer record's length: at least "),
	    LAYER_VALUE_LEN);
	ck_assert_uint_eq(doc_number(&d, "### layers", "40", "(depth "),
	    LAYER_DEPTH_MAX);
	ck_assert_uint_eq(doc_number(&d, "### layers", "40", ", or "),
	    LAYER_ENTRIES_MAX);
	ck_assert_uint_eq(doc_after(&d, "Length: at least "),
	    MINUTE_VALUE_LEN);
	ck_assert_uint_eq(doc_number(&d, "## Tables", "`minutes`",
	    "start of the minute ns ("), MINUTE_KEY_LEN);

	doc_record(&d, "### diskstats: the diskstats record",
	    diskstats_record, diskstats_record_rows, 0);
	ck_assert_uint_eq(doc_after(&d, "Diskstats length: at least "),
	    DISKSTATS_VALUE_LEN);
	ck_assert_uint_eq(doc_number(&d, "## Tables", "`diskstats`",
	    "timestamp ns ("), DISKSTATS_KEY_LEN);

	doc_record(&d, "### meta `process.<daemon>`: the process record",
	    process_record, process_record_rows, 0);
	ck_assert_uint_eq(doc_after(&d, "Process record length: at least "),
	    PROCESS_VALUE_LEN);
	doc_record(&d, "### fs: the filesystem record", fs_record,
	    fs_record_rows, 0);
	ck_assert_uint_eq(doc_after(&d, "Length: exactly "), FS_VALUE_LEN);

	ck_assert_uint_eq(doc_number(&d, "### samples", "nscalar",
	    "scalar fields, "), SAMPLE_SCALARS_MIN);
	ck_assert_uint_eq(doc_number(&d, "### samples", "nscalar",
	    "scalar fields, 56 to "), SAMPLE_SCALARS_MAX);
	ck_assert_uint_eq(doc_number(&d, "### samples", "nscalar",
	    "("), CADV_SF_COUNT);
	ck_assert_uint_eq(doc_number(&d, "### samples", "ncpu", "(≤ "),
	    SAMPLE_MAX_CPUS);
	ck_assert_uint_eq(doc_number(&d, "### samples", "nblk", "(≤ "),
	    SAMPLE_MAX_BLK);
	ck_assert_uint_eq(doc_number(&d, "### samples", "nnet", "(≤ "),
	    SAMPLE_MAX_NET);
	ck_assert_uint_eq(doc_number(&d, "### samples", "interfaces",
	    "name length 0–"), NET_IFNAME_LEN - 1);
	ck_assert_uint_eq(doc_after(&d, "accept `nscalar` from "),
	    SAMPLE_SCALARS_MIN);
	ck_assert_uint_eq(doc_after(&d, "accept `nscalar` from 56 to "),
	    SAMPLE_SCALARS_MAX);
	ck_assert_uint_eq(doc_after(&d, "and `nspec` from "),
	    SPEC_FIELDS_MIN);
	ck_assert_uint_eq(doc_after(&d, "and `nspec` from 7 to "),
	    SPEC_FIELDS_MAX);
	free(d.text);
}
END_TEST

/* The record of SCHEMA.md, byte by byte: a hand-made value decodes, and
 * encoding the decoded sample gives the same bytes back. */
START_TEST(sample_record_bytes)
{
	static const unsigned char rec[] = {
		CADV_SF_COUNT,		/* nscalar */
		0x81, 0x01,		/* presence: fields 0 and 7 */
		0,			/* presence word 1 */
		2, 1, 1,		/* ncpu, nblk, nnet */
		0xac, 0x02,		/* cpu.usage.total = 300 */
		0,			/* memory.max_usage = 0, present */
		1, 0x80, 0x01,		/* per-cpu: 1, 128 */
		8, 0x10, 5, 6, 7, 8,	/* block 8:16 */
		2, 'l', 'o',		/* interface "lo" */
		1, 2, 3, 4, 5, 6, 7, 0x7f,
	};
	static struct cadv_sample d;
	static unsigned char buf[SAMPLE_VALUE_MAX];
	const char *why = NULL;
	size_t n;

	ck_assert_msg(sample_decode(rec, sizeof(rec), &d, &why) == 0, "%s",
	    why);
	ck_assert(sample_has(&d, CADV_SF_CPU_TOTAL));
	ck_assert_uint_eq(d.v[CADV_SF_CPU_TOTAL], 300);
	ck_assert(sample_has(&d, CADV_SF_MEM_MAX_USAGE));
	ck_assert_uint_eq(d.v[CADV_SF_MEM_MAX_USAGE], 0);
	ck_assert(!sample_has(&d, CADV_SF_MEM_USAGE));
	ck_assert_uint_eq(d.ncpu, 2);
	ck_assert_uint_eq(d.percpu[1], 128);
	ck_assert_uint_eq(d.blk[0].major, 8);
	ck_assert_uint_eq(d.blk[0].minor, 16);
	ck_assert_uint_eq(d.blk[0].write_ops, 8);
	ck_assert_str_eq(d.net[0].name, "lo");
	ck_assert_uint_eq(d.net[0].rx_bytes, 1);
	ck_assert_uint_eq(d.net[0].tx_dropped, 127);
	n = sample_encode(&d, buf, sizeof(buf));
	ck_assert_uint_eq(n, sizeof(rec));
	ck_assert_uint_eq(sample_encoded_size(&d), sizeof(rec));
	ck_assert(memcmp(buf, rec, n) == 0);
}
END_TEST

static const char *
decode_why(const unsigned char *p, size_t len)
{
	static struct cadv_sample d;
	const char *why = NULL;

	if (sample_decode(p, len, &d, &why) == 0)
		return "decoded";
	return why;
}

#define BYTES(...)	(const unsigned char[]){ __VA_ARGS__ }, \
	sizeof((const unsigned char[]){ __VA_ARGS__ })

/* A process record: round trip, a short one refused, a later version's
 * presence bits and bytes passed over. */
START_TEST(process_record_bytes)
{
	struct cadv_process p = { 0 }, q;
	unsigned char buf[PROCESS_VALUE_LEN + 8];
	const char *why = NULL;
	size_t i;

	p.written_ns = 123456789;
	p.pid = 4242;
	p.present = (1u << CADV_PF_CPU) | (1u << CADV_PF_MAX_FDS);
	for (i = 0; i < CADV_PF_COUNT; i++)
		p.v[i] = 1000 + i;
	p.v[CADV_PF_MAX_FDS] = CADV_UNLIMITED;
	memset(buf, 0xee, sizeof(buf));
	process_encode(&p, buf);
	ck_assert_msg(process_decode(buf, PROCESS_VALUE_LEN, &q, &why) == 0, "%s",
	    why);
	ck_assert_uint_eq(q.written_ns, 123456789);
	ck_assert_uint_eq(q.pid, 4242);
	ck_assert_uint_eq(q.present, p.present);
	ck_assert(memcmp(q.v, p.v, sizeof(p.v)) == 0);
	ck_assert_int_eq(process_decode(buf, PROCESS_VALUE_LEN - 1, &q, &why),
	    -1);
	ck_assert_int_eq(process_decode(buf, 0, &q, &why), -1);
	/* a later writer's field 9 and its 8 bytes */
	buf[PR_PRESENT + 1] |= 0x02;
	ck_assert_int_eq(process_decode(buf, sizeof(buf), &q, &why), 0);
	ck_assert_uint_eq(q.present, p.present);
}
END_TEST

/* A diskio record, byte by byte, and what it must refuse. */
START_TEST(diskio_record_bytes)
{
	static const unsigned char rec[] = {
		CADV_DX_COUNT,		/* ncounter */
		1,			/* ndev: 8:0 has none */
		8, 0x10,		/* 8:16 */
		0x05,			/* presence: Sync and Discard bytes */
		0x80, 0x01, 3,		/* Sync 128, Discard 3 */
	};
	static struct cadv_sample s;
	static unsigned char buf[DISKIO_VALUE_MAX];
	const char *why = NULL;

	sample_clear(&s);
	s.nblk = 2;
	s.blk[0].major = 8;
	s.blk[0].minor = 0;
	s.blk[1].major = 8;
	s.blk[1].minor = 16;
	ck_assert_msg(diskio_decode(rec, sizeof(rec), &s, &why) == 0, "%s", why);
	ck_assert_uint_eq(s.xpresent, 5);
	ck_assert_uint_eq(s.xio[0].present, 0);
	ck_assert_uint_eq(s.xio[1].present, 5);
	ck_assert_uint_eq(s.xio[1].v[CADV_DX_SYNC_BYTES], 128);
	ck_assert_uint_eq(s.xio[1].v[CADV_DX_DISCARD_BYTES], 3);
	ck_assert_uint_eq(diskio_encode(&s, buf, sizeof(buf)), sizeof(rec));
	ck_assert(memcmp(buf, rec, sizeof(rec)) == 0);
	s.blk[1].minor = 1;	/* not the sample's device */
	ck_assert_int_eq(diskio_decode(rec, sizeof(rec), &s, &why), -1);
	ck_assert_uint_eq(s.xpresent, 0);
	s.blk[1].minor = 16;
	ck_assert_int_eq(diskio_decode(rec, sizeof(rec) - 1, &s, &why), -1);
	ck_assert_int_eq(diskio_decode(BYTES(CADV_DX_COUNT, 1, 8, 16, 0), &s, &why),
	    -1);	/* a device with nothing present */
	ck_assert_int_eq(diskio_decode(BYTES(CADV_DX_COUNT, 2, 8, 16, 1, 1, 8, 16,
	    1, 1), &s, &why), -1);	/* a device twice */
	ck_assert_int_eq(diskio_decode(BYTES(CADV_DX_COUNT, 1, 8, 16, 0x80, 0x08,
	    1), &s, &why), -1);	/* bit 10 of a 10-counter record */
	ck_assert_int_eq(diskio_decode(BYTES(9, 1, 8, 16, 1, 1), &s, &why),
	    -1);	/* fewer counters than schema 5 began with */
	ck_assert_int_eq(diskio_decode(BYTES(CADV_DX_COUNT, 3, 8, 16, 1, 1), &s,
	    &why), -1);	/* more devices than the sample */
	/* a newer writer's eleventh counter is read past */
	ck_assert_msg(diskio_decode(BYTES(CADV_DX_COUNT + 1, 1, 8, 16, 0x81, 0x08,
	    7, 9), &s, &why) == 0, "%s", why);
	ck_assert_uint_eq(s.xpresent, 1);
	ck_assert_uint_eq(s.xio[1].v[CADV_DX_SYNC_BYTES], 7);
	sample_xio_clear(&s);
	ck_assert_uint_eq(diskio_encode(&s, buf, sizeof(buf)), 0);
}
END_TEST

static const struct {
	const unsigned char	*p;
	size_t			 len;
	const char		*why;
} bad_samples[] = {
	{ BYTES(56, 0x80, 0, 0, 0, 0, 0),
	    "sample number not in its shortest form" },
	{ BYTES(56, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
	    0, 0, 0, 0), "sample number over 64 bits" },
	{ BYTES(56, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
	    0, 0, 0, 0), "sample marks fields beyond its count present" },
	{ BYTES(57, 0, 0x01, 0, 0, 0, 0),	/* bit 64 of a 57-field sample */
	    "sample marks fields beyond its count present" },
	{ BYTES(56, 0, 0, 0x81, 0x08, 0, 0),	/* 1025 cpus */
	    "sample array count out of range" },
	{ BYTES(56, 0, 0, 0, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0, 0, 0),
	    "block device major over 32 bits" },
	{ BYTES(56, 0, 0, 0, 0, 1, 16, 'a'), "interface name too long" },
	{ BYTES(56, 0, 0, 0, 0, 1), "sample ends inside an interface" },
	{ BYTES(56, 0, 0, 0, 0, 1, 3, 'a'), "sample ends inside an interface" },
	{ BYTES(56, 0, 0, 0, 0, 1, 2, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0),
	    "interface name holds a NUL" },
	{ BYTES(55, 0, 0, 0, 0, 0),
	    "sample's number of scalar fields out of range" },
	{ BYTES(0x81, 0x01, 0, 0, 0, 0, 0),	/* 129 */
	    "sample's number of scalar fields out of range" },
	{ BYTES(56, 0, 0, 0, 0, 0, 0), "sample longer than its counts" },
};

START_TEST(sample_decode_rejects_bad_values)
{
	static struct cadv_sample s, d;
	static unsigned char buf[SAMPLE_VALUE_MAX];
	const char *why;
	size_t n, i;

	sample_clear(&s);
	sample_set(&s, CADV_SF_MEM_USAGE, 5);
	s.ncpu = 3;
	for (i = 0; i < 3; i++)
		s.percpu[i] = UINT64_MAX;
	n = sample_encode(&s, buf, sizeof(buf));
	/* header 6, one scalar 1, three u64 maxima 10 each */
	ck_assert_uint_eq(n, 6 + 1 + 30);
	ck_assert_int_eq(sample_decode(buf, n, &d, &why), 0);
	ck_assert(sample_has(&d, CADV_SF_MEM_USAGE));
	ck_assert(!sample_has(&d, CADV_SF_MEM_RSS));
	ck_assert_uint_eq(d.percpu[2], UINT64_MAX);
	for (i = 0; i < n; i++)	/* every cut is refused */
		ck_assert_str_eq(decode_why(buf, i),
		    "sample ends inside a number");
	for (i = 0; i < sizeof(bad_samples) / sizeof(bad_samples[0]); i++)
		ck_assert_str_eq(decode_why(bad_samples[i].p, bad_samples[i].len),
		    bad_samples[i].why);
	ck_assert_uint_eq(sample_encode(&s, buf, 10), 0);
}
END_TEST

START_TEST(event_decode_rejects_bad_values)
{
	static struct cadv_event e, d;
	unsigned char buf[EVENT_VALUE_MAX];
	const char *why;
	size_t n;

	memset(&e, 0, sizeof(e));
	e.type = CADV_EV_CONTAINER_CREATION;
	e.container_len = 2;
	memcpy(e.container, "/a", 2);
	n = event_encode(&e, buf, sizeof(buf));
	ck_assert_uint_eq(n, EVENT_HDR + 2);
	ck_assert_int_eq(event_decode(buf, n, &d, &why), 0);
	ck_assert_str_eq(d.container, "/a");
	ck_assert_int_eq(event_decode(buf, n + 1, &d, &why), -1);
	buf[8] = 9;
	ck_assert_int_eq(event_decode(buf, n, &d, &why), -1);
	ck_assert_str_eq(why, "event of unknown type");
}
END_TEST

/* Records of a later writer of this schema, with fields added at the
 * end: read, the new fields passed over; a count below schema 5's or a
 * presence bit beyond the count is still corruption. */
START_TEST(records_of_newer_writers)
{
	static const unsigned char rec[] = {
		CADV_SF_COUNT + 2,		/* nscalar: two more than known */
		0x81, 0x01,		/* fields 0, 7 */
		0x03,			/* presence word 1: fields 64, 65 */
		1, 0, 0,		/* ncpu, nblk, nnet */
		5,			/* cpu.usage.total */
		6,			/* memory.max_usage */
		0xff, 0x01,		/* field 64 = 255 */
		9,			/* field 65 */
		42,			/* per-cpu 0 */
	};
	static struct cadv_sample d;
	static struct cadv_container c, back;
	static unsigned char buf[CONTAINER_VALUE_MAX + 16], big[sizeof(buf)];
	const char *why = NULL;
	size_t n, i;

	ck_assert_msg(sample_decode(rec, sizeof(rec), &d, &why) == 0, "%s",
	    why);
	ck_assert_uint_eq(d.v[CADV_SF_CPU_TOTAL], 5);
	ck_assert_uint_eq(d.v[CADV_SF_MEM_MAX_USAGE], 6);
	ck_assert_uint_eq(d.ncpu, 1);
	ck_assert_uint_eq(d.percpu[0], 42);
	for (i = CADV_SF_COUNT; i < SAMPLE_SCALARS_MAX; i++)
		ck_assert(!((d.present[i / 64] >> (i % 64)) & 1));

	/* a container record with nine spec fields */
	memset(&c, 0, sizeof(c));
	memcpy(c.name, "/x", 2);
	c.name_len = 2;
	spec_set(&c, CADV_SP_MEM_LIMIT, 7);
	spec_set(&c, CADV_SP_PIDS_LIMIT, 9);
	memcpy(c.cpu_mask, "0", 1);
	c.mask_len = 1;
	n = container_encode(&c, buf, sizeof(buf));
	ck_assert_uint_eq(n, CONTAINER_HDR + 8 * CADV_SP_COUNT + 3);
	memcpy(big, buf, CONTAINER_HDR + 8 * CADV_SP_COUNT);
	memset(big + CONTAINER_HDR + 8 * CADV_SP_COUNT, 0xee, 16);
	memcpy(big + CONTAINER_HDR + 8 * CADV_SP_COUNT + 16,
	    buf + CONTAINER_HDR + 8 * CADV_SP_COUNT, 3);
	big[CR_NSPEC] = CADV_SP_COUNT + 2;
	big[CR_SPEC_PRESENT + CADV_SP_COUNT / 8] |= 1u << (CADV_SP_COUNT % 8);
	ck_assert_msg(container_decode(big, n + 16, &back, &why) == 0, "%s",
	    why);
	ck_assert_uint_eq(back.spec[CADV_SP_MEM_LIMIT], 7);
	ck_assert_uint_eq(back.spec[CADV_SP_PIDS_LIMIT], 9);
	ck_assert_uint_eq(back.spec_present, c.spec_present);
	ck_assert_str_eq(back.name, "/x");
	ck_assert_str_eq(back.cpu_mask, "0");
	/* a bit beyond the count */
	big[CR_SPEC_PRESENT + (CADV_SP_COUNT + 2) / 8] |= 1u << ((CADV_SP_COUNT + 2) % 8);
	ck_assert_int_eq(container_decode(big, n + 16, &back, &why), -1);
	ck_assert_str_eq(why,
	    "container record marks fields beyond its count present");
	/* fewer than schema 5 began with */
	buf[CR_NSPEC] = SPEC_FIELDS_MIN - 1;
	ck_assert_int_eq(container_decode(buf, n - 8, &back, &why), -1);
	ck_assert_str_eq(why,
	    "container record's number of spec fields out of range");
}
END_TEST

START_TEST(event_type_names)
{
	enum cadv_event_type t;

	ck_assert_str_eq(event_type_name(CADV_EV_OOM_KILL), "oom_kill");
	ck_assert_str_eq(event_type_cadvisor(CADV_EV_OOM_KILL), "oomKill");
	ck_assert_str_eq(event_type_cadvisor(CADV_EV_CONTAINER_DELETION),
	    "containerDeletion");
	ck_assert_int_eq(event_type_parse("containerCreation", &t), 0);
	ck_assert_int_eq(t, CADV_EV_CONTAINER_CREATION);
	ck_assert_int_eq(event_type_parse("oom", &t), 0);
	ck_assert_int_eq(t, CADV_EV_OOM);
	ck_assert_int_eq(event_type_parse("oomkill", &t), -1);
}
END_TEST

START_TEST(keys_sort_in_time_order)
{
	unsigned char a[SAMPLE_KEY_LEN], b[SAMPLE_KEY_LEN];

	/* round first, then container id within the round */
	key_sample(a, 255, 1);
	key_sample(b, 256, 1);
	ck_assert_int_lt(memcmp(a, b, sizeof(a)), 0);
	key_sample(a, 1, UINT64_MAX);
	key_sample(b, 2, 0);
	ck_assert_int_lt(memcmp(a, b, sizeof(a)), 0);
	key_sample(a, 7, 1);
	key_sample(b, 7, 256);
	ck_assert_int_lt(memcmp(a, b, sizeof(a)), 0);
	ck_assert_uint_eq(key_u64_get(b), 7);
	ck_assert_uint_eq(key_u64_get(b + 8), 256);
}
END_TEST

/* The writers' names key their heartbeats: the store's documented
 * "heartbeat.<daemon>" keys, and nothing for a number past the list. */
START_TEST(writer_names)
{
	ck_assert_str_eq(cadv_writer_name(CADV_W_COLLECTORD), "collectord");
	ck_assert_str_eq(cadv_writer_name(CADV_W_EVENTD), "eventd");
	ck_assert_str_eq(cadv_writer_name(CADV_W_IDENTD), "identd");
	ck_assert_ptr_null(cadv_writer_name(CADV_W_COUNT));
	ck_assert_ptr_null(cadv_writer_name((enum cadv_writer)-1));
	ck_assert_str_eq(HEARTBEAT_KMSG, "eventd.kmsg");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, doc_matches_sample_fields);
	tcase_add_test(tc, doc_matches_spec_fields);
	tcase_add_test(tc, doc_matches_diskio_counters);
	tcase_add_test(tc, diskio_record_bytes);
	tcase_add_test(tc, process_record_bytes);
	tcase_add_test(tc, doc_matches_layout);
	tcase_add_test(tc, records_of_newer_writers);
	tcase_add_test(tc, sample_record_bytes);
	tcase_add_test(tc, sample_decode_rejects_bad_values);
	tcase_add_test(tc, event_decode_rejects_bad_values);
	tcase_add_test(tc, event_type_names);
	tcase_add_test(tc, keys_sort_in_time_order);
	tcase_add_test(tc, writer_names);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
