# cadv: GNU make, no autotools.  `make`, `make check`, `make deps`,
# `make run`, `make install`, `make clean`; CC=clang and SANITIZE=1 work.

CC		?= cc
CCNAME		:= $(notdir $(firstword $(CC)))
SANITIZE	?=
BUILD		?= build/$(CCNAME)$(if $(filter 1,$(SANITIZE)),-san)
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
UNITDIR		?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR	?= $(PREFIX)/lib/sysusers.d
# the Python module cadv (python/cadv): Debian's path for packages that
# fit every python3
PYTHONDIR	?= $(PREFIX)/lib/python3/dist-packages
LDCONFIG	?= ldconfig
DESTDIR		?=

# Flags come from pkg-config when a recipe first needs them, not while make
# parses this file: `make deps check` installs the packages before that.
# A package pkg-config cannot find stops the build with its name (a guessed
# -lfoo used to link wrong: check needs -lsubunit -lm too).  -lm: the
# load averages' exp() (libparse/taskstat.c).
PKGS		:= lmdb libbsd json-c libseccomp libmicrohttpd libcrypt libmd
pkgflags	= $(or $(shell pkg-config $(1) $(2) 2>/dev/null),$(error \
		  pkg-config $(1) $(2) failed: run `make deps` (or install \
		  the -dev packages of: $(2))))
# $(call once,VAR,VALUE): VALUE expanded at VAR's first use, then kept
once		= $(eval $(1) := $$(2))$(value $(1))
PKG_CFLAGS	= $(call once,PKG_CFLAGS,$(call pkgflags,--cflags,$(PKGS)))
PKG_LIBS	= $(call once,PKG_LIBS,$(call pkgflags,--libs,$(PKGS)) -lm)
CHECK_LIBS	= $(call once,CHECK_LIBS,$(call pkgflags,--libs,check))

CFLAGS		?= -O2 -g
WARN		:= -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wvla \
		   -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
SAN_ON		:= -fsanitize=address -fsanitize=undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer
SANFLAGS	:= $(if $(filter 1,$(SANITIZE)),$(SAN_ON))
# CPPFLAGS: a packager's (dpkg-buildflags' -D_FORTIFY_SOURCE=2)
ALL_CFLAGS	= -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE \
		   $(addprefix -I,$(LAYERS)) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS	= $(LDFLAGS) $(SANFLAGS)

DAEMONS		:= watcherd collectord eventd exporterd identd cadvinit
TOOLS		:= cadvctl
PROGS		:= $(foreach p,$(DAEMONS) $(TOOLS),$(if $(wildcard $(p)/*.c),$(p)))
# The shared code, in layers (HACKING.md): each a directory and an
# archive; a layer uses only the ones after it (libstore's daemons' process
# figures come from libparse's procself).  libcadv is the public read
# library (also built shared, below).
LAYERS		:= libdaemon libstore libparse libcadv
LAYER_LIB	= $(BUILD)/$(1).a
LIB		:= $(foreach l,$(LAYERS),$(call LAYER_LIB,$(l)))
# a link's objects, then the layers in order (each uses only the ones
# after it: tests/integration/layers.sh keeps it so)
LINKIN		= $(filter-out %.a,$^) $(filter %.a,$^)
UNIT_SRC	:= $(wildcard tests/unit/check_*.c)
UNIT_BIN	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TESTTOOL_SRC	:= $(wildcard tests/tools/*.c)
TESTTOOL_BIN	:= $(patsubst tests/tools/%.c,$(BUILD)/tests/%,$(TESTTOOL_SRC))
BINS		:= $(addprefix $(BUILD)/bin/,$(PROGS))
# preloaded into daemons by tests: built plain, never sanitized
HOOK_SRC	:= $(wildcard tests/hooks/*.c)
HOOK_LIB	:= $(patsubst tests/hooks/%.c,$(BUILD)/tests/%.so,$(HOOK_SRC))
# fuzz targets: replay_NAME (any compiler) reruns corpora in `make check`;
# `make fuzz` builds them with libFuzzer (clang) and runs each
FUZZ_SRC	:= $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES	:= $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
REPLAY_BIN	:= $(patsubst %,$(BUILD)/tests/replay_%,$(FUZZ_NAMES))
FUZZ_SECONDS	?= 600
FUZZ_JOBS	?= 2
FUZZ_BUILD	:= build/fuzz
FUZZ_SAN	:= -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer
TEST_DEPS	:= $(BINS) $(UNIT_BIN) $(TESTTOOL_BIN) $(HOOK_LIB) $(REPLAY_BIN) \
		   libcadv

# libcadv: the shared library and its .pc
.PHONY: libcadv all check unit integration deps run bench fuzz fuzz-targets install install-units uninstall clean image

all: $(BINS) libcadv

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<


# the commit being built, as cAdvisor's cadvisor_revision; rebuilt each time
REVISION	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
$(BUILD)/libparse/version.o: ALL_CFLAGS += -DCADV_REVISION='"$(REVISION)"'
$(BUILD)/libparse/version.o: FORCE
.PHONY: FORCE install-lib
FORCE:

# libcadv.so: the public read library.  Its objects are built again
# position-independent with hidden symbols; the version script keeps
# every name but cadv_* out of the dynamic table.  The soname's major
# changes only when cadv.h's structs or calls change incompatibly.
CADV_MAJOR	:= 0
CADV_MINOR	:= 1
CADV_SONAME	:= libcadv.so.$(CADV_MAJOR)
CADV_SO		:= $(BUILD)/lib/libcadv.so.$(CADV_MAJOR).$(CADV_MINOR).0
CADV_SO_OBJ	:= $(patsubst %.c,$(BUILD)/pic/%.o,$(wildcard libcadv/*.c))
CADV_PKGS	:= lmdb json-c libbsd
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
$(CADV_SO): $(CADV_SO_OBJ) libcadv/libcadv.map
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,$(CADV_SONAME) \
	    -Wl,--version-script=libcadv/libcadv.map -Wl,--no-undefined \
	    -o $@ $(CADV_SO_OBJ) $(call pkgflags,--libs,$(CADV_PKGS))
	ln -sf $(notdir $@) $(BUILD)/lib/$(CADV_SONAME)
	ln -sf $(CADV_SONAME) $(BUILD)/lib/libcadv.so
# the .pc names the install's paths: install-lib writes it again, for the
# PREFIX it installs to, not the one the build had
CADV_PC_SED	= sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(CADV_MAJOR).$(CADV_MINOR).0|' \
	    -e 's|@LIBS_PRIVATE@|$(call pkgflags,--libs,$(CADV_PKGS))|' \
	    libcadv/cadv.pc.in
$(BUILD)/lib/cadv.pc: libcadv/cadv.pc.in Makefile
	@mkdir -p $(dir $@)
	$(CADV_PC_SED) >$@
libcadv: $(CADV_SO) $(BUILD)/lib/cadv.pc

define LAYER_RULE
$(call LAYER_LIB,$(1)): $(patsubst %.c,$(BUILD)/%.o,$(wildcard $(1)/*.c))
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach l,$(LAYERS),$(eval $(call LAYER_RULE,$(l))))

define PROG_RULE
$(BUILD)/bin/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard $(1)/*.c)) $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(LINKIN) $$(PKG_LIBS)
endef
$(foreach p,$(PROGS),$(eval $(call PROG_RULE,$(p))))

# the web page's files, compiled into exporterd (scripts/webassets: od
# and awk, no network); the page is served from memory
WEB_FILES	:= $(sort $(wildcard exporterd/web/*))
$(BUILD)/exporterd/webassets.c: $(WEB_FILES) scripts/webassets
	@mkdir -p $(dir $@)
	scripts/webassets $@ $(WEB_FILES)
$(BUILD)/exporterd/webassets.o: $(BUILD)/exporterd/webassets.c
	$(CC) $(ALL_CFLAGS) -Iexporterd -c -o $@ $<
$(BUILD)/bin/exporterd: $(BUILD)/exporterd/webassets.o

$(BUILD)/tests/check_%: $(BUILD)/tests/unit/check_%.o $(BUILD)/tests/unit/unit.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINKIN) $(CHECK_LIBS) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINKIN) $(PKG_LIBS)

$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(LINKIN) $(PKG_LIBS)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $(LINKIN) $(PKG_LIBS)

$(BUILD)/tests/%.so: tests/hooks/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -D_GNU_SOURCE -fPIC -shared -o $@ $< -ldl

# `make check`: every suite, unit and integration, one closing line.
check: $(TEST_DEPS)
	@tests/run $(BUILD)

# `make bench`: as root, N real cgroups (default 1,000); one table and
# $(BUILD)/bench.json.  BENCH_ARGS="--n 5000 --seconds 30" to vary it.
bench: $(BINS) $(TESTTOOL_BIN)
	@scripts/bench $(BUILD) $(BENCH_ARGS)

# `make fuzz`: every target for FUZZ_SECONDS (default 600) with clang's
# libFuzzer, FUZZ_JOBS at a time; figures in build/fuzz/fuzz.json, crashes
# in build/fuzz/crashes/NAME/ (each one belongs in tests/fuzz/regress/NAME/).
fuzz:
	@$(MAKE) --no-print-directory CC=clang BUILD=$(FUZZ_BUILD) \
	    SANFLAGS="$(FUZZ_SAN)" CFLAGS="-O1 -g" fuzz-targets

fuzz-targets: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
	@scripts/fuzz $(BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_NAMES)

unit: $(UNIT_BIN)
	@tests/run $(BUILD) unit

integration: $(TEST_DEPS)
	@tests/run $(BUILD) integration

# `make deps`: what building and running need; with a test goal beside it
# (`make deps check`), what the suites need too (browser, Prometheus, ...).
TEST_GOALS	:= check unit integration bench fuzz
deps:
	@scripts/deps $(if $(filter $(TEST_GOALS),$(MAKECMDGOALS)),--test)

# the packages must be in before anything is compiled
ifneq ($(filter deps,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

# `make image`: the container image (deploy/image/Containerfile) from
# this build's binaries, offline; IMAGE_TAG (cadv:latest) names it.
IMAGE_TAG	?= cadv:latest
image: $(BINS)
	@scripts/image $(BUILD) $(IMAGE_TAG)

run: $(BINS)
	@scripts/cadv-run $(BUILD)/bin

install: $(BINS) install-units install-lib
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(addprefix $(BUILD)/bin/,$(DAEMONS)) $(DESTDIR)$(SBINDIR)/
	install -m 0755 $(addprefix $(BUILD)/bin/,$(TOOLS)) $(DESTDIR)$(BINDIR)/
	install -m 0755 scripts/cadv-health $(DESTDIR)$(BINDIR)/
	install -m 0755 scripts/cadv $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(wildcard docs/man/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(wildcard docs/man/*.8) $(DESTDIR)$(MANDIR)/man8/

# libcadv: the library, its header, its .pc, section 3 of the manual and
# the Python module
install-lib: libcadv
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man3 \
	    $(DESTDIR)$(PYTHONDIR)/cadv
	install -m 0644 $(CADV_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(CADV_SO)) $(DESTDIR)$(LIBDIR)/$(CADV_SONAME)
	ln -sf $(CADV_SONAME) $(DESTDIR)$(LIBDIR)/libcadv.so
	install -m 0644 libcadv/cadv.h $(DESTDIR)$(INCLUDEDIR)/
	$(CADV_PC_SED) >$(DESTDIR)$(LIBDIR)/pkgconfig/cadv.pc
	chmod 0644 $(DESTDIR)$(LIBDIR)/pkgconfig/cadv.pc
	$(if $(wildcard docs/man/*.3),install -m 0644 $(wildcard docs/man/*.3) $(DESTDIR)$(MANDIR)/man3/)
	install -m 0644 $(wildcard python/cadv/*.py) $(DESTDIR)$(PYTHONDIR)/cadv/
	if [ -z "$(DESTDIR)" ] && command -v $(LDCONFIG) >/dev/null; then $(LDCONFIG); fi

# the systemd units, with the install paths written in, and the daemons'
# users (made at once when installing into this system)
install-units:
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	for u in scripts/systemd/*.service.in; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' $$u >$(DESTDIR)$(UNITDIR)/$$(basename $$u .in) && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$(basename $$u .in) || exit 1; \
	done
	install -m 0644 scripts/systemd/cadv.sysusers $(DESTDIR)$(SYSUSERSDIR)/cadv.conf
	if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
		systemd-sysusers $(SYSUSERSDIR)/cadv.conf; fi

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(DAEMONS) cadv) $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS) cadv-health)
	rm -f $(patsubst scripts/systemd/%.in,$(DESTDIR)$(UNITDIR)/%,$(wildcard scripts/systemd/*.service.in))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/cadv.conf
	rm -f $(DESTDIR)$(LIBDIR)/libcadv.so* $(DESTDIR)$(LIBDIR)/pkgconfig/cadv.pc $(DESTDIR)$(INCLUDEDIR)/cadv.h
	rm -rf $(DESTDIR)$(PYTHONDIR)/cadv
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(wildcard docs/man/*.3)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard docs/man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard docs/man/*.8)))

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
