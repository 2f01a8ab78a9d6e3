#!/usr/bin/env python3
"""Small API client for the reconciliation benchmarks (bench/deployment-scale.sh, bench/scale-limits.sh).

Talks to the API server with the admin client certificate of a kubeconfig over kept-alive HTTPS connections, so
that polling and latency samples do not pay a kubectl start or a TLS handshake each.

  kubeprobe.py KUBECONFIG wait-workload KIND NS NAME REPLICAS START TIMEOUT
      Polls every 0.25 s until the ReplicaSet or Deployment has REPLICAS available (a StatefulSet: REPLICAS ready) (a Deployment: also observed its
      generation, all REPLICAS updated, no pod of an old ReplicaSet left: what `kubectl rollout status` waits for,
      plus every older ReplicaSet at 0). A DaemonSet: observed, REPLICAS desired, updated and available (what
      `kubectl rollout status ds/NAME` waits for). Prints the seconds since START (a `date +%s.%N`).
  kubeprobe.py KUBECONFIG wait-available NS SELECTOR TOTAL START TIMEOUT
      Sum of status.availableReplicas over the ReplicaSets matching SELECTOR in NS (all namespaces when NS is '-').
  kubeprobe.py KUBECONFIG wait-pods NS COUNT START TIMEOUT
      Until NS holds COUNT pods (terminating ones included, as `kubectl get pods` shows them).
  kubeprobe.py KUBECONFIG pod-startup NS COUNT RATE IMAGE TIMEOUT
      Creates COUNT pods of IMAGE (no probes: Ready as soon as the container runs) at RATE pods/s and watches them; prints
      one JSON line with p50, p99 and max (s) from each pod's create call to the first time it was seen Running and
      seen Ready, as upstream's pod startup SLI (images present, so pull time is not counted).
  kubeprobe.py KUBECONFIG latency NS [--gets N] [--lists N] [--cluster-lists N] [--concurrency C]
      GETs of random pods and nodes, LISTs of the pods of NS and cluster-wide LISTs of pods; prints one JSON line
      with count, p50, p99 and max (ms) per kind.
"""
import atexit
import base64
import http.client
import json
import os
import random
import shutil
import ssl
import sys
import tempfile
import threading
import time
import urllib.parse

import yaml


class Api:
    def __init__(self, kubeconfig):
        with open(kubeconfig) as f:
            config = yaml.safe_load(f)
        cluster = config["clusters"][0]["cluster"]
        user = config["users"][0]["user"]
        url = urllib.parse.urlparse(cluster["server"])
        self.host, self.port = url.hostname, url.port or 443
        self._dir = tempfile.mkdtemp(prefix="kubeprobe-")
        atexit.register(shutil.rmtree, self._dir, True)
        ca = self._write("ca.pem", cluster["certificate-authority-data"])
        cert = self._write("cert.pem", user["client-certificate-data"])
        key = self._write("key.pem", user["client-key-data"])
        self.context = ssl.create_default_context(cafile=ca)
        self.context.load_cert_chain(cert, key)
        self.context.check_hostname = False
        self._local = threading.local()

    def _write(self, name, data):
        path = os.path.join(self._dir, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=300)
            self._local.conn = conn
        return conn

    def raw(self, path):
        """The status and body bytes of a GET; reconnects once if a kept-alive connection was closed."""
        for attempt in (0, 1):
            conn = self._connection()
            try:
                conn.request("GET", path, headers={"Accept": "application/json"})
                response = conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self._local.conn = None
                if attempt:
                    raise

    def send(self, method, path, body):
        """The status and parsed body of a request with a JSON body, on this thread's kept-alive connection."""
        conn = self._connection()
        try:
            conn.request(method, path, body=json.dumps(body), headers={"Accept": "application/json", "Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        except (http.client.HTTPException, OSError):
            conn.close()
            self._local.conn = None
            raise

    def get(self, path):
        status, body = self.raw(path)
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body[:200]!r}")
        return json.loads(body)


def since(start):
    return f"{time.time() - float(start):.2f}"


def poll(check, start, timeout):
    """Calls check() every 0.25 s until it returns true; prints the seconds since start, or exits 1 at timeout."""
    deadline = time.time() + float(timeout)
    last = None
    while True:
        try:
            done, last = check()
        except (RuntimeError, OSError, http.client.HTTPException) as e:
            done, last = False, str(e)
        if done:
            print(since(start))
            return
        if time.time() > deadline:
            print(f"timeout after {since(start)} s: {last}", file=sys.stderr)
            sys.exit(1)
        time.sleep(0.25)


def pod_count(api, ns):
    scope = f"/api/v1/namespaces/{ns}/pods" if ns != "-" else "/api/v1/pods"
    page = api.get(scope + "?limit=1")
    return len(page["items"]) + page["metadata"].get("remainingItemCount", 0)


def wait_workload(api, kind, ns, name, replicas, start, timeout):
    replicas = int(replicas)
    resource = {"replicaset": "replicasets", "deployment": "deployments", "statefulset": "statefulsets", "daemonset": "daemonsets"}[kind]

    def check():
        obj = api.get(f"/apis/apps/v1/namespaces/{ns}/{resource}/{name}")
        if obj is None:
            return False, "not found"
        status = obj.get("status", {})
        if kind == "daemonset":
            seen = status.get("observedGeneration", 0) >= obj["metadata"]["generation"]
            counts = [status.get(k, 0) for k in ("desiredNumberScheduled", "currentNumberScheduled", "updatedNumberScheduled", "numberAvailable")]
            return seen and all(c == replicas for c in counts), f"observed {seen}, desired/current/updated/available {counts}"
        available = status.get("availableReplicas", 0)
        if kind == "replicaset":
            return available == replicas, f"available {available}"
        if kind == "statefulset":
            ready = status.get("readyReplicas", 0)
            return ready == replicas, f"ready {ready}"
        if "observedGeneration" not in status and time.time() - float(start) > 30:
            sys.exit("the Deployment was not observed within 30 s: the server has no Deployment controller (KIND=replicaset)")
        seen = status.get("observedGeneration", 0) >= obj["metadata"]["generation"]
        updated = status.get("updatedReplicas", 0)
        total = status.get("replicas", 0)
        state = f"observed {seen}, updated {updated}, available {available}, replicas {total}"
        if not (seen and updated == replicas and available == replicas and total == replicas):
            return False, state
        # Older ReplicaSets scaled to 0 and their pods gone: the rollout is over, not only reported so.
        selector = ",".join(f"{k}={v}" for k, v in obj["spec"]["selector"]["matchLabels"].items())
        sets = api.get(f"/apis/apps/v1/namespaces/{ns}/replicasets?labelSelector={urllib.parse.quote(selector)}")
        template = obj["spec"]["template"]["spec"]["containers"][0]["image"]
        old = [s for s in sets["items"] if s["spec"]["template"]["spec"]["containers"][0]["image"] != template]
        busy = [s["metadata"]["name"] for s in old if s["spec"].get("replicas", 0) or s.get("status", {}).get("replicas", 0)]
        return not busy, state + f", old ReplicaSets not at 0: {busy}"

    poll(check, start, timeout)


def wait_available(api, ns, selector, total, start, timeout):
    total = int(total)
    scope = f"/apis/apps/v1/namespaces/{ns}/replicasets" if ns != "-" else "/apis/apps/v1/replicasets"

    def check():
        sets = api.get(f"{scope}?labelSelector={urllib.parse.quote(selector)}")
        available = sum(s.get("status", {}).get("availableReplicas", 0) for s in sets["items"])
        return available >= total, f"available {available} of {total}"

    poll(check, start, timeout)


def wait_pods(api, ns, count, start, timeout):
    count = int(count)

    def check():
        n = pod_count(api, ns)
        return n == count, f"{n} pods"

    poll(check, start, timeout)


def wait_bound(api, ns, count, start, timeout):
    """Claims of ns all Bound, and as many volumes Bound (the PV controller's two halves of each binding)."""
    count = int(count)

    def check():
        claims = api.get(f"/api/v1/namespaces/{ns}/persistentvolumeclaims")["items"]
        volumes = api.get("/api/v1/persistentvolumes")["items"]
        claims_bound = sum(1 for c in claims if c.get("status", {}).get("phase") == "Bound")
        volumes_bound = sum(1 for v in volumes if v.get("status", {}).get("phase") == "Bound")
        return claims_bound == count and volumes_bound >= count, f"claims bound {claims_bound}, volumes bound {volumes_bound} of {count}"

    poll(check, start, timeout)


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def latency(api, ns, args):
    options = {"--gets": 300, "--lists": 50, "--cluster-lists": 3, "--concurrency": 4}
    for i in range(0, len(args), 2):
        options[args[i]] = int(args[i + 1])
    # Names to GET, read once and not timed: up to 100 pods from each of up to 20 namespaces picked at random (the
    # first page of a cluster-wide list would hold one namespace's), and the first 2,000 nodes.
    rng = random.Random(15)
    namespaces = [n["metadata"]["name"] for n in api.get("/api/v1/namespaces")["items"]]
    pods = []
    for namespace in rng.sample(namespaces, min(20, len(namespaces))):
        pods += api.get(f"/api/v1/namespaces/{namespace}/pods?limit=100")["items"]
    pod_paths = [f"/api/v1/namespaces/{p['metadata']['namespace']}/pods/{p['metadata']['name']}" for p in pods]
    nodes = api.get("/api/v1/nodes?limit=2000")["items"]
    node_paths = [f"/api/v1/nodes/{n['metadata']['name']}" for n in nodes]
    calls = []
    for i in range(options["--gets"]):
        calls.append(("get pod", rng.choice(pod_paths)) if pod_paths else None)
        calls.append(("get node", rng.choice(node_paths)) if node_paths else None)
    for i in range(options["--lists"]):
        calls.append(("list pods in namespace", f"/api/v1/namespaces/{ns}/pods"))
    calls = [c for c in calls if c]
    rng.shuffle(calls)
    results = {}
    sizes = {}
    lock = threading.Lock()
    queue = list(calls)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                kind, path = queue.pop()
            t = time.perf_counter()
            status, body = api.raw(path)
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                results.setdefault(kind, []).append(elapsed)
                sizes[kind] = len(body)
                if status != 200:
                    results.setdefault("errors", []).append(0)

    threads = [threading.Thread(target=worker) for _ in range(options["--concurrency"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Cluster-wide LISTs one at a time after the rest: each is the whole pod set in one response.
    for _ in range(options["--cluster-lists"]):
        t = time.perf_counter()
        status, body = api.raw("/api/v1/pods")
        results.setdefault("list pods, all namespaces", []).append((time.perf_counter() - t) * 1000)
        sizes["list pods, all namespaces"] = len(body)
        if status != 200:
            results.setdefault("errors", []).append(0)
    summary = {}
    for kind, values in results.items():
        values.sort()
        summary[kind] = {
            "n": len(values),
            "p50": round(percentile(values, 50), 1),
            "p99": round(percentile(values, 99), 1),
            "max": round(values[-1], 1),
            "bytes": sizes.get(kind, 0),
        }
    print(json.dumps(summary))


def pod_startup(api, ns, count, rate, image, timeout):
    count, rate, timeout = int(count), float(rate), float(timeout)
    created, running, ready = {}, {}, {}
    done = threading.Event()

    def watcher():
        # A LIST every 50 ms on its own connection: the observed time of each transition is at most 50 ms late.
        while not done.is_set():
            try:
                items = api.get(f"/api/v1/namespaces/{ns}/pods")["items"]
            except (RuntimeError, OSError, http.client.HTTPException):
                items = []
            now = time.time()
            for pod in items:
                name = pod["metadata"]["name"]
                status = pod.get("status", {})
                if status.get("phase") == "Running":
                    running.setdefault(name, now)
                if any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions", [])):
                    ready.setdefault(name, now)
            time.sleep(0.05)

    thread = threading.Thread(target=watcher, daemon=True)
    thread.start()
    for i in range(count):
        name = f"startup-{i}"
        pod = {
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"terminationGracePeriodSeconds": 1, "containers": [{
                "name": "main", "image": image, "imagePullPolicy": "IfNotPresent",
            }]},
        }
        sent = time.time()
        status, body = api.send("POST", f"/api/v1/namespaces/{ns}/pods", pod)
        if status != 201:
            sys.exit(f"create {name}: {status} {body}")
        created[name] = sent
        time.sleep(max(0.0, sent + 1 / rate - time.time()))
    deadline = time.time() + timeout
    while len(ready) < count and time.time() < deadline:
        time.sleep(0.1)
    done.set()
    thread.join()
    summary = {"pods": count, "rate": rate}
    for label, seen in (("running", running), ("ready", ready)):
        values = sorted(seen[n] - created[n] for n in created if n in seen)
        summary[label] = {"n": len(values), "p50": round(percentile(values, 50), 3), "p99": round(percentile(values, 99), 3), "max": round(values[-1], 3) if values else None}
    print(json.dumps(summary))
    if len(ready) < count:
        sys.exit(f"only {len(ready)} of {count} pods Ready after {timeout} s")


def main():
    kubeconfig, command, *args = sys.argv[1:]
    api = Api(kubeconfig)
    if command == "wait-workload":
        wait_workload(api, *args)
    elif command == "wait-available":
        wait_available(api, *args)
    elif command == "wait-pods":
        wait_pods(api, *args)
    elif command == "wait-bound":
        wait_bound(api, *args)
    elif command == "count-pods":
        print(pod_count(api, args[0]))
    elif command == "pod-startup":
        pod_startup(api, *args)
    elif command == "latency":
        latency(api, args[0], args[1:])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
