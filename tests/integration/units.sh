# The systemd units: `make install` writes them with the install paths, and
# systemd-analyze verify accepts them (and refuses a broken one).
. "$CADV_TOP/tests/lib.sh"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip "systemd units" "systemd-analyze is not installed"
	exit 0
fi
D=$T/inst
# make install's unit step, with this build's daemons as SBINDIR (verify
# checks that each ExecStart binary exists)
make -s -C "$TOP" install-units DESTDIR="$D" UNITDIR=/units SBINDIR="$BIN" \
    >"$T/install.out" 2>&1
U=$D/units
expect "make install-units writes both units" test -s "$U/cadv-pipeline.service" -a -s "$U/cadv-eventd.service"
expect "units name the installed daemons" grep -q "ExecStart=$BIN/eventd$" "$U/cadv-eventd.service"
# Documentation=man:... is checked too: the pages
mkdir -p "$T/man/man8"
cp "$TOP"/docs/man/*.8 "$T/man/man8/"
MANPATH=$T/man systemd-analyze verify "$U"/*.service >"$T/verify.out" 2>&1
expect "systemd-analyze verify accepts the units" test $? -eq 0 -a ! -s "$T/verify.out"
sed 's|^ExecStart=.*|ExecStart=/nonexistent/eventd|' "$U/cadv-eventd.service" >"$T/broken.service"
expect "and refuses a unit whose daemon is missing" sh -c "! MANPATH='$T/man' systemd-analyze verify '$T/broken.service' >/dev/null 2>&1"
for u in "$U"/*.service; do
	n=$(basename "$u")
	for opt in NoNewPrivileges=yes ProtectSystem=strict ReadWritePaths=/run/cadv \
	    Restart=on-failure SystemCallFilter=@system-service; do
		expect "$n: $opt" grep -qx "$opt" "$u"
	done
	expect "$n: a bounding set, not every capability" grep -q '^CapabilityBoundingSet=CAP_' "$u"
done
expect "the exporter unit exists" test -s "$U/cadv-exporterd.service"
expect "eventd has no network of its own" grep -qx PrivateNetwork=yes "$U/cadv-eventd.service"
expect "eventd may read /dev/kmsg and no other device" sh -c "grep -qx 'DeviceAllow=/dev/kmsg r' '$U/cadv-eventd.service' && grep -qx DevicePolicy=closed '$U/cadv-eventd.service'"
