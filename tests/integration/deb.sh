# The Debian package: dpkg-buildpackage builds it from a copy of the tree,
# lintian finds nothing unexplained, dpkg -i installs it, the daemons it
# ships start without systemd (cadv start) as the users its postinst made
# and serve /metrics, and dpkg --purge takes it all away again.
. "$CADV_TOP/tests/lib.sh"

PORT=$(free_port)
USERS="cadv cadv-watch cadv-ident cadv-web"

if ! is_root; then
	skip "debian package" "dpkg -i needs root"
	exit 0
fi
for t in dpkg-buildpackage dh lintian fakeroot curl; do
	if ! command -v $t >/dev/null 2>&1; then
		skip "debian package" "$t is not installed (make deps check)"
		exit 0
	fi
done
# the package builds with its own flags: the sanitizer run adds nothing
if ldd "$BIN/collectord" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	skip "debian package" "a sanitizer build (the package is built with Debian's flags, once, in the plain run)"
	exit 0
fi
# an installed cadv (package or make install) is someone's: not ours to
# replace or purge
if dpkg-query -W -f='${Status}' cadv 2>/dev/null | grep -q 'installed'; then
	skip "debian package" "a cadv package is installed on this machine"
	exit 0
fi
for f in /usr/sbin/collectord /usr/sbin/cadv /usr/bin/cadvctl /lib/systemd/system/cadv-pipeline.service; do
	if [ -e "$f" ]; then
		skip "debian package" "$f exists (a make install into /usr?): not ours to overwrite"
		exit 0
	fi
done

# the package's users stay on purge (debian/README.Debian); the ones this
# test caused are removed at the end, to leave the machine as it was
made_users=""
for u in $USERS; do
	getent passwd "$u" >/dev/null || made_users="$made_users $u"
done

# a copy of the tracked files: the working tree gets no debian/cadv,
# build/deb or ../cadv_*.deb, and nothing from build/ is reused
S=$T/pkg/cadv
mkdir -p "$S"
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$TOP" ls-files -z |
	    (cd "$TOP" && tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
	    tar -xf - -C "$S"
else
	(cd "$TOP" && tar --exclude=./build -cf - .) | tar -xf - -C "$S"
fi
chmod -R a+rX "$T/pkg"

if ! (cd "$S" && dpkg-checkbuilddeps) >"$T/builddeps.out" 2>&1; then
	skip "debian package" "$(tail -n 1 "$T/builddeps.out") (make deps check)"
	exit 0
fi

t0=$(date +%s)
(cd "$S" && DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -us -uc -b) \
    >"$T/build.out" 2>&1
rc=$?
t1=$(date +%s)
echo "deb: dpkg-buildpackage took $((t1 - t0)) s (unit suites included)"
DEB=$(ls "$T"/pkg/cadv_*_*.deb 2>/dev/null | head -n 1)
if [ "$rc" -ne 0 ] || [ -z "$DEB" ]; then
	fail "dpkg-buildpackage builds cadv_*.deb" "exit $rc: $(tail -n 15 "$T/build.out")"
	exit 1
fi
pass "dpkg-buildpackage builds $(basename "$DEB")"
expect "the package build ran the unit suites, all passing" \
    grep -Eq '^[0-9]+ passed, 0 failed$' "$T/build.out"

# the version is the project's own
want=$(sed -n 's/^#define CADV_VERSION[[:space:]]*"\(.*\)"/\1/p' "$TOP/libparse/version.h")
got=$(dpkg-deb -f "$DEB" Version)
expect "the package's version $got is CADV_VERSION ($want)" test -n "$want" -a "$got" = "$want"
expect "Depends come from shlibs (liblmdb0, libseccomp2, libmicrohttpd12)" \
    sh -c "dpkg-deb -f '$DEB' Depends | grep -q liblmdb0 && dpkg-deb -f '$DEB' Depends | grep -q libseccomp2 && dpkg-deb -f '$DEB' Depends | grep -q libmicrohttpd12"

# lintian: an E: or W: line is a tag nobody explained in an override.
# Its temporary files (MLDBM caches it leaves behind) go with $T.
mkdir -p "$T/tmp"
TMPDIR=$T/tmp lintian -I "$T"/pkg/cadv_*.changes >"$T/lintian.out" 2>&1
if grep -Eq '^[EW]: ' "$T/lintian.out"; then
	fail "lintian reports no unexplained error or warning" "$(grep -E '^[EW]: ' "$T/lintian.out" | head -n 10)"
else
	pass "lintian reports no unexplained error or warning"
fi
expect "lintian used no override that no longer applies" \
    sh -c "! grep -q 'unused-override\|mismatched-override' '$T/lintian.out'"

# users this test caused go after the purge, whatever happened; their
# groups of the same name too (cadv's has cadv-web in it)
# (userdel refuses a user some process runs as: said, not hidden, for a
# concurrent run's daemons may have taken the users up meanwhile)
drop_user() {
	# a process of another run may have taken the user up meanwhile:
	# the user goes all the same (-f), for a machine left with some of
	# cadv's users and not others runs its daemons under mixed ids
	userdel "$1" 2>/dev/null || userdel -f "$1" 2>/dev/null
	! getent group "$1" >/dev/null || groupdel "$1" 2>/dev/null
	! getent passwd "$1" >/dev/null ||
	    echo "deb: could not remove user $1: $(ps -o pid=,args= -u "$1" | head -n 1)"
}
for u in $made_users; do
	on_exit "drop_user $u"
done
# installed: when the test ends, purged whatever happened
on_exit "dpkg --purge cadv >/dev/null 2>&1"
dpkg -i "$DEB" >"$T/install.out" 2>&1
expect "dpkg -i installs it without a running systemd" test $? -eq 0
expect "dpkg records it as installed" \
    sh -c "dpkg-query -W -f='\${Status}' cadv | grep -q 'install ok installed'"
for f in /usr/sbin/watcherd /usr/sbin/collectord /usr/sbin/eventd \
    /usr/sbin/identd /usr/sbin/exporterd /usr/sbin/cadv /usr/bin/cadvctl \
    /usr/bin/cadv-health; do
	expect "installed: $f (executable)" test -x "$f"
done
for u in cadv-pipeline cadv-eventd cadv-identd cadv-exporterd; do
	expect "installed: unit $u.service names /usr/sbin" \
	    grep -q '^ExecStart=.*/usr/sbin/' "/lib/systemd/system/$u.service"
done
expect "installed: /usr/lib/sysusers.d/cadv.conf" test -s /usr/lib/sysusers.d/cadv.conf
for m in man1/cadvctl.1 man1/cadv-health.1 man8/cadv.8 man8/watcherd.8 \
    man8/collectord.8 man8/eventd.8 man8/identd.8 man8/exporterd.8; do
	expect "installed: man page $m" test -s "/usr/share/man/$m.gz"
done
for u in $USERS; do
	expect "postinst made the user $u" sh -c "getent passwd $u >/dev/null"
done
# the library's packages: the shared library, its development files and
# the Python module, each installable and usable as a user would
LIBDEBS=$(ls "$T"/pkg/libcadv0_*.deb "$T"/pkg/libcadv-dev_*.deb \
    "$T"/pkg/python3-cadv_*.deb 2>/dev/null)
expect "the build made libcadv0, libcadv-dev and python3-cadv" \
    test "$(echo $LIBDEBS | wc -w)" -eq 3
on_exit "dpkg --purge python3-cadv libcadv-dev libcadv0 >/dev/null 2>&1"
dpkg -i $LIBDEBS >"$T/libinstall.out" 2>&1
expect "dpkg -i installs the library's packages" test $? -eq 0
expect "libcadv0 holds only the soname's files (libcadv.so.0*)" \
    sh -c "dpkg -L libcadv0 | grep '\.so' | grep -qv 'libcadv\.so\.0' && exit 1 || dpkg -L libcadv0 | grep -q 'libcadv\.so\.0\$'"
expect "pkg-config finds cadv from libcadv-dev" \
    sh -c "pkg-config --modversion cadv | grep -q '^[0-9]'"
expect "man 3 cadv_open is installed" \
    sh -c "test -s /usr/share/man/man3/cadv_open.3.gz"
cat >"$T/ex.c" <<'EOC'
#include <cadv.h>
#include <stdio.h>
int main(void) { printf("%s\n", cadv_strerror(CADV_NOSTORE)); return 0; }
EOC
expect "a program builds against the installed header and library" \
    sh -c "cc -o '$T/ex' '$T/ex.c' \$(pkg-config --cflags --libs cadv) && '$T/ex' | grep -q 'no store'"
cat >"$T/ex.py" <<EOP
import cadv
try:
    cadv.open("$T/none")
except cadv.Error as e:
    print("error:", e)
EOP
(cd / && /usr/bin/python3 "$T/ex.py") >"$T/ex.py.out" 2>&1
expect "python3 imports the installed module; no store is a cadv.Error" \
    grep -q '^error: .*no store' "$T/ex.py.out"
[ -n "$VERBOSE" ] || cat "$T/ex.py.out"
expect "cadv-web is in group cadv (reads the store)" \
    sh -c "id -nG cadv-web | tr ' ' '\n' | grep -qx cadv"
# the units are enabled as Debian does (deb-systemd-helper needs no
# running systemd); starting them was left to a running systemd
W=/etc/systemd/system/multi-user.target.wants
expect "the units are enabled for the next boot with systemd" \
    sh -c "test -L $W/cadv-pipeline.service && test -L $W/cadv-exporterd.service"

# started the way a machine without systemd does, store and pidfiles in
# the test's directory
R=$T/run ST=$T/store
on_exit "/usr/sbin/cadv -r '$R' -s '$ST' stop >/dev/null 2>&1"
CADV_EXPORTERD_ARGS="--listen 127.0.0.1:$PORT" \
    /usr/sbin/cadv -r "$R" -s "$ST" start >"$T/start.out" 2>&1
expect "cadv start starts the installed daemons" test $? -eq 0
expect "cadv status: all running" /usr/sbin/cadv -r "$R" status
pid=$(head -n 1 "$R/collectord.pid" 2>/dev/null)
expect "collectord runs as the package's user cadv" \
    test "$(ps -o user= -p "${pid:-0}" | tr -d ' ')" = cadv
pid=$(head -n 1 "$R/exporterd.pid" 2>/dev/null)
expect "exporterd runs as cadv-web" \
    test "$(ps -o user= -p "${pid:-0}" | tr -d ' ')" = cadv-web
wait_for 10 /usr/bin/cadvctl --store "$ST" stats / >/dev/null
got_metrics() {
	curl -sf "http://127.0.0.1:$PORT/metrics" >"$T/metrics" &&
	    grep -q '^container_cpu_usage_seconds_total{' "$T/metrics"
}
expect "/metrics answers with container series" wait_for 15 got_metrics
expect "/metrics names the package's version" \
    grep -q "^cadvisor_version_info{.*cadvisorVersion=\"$want\"" "$T/metrics"
expect "/metrics has the root cgroup's series" \
    grep -q '^container_cpu_usage_seconds_total{.*id="/"' "$T/metrics"
expect "cadvctl check finds the store consistent" \
    sh -c "/usr/bin/cadvctl --store '$ST' check | grep -q ': consistent$'"
ctl_n=$(/usr/bin/cadvctl --store "$ST" ls | wc -l)
expect "cadvctl ls lists containers ($ctl_n)" test "$ctl_n" -gt 0
expect_status "cadv-health says OK" 0 /usr/bin/cadv-health --store "$ST"
/usr/sbin/cadv -r "$R" -s "$ST" stop >"$T/stop.out" 2>&1
expect_status "cadv stop: none left running" 3 /usr/sbin/cadv -r "$R" status

# where systemd-sysusers is missing (a container without systemd), the
# postinst falls back to adduser: run again with it out of PATH, once the
# users this test caused are gone (users that were there before are not
# ours to remove)
if [ "$(echo $made_users | wc -w)" -eq 4 ]; then
	for u in cadv-web cadv-ident cadv-watch cadv; do
		drop_user "$u"
	done
	mkdir "$T/nosysusers"
	for c in getent deb-systemd-helper deb-systemd-invoke; do
		ln -s "$(command -v $c)" "$T/nosysusers/"
	done
	PATH=$T/nosysusers:/usr/sbin /bin/sh /var/lib/dpkg/info/cadv.postinst \
	    configure >"$T/postinst.out" 2>&1
	expect "without systemd-sysusers, the postinst succeeds" test $? -eq 0
	for u in $USERS; do
		expect "adduser made the user $u" sh -c "getent passwd $u | grep -q ':/nonexistent:'"
	done
	expect "adduser put cadv-web in group cadv" \
	    sh -c "id -nG cadv-web | tr ' ' '\n' | grep -qx cadv"
else
	skip "postinst's adduser fallback" "the users existed before the test:$(echo " $USERS" | tr -s ' ')"
fi

dpkg --purge cadv >"$T/purge.out" 2>&1
expect "dpkg --purge removes it" test $? -eq 0
expect "purged: no daemon, unit or sysusers file is left" \
    sh -c "! ls /usr/sbin/collectord /usr/bin/cadvctl /lib/systemd/system/cadv-pipeline.service /usr/lib/sysusers.d/cadv.conf 2>/dev/null | grep -q ."
expect "purged: the units' enable links are gone" \
    sh -c "! test -e $W/cadv-pipeline.service -o -L $W/cadv-pipeline.service"
t2=$(date +%s)
echo "deb: the whole suite took $((t2 - t0)) s"
