# exporterd with runtime identities (issue 18): cAdvisor's name, image,
# container_label_* and container_env_* labels on every series, the same
# label names on every series of a family, the kubelet's labels with
# --labels kubelet and always at /metrics/cadvisor, network families only from a namespace's owner, and
# the JSON API's aliases, namespace, spec.image/labels/envs, docker
# endpoint, ?type=docker and events naming their container.  The store is
# storefill's (--idents: see tests/tools/storefill.c for who is who).
. "$CADV_TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	skip "ident_exporterd" "curl is not installed (make deps)"
	exit 0
fi
S=$T/store
"$TBIN/storefill" --store "$S" --containers 12 --samples 2 --events 8 --idents >/dev/null
PORT=$(free_port)
U=http://127.0.0.1:$PORT
start() {	# start ARGS...: exporterd on $PORT, XP its pid
	"$BIN/exporterd" --store "$S" --listen "127.0.0.1:$PORT" "$@" \
	    2>>"$T/exporterd.err" &
	XP=$!
	on_exit "kill $XP 2>/dev/null"
	wait_for 5 curl -sf -o /dev/null "$U/healthz"
}
stop() { kill "$XP"; wait "$XP" 2>/dev/null; }
code() { curl -s -m 10 -o "$T/body" -w '%{http_code}' "$@"; }
# promcheck FILE: promtool says nothing but cAdvisor's own complaints
. "$CADV_TOP/tests/promcheck.sh"
# prom FILE EXPR: EXPR over the exposition, a list s of (family, {labels},
# value) and fam(name), ser(family, **labels) at hand
prom() {
	"$PY" - "$1" "$2" <<'PYEOF'
import re, sys
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (\d+))?$')
LAB = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(,|$)')
s = []
for ln in open(sys.argv[1], encoding="utf-8"):
    ln = ln.rstrip("\n")
    if not ln or ln.startswith("#"):
        continue
    m = LINE.match(ln)
    if not m:
        print("unparsed:", ln[:200])
        sys.exit(2)
    labels, pos = {}, 0
    body = m.group(2) or ""
    for l in LAB.finditer(body):
        if l.start() != pos or l.group(1) in labels:
            print("bad labels:", ln[:200])
            sys.exit(2)
        labels[l.group(1)] = l.group(2)
        pos = l.end()
    if pos != len(body):
        print("bad labels:", ln[:200])
        sys.exit(2)
    s.append((m.group(1), labels, m.group(3)))
fam = lambda n: [x for x in s if x[0] == n]
ser = lambda n, **kw: [x for x in s if x[0] == n and
                       all(x[1].get(k) == v for k, v in kw.items())]
ok = eval(sys.argv[2])
if not ok:
    print("false:", sys.argv[2])
sys.exit(0 if ok else 1)
PYEOF
}
# ids storefill gives: 64 hex digits from the index
hexid() { printf '%016x%016x%016x%016x' $((0xc0ffee00 + $1)) "$1" $(($1 * 7 + 1)) $(($1 * 13 + 5)); }
SANDBOX=$(hexid 3)
DWEB=$(hexid 1)

# ---- /metrics, cAdvisor's labels, APP_MODE allowed ----
start --env-metadata-whitelist APP_MODE
curl -s "$U/metrics" >"$T/m"
if command -v promtool >/dev/null 2>&1; then
	expect "promtool check metrics accepts the labelled scrape" promcheck "$T/m"
else
	skip "promtool check metrics" "promtool is not installed (package prometheus)"
fi
expect "the exposition parses: names, quoted values, no label twice" prom "$T/m" 'len(s) > 100'
expect "every series of a family has the same label names (cAdvisor's union, \"\" where a container has none)" \
    prom "$T/m" 'all(len({tuple(sorted(x[1])) for x in fam(f)}) == 1 for f in {x[0] for x in s})'
expect "name=\"web1\": image=\"localhost/bb:1\", container_label_app=\"web\"" \
    prom "$T/m" 'ser("container_memory_working_set_bytes", name="web1", image="localhost/bb:1", container_label_app="web", id="/fill/c0")'
expect "a dotted label key is sanitised: container_label_tier_name" \
    prom "$T/m" 'ser("container_start_time_seconds", name="web1", container_label_tier_name="front")'
expect "podman's restart count is label restartcount, as cAdvisor's" \
    prom "$T/m" 'ser("container_start_time_seconds", name="web1", container_label_restartcount="2")'
expect "an allowed variable is container_env_<lower-cased name> (podman)" \
    prom "$T/m" 'ser("container_start_time_seconds", name="web1", container_env_app_mode="prod")'
expect "variables not allowed are nowhere (SECRET_TOKEN, PATH)" \
    prom "$T/m" '{k for x in s for k in x[1] if k.startswith("container_env_")} == {"container_env_app_mode"}'
expect "a label value's \", \\, newline and 0xff escaped as for id: valid text" \
    grep -qF 'container_label_com_example_odd="quote\"back\\\\slash\\x0aline\\xff"' "$T/m"
expect "raw cgroups and containers without those labels: empty values" \
    prom "$T/m" 'ser("container_start_time_seconds", name="bulk9", container_label_tier_name="", container_env_app_mode="", container_label_idx="9")'
expect "the pod's sandbox (the namespace's owner) has network families" \
    prom "$T/m" 'ser("container_network_receive_bytes_total", id="/fill/c3", interface="eth0")'
expect "a container of the pod sharing the sandbox's namespace has none" \
    prom "$T/m" 'not [x for x in s if x[0].startswith("container_network_") and x[1]["id"] in ("/fill/c4",)] and ser("container_memory_usage_bytes", id="/fill/c4")'
expect "a docker container on another's network (--network container:) has none" \
    prom "$T/m" 'not [x for x in s if x[0].startswith("container_network_") and x[1]["id"] == "/fill/c6"] and ser("container_start_time_seconds", id="/fill/c6")'
expect "interfaces cAdvisor skips (lo*, veth*, docker*, nerdctl*) are left out" \
    prom "$T/m" '{x[1]["interface"] for x in s if x[0] == "container_network_transmit_bytes_total"} == {"eth0"}'
stop

# ---- defaults: no variable at all ----
start
curl -s "$U/metrics" >"$T/m0"
expect "by default no container_env_* label" \
    prom "$T/m0" 'not [x for x in s if any(k.startswith("container_env_") for k in x[1])] and ser("container_start_time_seconds", name="web1", container_label_app="web")'
# ---- /metrics/cadvisor: the kubelet's labels whatever --labels says ----
curl -s "$U/metrics/cadvisor" >"$T/mc"
if command -v promtool >/dev/null 2>&1; then
	expect "promtool check metrics accepts /metrics/cadvisor" promcheck "$T/mc"
fi
expect "/metrics/cadvisor: exactly id, name, image, container, pod, namespace" \
    prom "$T/mc" '{tuple(sorted(x[1])) for x in fam("container_memory_working_set_bytes")} == {("container", "id", "image", "name", "namespace", "pod")}'
expect "/metrics/cadvisor: the CRI container with container, pod and namespace" \
    prom "$T/mc" 'ser("container_memory_working_set_bytes", namespace="shop", pod="api-7d9f", container="api", image="localhost/bb:1")'
expect "/metrics/cadvisor: no container_label_*" \
    prom "$T/mc" 'not [x for x in s if any(k.startswith("container_") for k in x[1])]'
expect "/metrics/cadvisor: the same families and series count as /metrics" \
    prom "$T/mc" 'sorted(x[0] for x in s) == sorted(l.split("{")[0].split(" ")[0] for l in open("'"$T/m0"'") if l.strip() and not l.startswith("#"))'
curl -s "$U/metrics" >"$T/m0b"
expect "/metrics after it keeps cAdvisor's labels" \
    prom "$T/m0b" 'ser("container_start_time_seconds", name="web1", container_label_app="web") and not ser("container_start_time_seconds", pod="")'
stop

# ---- --store-container-labels=false ----
start --store-container-labels=false --whitelisted-container-labels 'app,io.kubernetes.pod.name'
curl -s "$U/metrics" >"$T/mw"
expect "--store-container-labels=false: only the listed labels" \
    prom "$T/mw" '{k for x in s for k in x[1] if k.startswith("container_label_")} == {"container_label_app", "container_label_io_kubernetes_pod_name"} and ser("container_start_time_seconds", name="dweb", container_label_app="dweb")'
stop

# ---- --labels kubelet ----
start --labels kubelet --env-metadata-whitelist APP_MODE
curl -s "$U/metrics" >"$T/mk"
if command -v promtool >/dev/null 2>&1; then
	expect "promtool check metrics accepts the kubelet scrape" promcheck "$T/mk"
fi
expect "--labels kubelet: exactly id, name, image, container, pod, namespace" \
    prom "$T/mk" '{tuple(sorted(x[1])) for x in fam("container_memory_working_set_bytes")} == {("container", "id", "image", "name", "namespace", "pod")}'
expect "the CRI container: container=\"api\", pod, namespace, image" \
    prom "$T/mk" 'ser("container_memory_working_set_bytes", namespace="shop", pod="api-7d9f", container="api", image="localhost/bb:1")'
expect "the pod-level cgroup gets its pod and namespace" \
    prom "$T/mk" 'ser("container_memory_working_set_bytes", id="/fill/c7", namespace="shop", pod="api-7d9f", container="", name="")'
expect "the sandbox: the pod's, container as its runtime labels it (\"\" for containerd)" \
    prom "$T/mk" 'ser("container_start_time_seconds", id="/fill/c3", namespace="shop", pod="api-7d9f", container="", name="'"$SANDBOX"'")'
expect "a non-Kubernetes container: name and image, empty pod fields" \
    prom "$T/mk" 'ser("container_start_time_seconds", name="web1", image="localhost/bb:1", pod="", namespace="", container="")'
expect "kubelet labels: no container_label_* or container_env_*" \
    prom "$T/mk" 'not [x for x in s if any(k.startswith("container_") for k in x[1])]'
curl -s "$U/metrics/cadvisor" >"$T/mkc"
expect "--labels kubelet: /metrics/cadvisor has the kubelet's labels too" \
    prom "$T/mkc" '{tuple(sorted(x[1])) for x in fam("container_memory_working_set_bytes")} == {("container", "id", "image", "name", "namespace", "pod")}'
stop

# ---- JSON ----
start --env-metadata-whitelist 'APP_*,PATH'
curl -s "$U/api/v1.3/containers/fill/c0?count=1" >"$T/v1.json"
expect "v1.3/containers: aliases [name, id], namespace podman (cAdvisor's podman handler)" \
    has "$T/v1.json" '(d["aliases"] == ["web1", "'"$(hexid 0)"'"] and d["namespace"] == "podman") or d["x"]'
expect "v1.3/containers: spec.image, spec.labels (with restartcount)" \
    has "$T/v1.json" '(d["spec"]["image"] == "localhost/bb:1" and d["spec"]["labels"] == {"app": "web", "tier.name": "front", "restartcount": "2"}) or d["x"]'
expect "v1.3/containers: spec.envs holds the allowed variables only, lower-cased" \
    has "$T/v1.json" '(d["spec"]["envs"] == {"app_mode": "prod"}) or d["x"]'
curl -s "$U/api/v2.0/spec/fill/c4" >"$T/spec4.json"
expect "v2.0/spec: a containerd container's aliases [id, cgroup], namespace containerd, image, labels" \
    has "$T/spec4.json" '(d["/fill/c4"]["aliases"] == ["'"$(hexid 4)"'", "/fill/c4"] and d["/fill/c4"]["namespace"] == "containerd" and d["/fill/c4"]["image"] == "localhost/bb:1" and d["/fill/c4"]["labels"]["io.kubernetes.container.name"] == "api") or d["x"]'
curl -s "$U/api/v2.0/spec/fill/c9" >"$T/spec9.json"
expect "v2.0/spec: no envs where none is allowed or stored" \
    has "$T/spec9.json" '("envs" not in d["/fill/c9"] and d["/fill/c9"]["namespace"] == "podman") or d["x"]'
curl -s "$U/api/v1.3/docker/?count=0" >"$T/docker.json"
expect "v1.3/docker/: every running docker container by cgroup name (not podman's, not the deleted one)" \
    has "$T/docker.json" '(sorted(d) == ["/fill/c1", "/fill/c6"] and d["/fill/c1"]["aliases"][0] == "dweb" and d["/fill/c1"]["namespace"] == "docker") or d["x"]'
curl -s "$U/api/v1.3/docker/dweb?count=1" >"$T/dweb.json"
expect "v1.3/docker/NAME: that container, with its samples" \
    has "$T/dweb.json" '(list(d) == ["/fill/c1"] and len(d["/fill/c1"]["stats"]) == 1 and d["/fill/c1"]["spec"]["envs"] == {"path": "/bin"}) or d["x"]'
curl -s "$U/api/v1.3/docker/$DWEB?count=0" >"$T/byid.json"
expect "v1.3/docker/ID" has "$T/byid.json" '(list(d) == ["/fill/c1"]) or d["x"]'
curl -s "$U/api/v1.2/docker/$(echo "$DWEB" | cut -c1-16)?count=0" >"$T/byprefix.json"
expect "v1.2/docker/ID-PREFIX (a unique one)" has "$T/byprefix.json" '(list(d) == ["/fill/c1"]) or d["x"]'
expect "v1.3/docker/ with a prefix of many ids: 400" test "$(code "$U/api/v1.3/docker/00000000c0ffee")" = 400
expect "v1.3/docker/ a podman container: 404" test "$(code "$U/api/v1.3/docker/web1")" = 404
expect "v1.3/docker/ an exited one: 404" test "$(code "$U/api/v1.3/docker/oomer")" = 404
expect "v1.3/docker/ an unknown name: 404 with a JSON error" sh -c "test \"\$(curl -s -o '$T/body' -w '%{http_code}' '$U/api/v1.3/docker/nosuch')\" = 404 && grep -q '\"error\"' '$T/body'"
curl -s "$U/api/v2.0/stats/dweb?type=docker&count=1" >"$T/v2d.json"
expect "v2.0/stats/NAME?type=docker" has "$T/v2d.json" '(list(d) == ["/fill/c1"] and len(d["/fill/c1"]) == 1) or d["x"]'
curl -s "$U/api/v2.0/spec/$DWEB?type=docker" >"$T/v2id.json"
expect "v2.0/spec/ID?type=docker" has "$T/v2id.json" '(list(d) == ["/fill/c1"] and d["/fill/c1"]["aliases"] == ["dweb", "'"$DWEB"'"]) or d["x"]'
curl -s "$U/api/v2.0/spec/web1?type=podman" >"$T/v2p.json"
expect "v2.0/spec/NAME?type=podman" has "$T/v2p.json" '(list(d) == ["/fill/c0"]) or d["x"]'
curl -s "$U/api/v2.0/spec/?type=docker&recursive=true" >"$T/v2all.json"
expect "v2.0/spec/?type=docker&recursive=true: every docker container" has "$T/v2all.json" '(sorted(d) == ["/fill/c1", "/fill/c6"]) or d["x"]'
expect "?type=docker&recursive=true under a name: 400" test "$(code "$U/api/v2.0/spec/dweb?type=docker&recursive=true")" = 400
expect "?type=docker for a podman name: 404" test "$(code "$U/api/v2.0/stats/web1?type=docker")" = 404
expect "?type=bogus: 400" test "$(code "$U/api/v2.0/stats/?type=bogus")" = 400
curl -s "$U/api/v2.0/events/?all_events=true&subcontainers=true&max_events=-1" >"$T/ev.json"
expect "events name their container: the OOM kill in oomer (docker, its image)" \
    has "$T/ev.json" '[e for e in d if e["event_type"] == "oomKill" and e.get("container", {}).get("name") == "oomer" and e["container"]["image"] == "localhost/bb:1" and e["container"]["runtime"] == "docker"] or d["x"]'
expect "its deletion carries exit code 137 and oom_killed" \
    has "$T/ev.json" '[e for e in d if e["event_type"] == "containerDeletion" and e.get("container", {}).get("name") == "oomer" and e["event_data"]["container_deletion"] == {"exit_code": 137, "oom_killed": True}] or d["x"]'
expect "web1's creation names web1" \
    has "$T/ev.json" '[e for e in d if e["event_type"] == "containerCreation" and e.get("container", {}).get("name") == "web1"] or d["x"]'
expect "events of raw cgroups have no container object" \
    has "$T/ev.json" '[e for e in d if e["container_name"] == "/a" and "container" not in e] or d["x"]'
stop
expect "exporterd said nothing of bad identities" sh -c "! grep -q 'container labels' '$T/exporterd.err'"
