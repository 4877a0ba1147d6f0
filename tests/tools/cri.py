#!/usr/bin/python3
"""A tiny CRI client (runtime.v1.RuntimeService over gRPC on a unix socket),
enough to make pods and containers the way the kubelet does.

    cri.py --sock S --state F runp --name N --namespace NS --uid U
           [--cgroup-parent P] [--label K=V]... [--log-dir D]
                                  prints the sandbox id
    cri.py ... create POD --name C --image I [--memory BYTES]
           [--label K=V]... [--env K=V]... [--attempt N] -- CMD...
                                  prints the container id
    cri.py ... start|stop|rm CID
    cri.py ... status CID         one JSON line: state, exit_code, reason...
    cri.py ... stopp|rmp POD
    cri.py ... cleanup            stops and removes every container and pod
                                  the state file lists (what this tool made)

The messages come from tests/tools/cri.proto (a subset of k8s.io/cri-api
with upstream field numbers), compiled with protoc into a temporary
directory at each run: nothing generated is kept in the tree.  Needs
/usr/bin/python3 with python3-grpcio and python3-protobuf, and protoc."""

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICE = "/runtime.v1.RuntimeService/"


def load_pb():
    tmp = tempfile.mkdtemp(prefix="cadv-cri-pb.")
    try:
        shutil.copy(os.path.join(HERE, "cri.proto"), tmp)
        subprocess.run(["protoc", "-I", tmp, "--python_out", tmp,
                        os.path.join(tmp, "cri.proto")], check=True)
        sys.path.insert(0, tmp)
        return importlib.import_module("cri_pb2")
    finally:
        # the module is loaded: its file is no longer needed
        shutil.rmtree(tmp, ignore_errors=True)


class Client:
    def __init__(self, sock, pb):
        self.pb = pb
        self.ch = grpc.insecure_channel("unix://" + sock)

    def call(self, method, req, resp_type, timeout=60):
        fn = self.ch.unary_unary(SERVICE + method,
                                 request_serializer=lambda m:
                                 m.SerializeToString(),
                                 response_deserializer=resp_type.FromString)
        return fn(req, timeout=timeout)


def kv_list(items):
    out = {}
    for s in items or []:
        k, sep, v = s.partition("=")
        if not sep:
            raise SystemExit("cri.py: %r is not KEY=VALUE" % s)
        out[k] = v
    return out


def load_state(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return {"pods": {}, "containers": []}


def save_state(path, st):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f)
    os.replace(tmp, path)


def pod_config(pb, p):
    cfg = pb.PodSandboxConfig()
    cfg.metadata.name = p["name"]
    cfg.metadata.namespace = p["namespace"]
    cfg.metadata.uid = p["uid"]
    cfg.metadata.attempt = 0
    cfg.hostname = p["name"][:63]
    if p.get("log_dir"):
        cfg.log_directory = p["log_dir"]
    # the kubelet's own labels on every sandbox
    labels = {"io.kubernetes.pod.name": p["name"],
              "io.kubernetes.pod.namespace": p["namespace"],
              "io.kubernetes.pod.uid": p["uid"]}
    labels.update(p.get("labels", {}))
    for k, v in labels.items():
        cfg.labels[k] = v
    cfg.annotations["kubernetes.io/config.source"] = "api"
    if p.get("cgroup_parent"):
        cfg.linux.cgroup_parent = p["cgroup_parent"]
    return cfg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sock", required=True)
    ap.add_argument("--state", required=True)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("runp")
    r.add_argument("--name", required=True)
    r.add_argument("--namespace", required=True)
    r.add_argument("--uid", required=True)
    r.add_argument("--cgroup-parent", default="")
    r.add_argument("--label", action="append")
    r.add_argument("--log-dir", default="")
    c = sub.add_parser("create")
    c.add_argument("pod")
    c.add_argument("--name", required=True)
    c.add_argument("--image", required=True)
    c.add_argument("--memory", type=int, default=0)
    c.add_argument("--label", action="append")
    c.add_argument("--env", action="append")
    c.add_argument("--attempt", type=int, default=0)
    c.add_argument("argv", nargs="+")
    for name in ("start", "stop", "rm", "status"):
        sub.add_parser(name).add_argument("cid")
    for name in ("stopp", "rmp"):
        sub.add_parser(name).add_argument("pod")
    sub.add_parser("cleanup")
    a = ap.parse_args()

    pb = load_pb()
    cl = Client(a.sock, pb)
    st = load_state(a.state)

    if a.cmd == "runp":
        p = {"name": a.name, "namespace": a.namespace, "uid": a.uid,
             "cgroup_parent": a.cgroup_parent, "labels": kv_list(a.label),
             "log_dir": a.log_dir}
        req = pb.RunPodSandboxRequest(config=pod_config(pb, p))
        resp = cl.call("RunPodSandbox", req, pb.RunPodSandboxResponse, 120)
        st["pods"][resp.pod_sandbox_id] = p
        save_state(a.state, st)
        print(resp.pod_sandbox_id)
    elif a.cmd == "create":
        p = st["pods"].get(a.pod)
        if p is None:
            raise SystemExit("cri.py: pod %s was not made by this tool" % a.pod)
        cfg = pb.ContainerConfig()
        cfg.metadata.name = a.name
        cfg.metadata.attempt = a.attempt
        cfg.image.image = a.image
        cfg.command.extend(a.argv)
        for k, v in kv_list(a.env).items():
            cfg.envs.add(key=k, value=v)
        labels = {"io.kubernetes.container.name": a.name,
                  "io.kubernetes.pod.name": p["name"],
                  "io.kubernetes.pod.namespace": p["namespace"],
                  "io.kubernetes.pod.uid": p["uid"]}
        labels.update(kv_list(a.label))
        for k, v in labels.items():
            cfg.labels[k] = v
        cfg.annotations["io.kubernetes.container.restartCount"] = \
            str(a.attempt)
        if p.get("log_dir"):
            cfg.log_path = "%s/%d.log" % (a.name, a.attempt)
        if a.memory:
            cfg.linux.resources.memory_limit_in_bytes = a.memory
        req = pb.CreateContainerRequest(pod_sandbox_id=a.pod, config=cfg,
                                        sandbox_config=pod_config(pb, p))
        resp = cl.call("CreateContainer", req, pb.CreateContainerResponse)
        st["containers"].append(resp.container_id)
        save_state(a.state, st)
        print(resp.container_id)
    elif a.cmd == "start":
        cl.call("StartContainer", pb.StartContainerRequest(container_id=a.cid),
                pb.StartContainerResponse)
    elif a.cmd == "stop":
        cl.call("StopContainer", pb.StopContainerRequest(container_id=a.cid,
                                                         timeout=0),
                pb.StopContainerResponse)
    elif a.cmd == "rm":
        cl.call("RemoveContainer",
                pb.RemoveContainerRequest(container_id=a.cid),
                pb.RemoveContainerResponse)
        if a.cid in st["containers"]:
            st["containers"].remove(a.cid)
            save_state(a.state, st)
    elif a.cmd == "status":
        s = cl.call("ContainerStatus",
                    pb.ContainerStatusRequest(container_id=a.cid),
                    pb.ContainerStatusResponse).status
        print(json.dumps({"id": s.id, "name": s.metadata.name,
                          "state": pb.ContainerState.Name(s.state),
                          "exit_code": s.exit_code, "reason": s.reason,
                          "created_at": s.created_at,
                          "started_at": s.started_at,
                          "finished_at": s.finished_at,
                          "image": s.image.image}))
    elif a.cmd == "stopp":
        cl.call("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=a.pod),
                pb.StopPodSandboxResponse)
    elif a.cmd == "rmp":
        cl.call("RemovePodSandbox",
                pb.RemovePodSandboxRequest(pod_sandbox_id=a.pod),
                pb.RemovePodSandboxResponse)
        st["pods"].pop(a.pod, None)
        save_state(a.state, st)
    elif a.cmd == "cleanup":
        bad = 0
        for cid in list(st["containers"]):
            try:
                cl.call("StopContainer", pb.StopContainerRequest(
                    container_id=cid, timeout=0), pb.StopContainerResponse)
                cl.call("RemoveContainer", pb.RemoveContainerRequest(
                    container_id=cid), pb.RemoveContainerResponse)
                st["containers"].remove(cid)
            except grpc.RpcError as e:
                print("cri.py: container %s: %s" % (cid, e.details()),
                      file=sys.stderr)
                bad = 1
        for pod in list(st["pods"]):
            try:
                cl.call("StopPodSandbox", pb.StopPodSandboxRequest(
                    pod_sandbox_id=pod), pb.StopPodSandboxResponse)
                cl.call("RemovePodSandbox", pb.RemovePodSandboxRequest(
                    pod_sandbox_id=pod), pb.RemovePodSandboxResponse)
                del st["pods"][pod]
            except grpc.RpcError as e:
                print("cri.py: pod %s: %s" % (pod, e.details()),
                      file=sys.stderr)
                bad = 1
        save_state(a.state, st)
        return bad
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as e:
        print("cri.py: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
        sys.exit(2)
