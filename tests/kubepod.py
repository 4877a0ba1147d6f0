#!/usr/bin/python3
"""kubepod.py DAEMONSET.yaml: the `podman run` flags that run the
DaemonSet's pod template as the kubelet would, one argument a line (the
image and its arguments last), for tests/integration/kubernetes.sh.
Everything the template asks for is translated or refused: a field this
does not know ends it with status 1, so the test runs the spec as written,
not a guess of it."""
import sys

import yaml

KNOWN_POD = {"serviceAccountName", "automountServiceAccountToken", "hostPID",
             "priorityClassName", "tolerations",
             "terminationGracePeriodSeconds", "containers", "volumes"}
KNOWN_CTR = {"name", "image", "imagePullPolicy", "args", "env", "ports",
             "readinessProbe", "livenessProbe", "resources",
             "securityContext", "volumeMounts"}
KNOWN_SC = {"privileged", "readOnlyRootFilesystem", "allowPrivilegeEscalation",
            "runAsUser", "capabilities"}


def quantity(q):
    """Kubernetes memory quantity (Ki, Mi, Gi) as podman's k/m/g"""
    for suf, p in (("Ki", "k"), ("Mi", "m"), ("Gi", "g")):
        if q.endswith(suf):
            return q[:-2] + p
    return q


def cpus(q):
    return str(int(q[:-1]) / 1000) if q.endswith("m") else q


def main():
    ds = yaml.safe_load(open(sys.argv[1]))
    spec = ds["spec"]["template"]["spec"]
    bad = set(spec) - KNOWN_POD
    (c,) = spec["containers"]
    bad |= set(c) - KNOWN_CTR
    bad |= set(c.get("securityContext", {})) - KNOWN_SC
    if bad:
        sys.exit("kubepod: not translated: %s" % ", ".join(sorted(bad)))
    out = []
    if spec.get("hostPID"):
        out.append("--pid=host")
    sc = c.get("securityContext", {})
    if sc.get("privileged"):
        out.append("--privileged")
    if sc.get("readOnlyRootFilesystem"):
        out.append("--read-only")
    if sc.get("allowPrivilegeEscalation") is False:
        out += ["--security-opt", "no-new-privileges"]
    if "runAsUser" in sc:
        out += ["--user", str(sc["runAsUser"])]
    for cap in sc.get("capabilities", {}).get("drop", []):
        out += ["--cap-drop", cap]
    for cap in sc.get("capabilities", {}).get("add", []):
        out += ["--cap-add", cap]
    lim = c.get("resources", {}).get("limits", {})
    req = c.get("resources", {}).get("requests", {})
    if "memory" in lim:
        out += ["--memory", quantity(lim["memory"])]
    if "memory" in req:
        out += ["--memory-reservation", quantity(req["memory"])]
    if "cpu" in lim:
        out += ["--cpus", cpus(lim["cpu"])]
    for e in c.get("env", []):
        out += ["--env", "%s=%s" % (e["name"], e["value"])]
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    for m in c.get("volumeMounts", []):
        v = vols[m["name"]]
        ro = m.get("readOnly", False)
        if "hostPath" in v:
            hp = v["hostPath"]
            if hp.get("type") == "CharDevice":
                out += ["--device", "%s:%s:%s" % (hp["path"], m["mountPath"],
                                                  "r" if ro else "rw")]
            else:
                out += ["--volume", "%s:%s%s" % (hp["path"], m["mountPath"],
                                                 ":ro" if ro else "")]
        elif "emptyDir" in v:
            ed = v["emptyDir"]
            if ed.get("medium") != "Memory":
                sys.exit("kubepod: emptyDir on disk not translated")
            size = ",size=" + quantity(ed["sizeLimit"]) if "sizeLimit" in ed else ""
            out += ["--tmpfs", "%s:mode=0755%s" % (m["mountPath"], size)]
        else:
            sys.exit("kubepod: volume %s not translated" % m["name"])
    out.append(c["image"])
    out += c.get("args", [])
    print("\n".join(out))


main()
