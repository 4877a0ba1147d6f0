# The store's files as the daemons' user could plant them (issue 17,
# finding 1): a symbolic or hard link in place of data.mdb, lock.mdb or
# events.sock must never steer a root process (a writer, a reader, the
# socket's chown) to a file outside the store.  The daemons' user here is
# nobody.
. "$CADV_TOP/tests/lib.sh"

if ! is_root; then
	skip "planted links in the store" "needs root (the attack is on a root start)"
	exit 0
fi
DU=$(id -u nobody)	# the daemons' user, as an attacker has it
DG=$(id -g nobody)
C="$BIN/cadvctl"
R=$T/tree
mkdir -p "$R/a"
cp "$FIX/v2tree/cgroup.controllers" "$FIX/v2tree/cpu.stat" "$R/"
chmod -R a+rX "$R"

# victim FILE: a root-owned 0600 file outside the store
victim() { printf 'secret\n' >"$1"; chmod 600 "$1"; chown 0:0 "$1"; }
# untouched FILE: still root's, 0600, same bytes
untouched() {
	[ "$(stat -c '%u:%g %a %s' "$1")" = "0:0 600 7" ] && [ "$(cat "$1")" = secret ]
}
# as_du CMD...: run as the daemons' user
as_du() { setpriv --reuid=$DU --regid=$DG --clear-groups "$@"; }
# writer STORE: collectord as root, dropping to the daemons' user, for a
# moment (it opens, fixes modes and ownership, drops, samples once)
writer() {
	mkfifo "$T/w.fifo" 2>/dev/null
	"$BIN/collectord" --store "$1" --root "$R" --user nobody <"$T/w.fifo" 2>>"$T/w.err" &
	wp=$!
	"$BIN/watcherd" --root "$R" --user nobody >"$T/w.fifo" 2>>"$T/w.err" &
	wwp=$!
	sleep 1.5
	kill $wp $wwp 2>/dev/null
	wait $wp $wwp 2>/dev/null
	return 0
}

# a store made by a root start, handed to the daemons' user
S=$T/store
writer "$S"
expect "a root start makes a store (the test works)" sh -c "'$C' --store '$S' stats /a >/dev/null"
expect "the store directory is not the daemons' user's: it cannot add or replace entries" \
    sh -c "! setpriv --reuid=$DU --regid=$DG --clear-groups ln -s /etc/passwd '$S/x' 2>/dev/null"

# the attack of the report, for each file: a link planted in the store
# while the daemons' user had the directory (as the old layout gave it)
for f in lock.mdb data.mdb; do
	for kind in symlink hardlink; do
		v=$T/victim-$f-$kind
		victim "$v"
		S2=$T/s-$f-$kind
		writer "$S2"
		chown $DU:$DG "$S2"	# the old layout: the directory was the user's
		as_du sh -c "rm -f '$S2/$f'"
		if [ $kind = symlink ]; then
			kind_what="a symbolic link"
			as_du ln -s "$v" "$S2/$f"
		else
			kind_what="a file with other hard links"
			# protected_hardlinks stops the user; a link made as
			# root stands for a kernel that lets it
			ln "$v" "$S2/$f"
		fi
		"$C" --store "$S2" ls >/dev/null 2>"$T/r.err"
		expect "$f as a $kind: a root reader leaves the file outside the store as it was" untouched "$v"
		"$TOP/scripts/cadv-health" --cadvctl "$C" --store "$S2" >/dev/null 2>&1
		expect "$f as a $kind: cadv-health as root leaves it as it was" untouched "$v"
		writer "$S2"
		expect "$f as a $kind: a root writer leaves it as it was" untouched "$v"
		expect "$f as a $kind: the writer moves the planted file aside, naming it" \
		    grep -q "$S2/$f: $kind_what, not the store's file: moved aside as $S2/$f.unsafe-" "$T/w.err"
		expect "$f as a $kind: the directory is root's again" test "$(stat -c %u "$S2")" = 0
	done
done

# events.sock: eventd binds it as root and hands it to its user
v=$T/victim-sock
victim "$v"
S3=$T/s-sock
writer "$S3"
chown $DU:$DG "$S3"
as_du ln -s "$v" "$S3/events.sock"
"$BIN/eventd" --store "$S3" --kmsg /nonexistent --user nobody 2>"$T/e.err" &
ep=$!
sleep 1
kill $ep 2>/dev/null
wait $ep 2>/dev/null
expect "events.sock as a symlink: eventd as root leaves the file outside as it was" untouched "$v"
exit 0
