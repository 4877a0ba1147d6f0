#!/usr/bin/python3
# Writes node.json and pod.json (Grafana dashboard JSON models) here:
# edit the panels below and run it again rather than editing the JSON.
import json
import os

DS = {"type": "prometheus", "uid": "${datasource}"}


def var_ds():
    return {"name": "datasource", "label": "Data source", "type": "datasource",
            "query": "prometheus", "current": {}, "hide": 0, "refresh": 1,
            "options": [], "regex": ""}


def var_q(name, label, query):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "definition": query, "query": {"query": query, "refId": "V"},
            "current": {}, "hide": 0, "refresh": 2, "sort": 1,
            "includeAll": False, "multi": False, "options": [], "regex": ""}


def panel(title, unit, targets, desc=""):
    return {"type": "timeseries", "title": title, "description": desc,
            "datasource": DS,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom",
                                   "showLegend": True},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": [{"datasource": DS, "expr": e, "legendFormat": l,
                         "refId": chr(ord("A") + i)}
                        for i, (e, l) in enumerate(targets)]}


def dashboard(uid, title, variables, panels):
    x = y = 0
    for i, p in enumerate(panels):
        p["id"] = i + 1
        p["gridPos"] = {"h": 8, "w": 12, "x": x, "y": y}
        x = 12 - x
        if x == 0:
            y += 8
    return {"uid": uid, "title": title, "tags": ["cadv", "containers"],
            "description": "Containers as cadv's exporterd reports them (deploy/grafana/README.md)",
            "schemaVersion": 39, "version": 1, "editable": True,
            "graphTooltip": 1, "time": {"from": "now-1h", "to": "now"},
            "refresh": "30s", "timezone": "",
            "annotations": {"list": []}, "links": [],
            "templating": {"list": variables}, "panels": panels}


N = 'node="$node"'
RI = "$__rate_interval"
node = dashboard("cadv-node", "cadv / Node", [
    var_ds(),
    var_q("node", "Node", "label_values(machine_memory_bytes, node)"),
], [
    panel("CPU: cores used by the node", "short", [
        ('sum(rate(container_cpu_usage_seconds_total{%s,id="/"}[%s]))' % (N, RI), "used"),
        ('max(machine_cpu_cores{%s})' % N, "cores"),
    ]),
    panel("CPU: top 10 containers", "short", [
        ('topk(10, sum by (id, name, namespace, pod, container) (rate(container_cpu_usage_seconds_total{%s,id!="/"}[%s])))' % (N, RI),
         "{{name}}{{namespace}}/{{pod}}/{{container}} {{id}}"),
    ]),
    panel("Memory: node", "bytes", [
        ('sum(container_memory_working_set_bytes{%s,id="/"})' % N, "working set"),
        ('sum(container_memory_rss{%s,id="/"})' % N, "rss"),
        ('sum(container_memory_cache{%s,id="/"})' % N, "cache"),
        ('max(machine_memory_bytes{%s})' % N, "installed"),
    ]),
    panel("Memory: working set, top 10 containers", "bytes", [
        ('topk(10, sum by (id, name, namespace, pod, container) (container_memory_working_set_bytes{%s,id!="/"}))' % N,
         "{{name}}{{namespace}}/{{pod}}/{{container}} {{id}}"),
    ]),
    panel("Network: top 10 containers", "Bps", [
        ('topk(10, sum by (id, name, namespace, pod) (rate(container_network_receive_bytes_total{%s}[%s])))' % (N, RI),
         "rx {{name}}{{namespace}}/{{pod}} {{id}}"),
        ('-topk(10, sum by (id, name, namespace, pod) (rate(container_network_transmit_bytes_total{%s}[%s])))' % (N, RI),
         "tx {{name}}{{namespace}}/{{pod}} {{id}}"),
    ], "Containers owning a network namespace (a pod's sandbox for the pod); lo and veth* left out"),
    panel("Filesystem: use by device", "percentunit", [
        ('max by (device) (container_fs_usage_bytes{%s,id="/"}) / max by (device) (container_fs_limit_bytes{%s,id="/"} > 0)' % (N, N),
         "{{device}}"),
    ]),
    panel("Disk I/O: node, by device", "Bps", [
        ('sum by (device) (rate(container_fs_reads_bytes_total{%s,id="/"}[%s]))' % (N, RI), "read {{device}}"),
        ('-sum by (device) (rate(container_fs_writes_bytes_total{%s,id="/"}[%s]))' % (N, RI), "write {{device}}"),
    ]),
    panel("OOM kills (last hour)", "short", [
        ('sum by (id, name, namespace, pod, container) (increase(container_oom_events_total{%s}[1h])) > 0' % N,
         "{{name}}{{namespace}}/{{pod}}/{{container}} {{id}}"),
    ], "Processes killed by the kernel's OOM killer, per container"),
    panel("CPU throttling: fraction of CFS periods throttled", "percentunit", [
        ('sum by (id, name, namespace, pod, container) (rate(container_cpu_cfs_throttled_periods_total{%s}[%s])) / sum by (id, name, namespace, pod, container) (rate(container_cpu_cfs_periods_total{%s}[%s]) > 0)' % (N, RI, N, RI),
         "{{name}}{{namespace}}/{{pod}}/{{container}} {{id}}"),
    ]),
    panel("Processes and threads", "short", [
        ('sum(container_processes{%s,id!="/"})' % N, "processes in containers"),
        ('sum(container_threads{%s,id!="/"})' % N, "threads in containers"),
    ]),
    panel("cadv: heartbeat age", "s", [
        ('cadv_heartbeat_age_seconds{%s} < Inf' % N, "{{daemon}}"),
        ('max(cadv_collect_interval_seconds{%s})' % N, "collectord's tick"),
    ], "Seconds since each daemon's last heartbeat in the store"),
    panel("cadv: store map used", "percentunit", [
        ('max(cadv_store_map_used_ratio{%s})' % N, "used"),
    ]),
])

P = 'node="$node",namespace="$namespace",pod="$pod"'
C = P + ',container!="",image!=""'
BY = "sum by (container)"
pod = dashboard("cadv-pod", "cadv / Pod", [
    var_ds(),
    var_q("node", "Node", "label_values(machine_memory_bytes, node)"),
    var_q("namespace", "Namespace", 'label_values(container_cpu_usage_seconds_total{node="$node",namespace!=""}, namespace)'),
    var_q("pod", "Pod", 'label_values(container_cpu_usage_seconds_total{node="$node",namespace="$namespace",pod!=""}, pod)'),
], [
    panel("CPU: cores used, by container", "short", [
        ("%s (rate(container_cpu_usage_seconds_total{%s}[%s]))" % (BY, C, RI), "{{container}}"),
    ]),
    panel("CPU throttling: fraction of CFS periods throttled", "percentunit", [
        ("%s (rate(container_cpu_cfs_throttled_periods_total{%s}[%s])) / %s (rate(container_cpu_cfs_periods_total{%s}[%s]) > 0)" % (BY, C, RI, BY, C, RI),
         "{{container}}"),
    ]),
    panel("Memory: working set, by container", "bytes", [
        ("%s (container_memory_working_set_bytes{%s})" % (BY, C), "{{container}}"),
        ("%s (container_spec_memory_limit_bytes{%s} > 0)" % (BY, C), "{{container}} limit"),
    ]),
    panel("Memory: rss and cache, by container", "bytes", [
        ("%s (container_memory_rss{%s})" % (BY, C), "rss {{container}}"),
        ("%s (container_memory_cache{%s})" % (BY, C), "cache {{container}}"),
    ]),
    panel("Network: the pod, by interface", "Bps", [
        ("sum by (interface) (rate(container_network_receive_bytes_total{%s}[%s]))" % (P, RI), "rx {{interface}}"),
        ("-sum by (interface) (rate(container_network_transmit_bytes_total{%s}[%s]))" % (P, RI), "tx {{interface}}"),
    ], "The pod's network namespace (its sandbox's)"),
    panel("Filesystem: I/O, by container", "Bps", [
        ("%s (rate(container_fs_reads_bytes_total{%s}[%s]))" % (BY, C, RI), "read {{container}}"),
        ("-%s (rate(container_fs_writes_bytes_total{%s}[%s]))" % (BY, C, RI), "write {{container}}"),
    ]),
    panel("OOM kills (last hour), by container", "short", [
        ("%s (increase(container_oom_events_total{%s}[1h]))" % (BY, C), "{{container}}"),
    ]),
    panel("Processes and threads, by container", "short", [
        ("%s (container_processes{%s})" % (BY, C), "processes {{container}}"),
        ("%s (container_threads{%s})" % (BY, C), "threads {{container}}"),
    ]),
])

here = os.path.dirname(os.path.abspath(__file__))
for name, d in (("node.json", node), ("pod.json", pod)):
    with open(os.path.join(here, name), "w") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
