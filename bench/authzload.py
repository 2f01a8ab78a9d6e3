#!/usr/bin/env python3
"""Request throughput as two identities, for bench/authz-throughput.sh.

  authzload.py KUBECONFIG MASTERS_TOKEN EDIT_TOKEN NS SECONDS CONCURRENCY [RESOURCE [MASTERS_KUBECONFIG]]
      For SECONDS each, with CONCURRENCY threads on kept-alive HTTPS connections: GETs of one object named "target",
      then creates, of RESOURCE (configmaps, the default, or secrets), first with MASTERS_TOKEN, then with EDIT_TOKEN
      (both bearer tokens, so only authorization differs). The kubeconfig gives the server and its CA; the masters'
      requests go to MASTERS_KUBECONFIG's server when given (a server without encryption at rest, for the Secrets
      comparison). Prints one JSON line: requests per second per identity and operation, and errors.
"""
import http.client
import json
import ssl
import sys
import threading
import time
import uuid

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from kubeprobe import Api  # noqa: E402


def run(api, token, ns, seconds, concurrency, operation, resource):
    stop = time.perf_counter() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPSConnection(api.host, api.port, context=token_context)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        ok = errors = 0
        while time.perf_counter() < stop:
            if operation == "get":
                connection.request("GET", f"/api/v1/namespaces/{ns}/{resource}/target", headers=headers)
            else:
                kind, data = ("Secret", {"a": "Yg=="}) if resource == "secrets" else ("ConfigMap", {"a": "b"})
                body = json.dumps({"apiVersion": "v1", "kind": kind, "metadata": {"name": "c-" + uuid.uuid4().hex[:12]}, "data": data})
                connection.request("POST", f"/api/v1/namespaces/{ns}/{resource}", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status in (200, 201):
                ok += 1
            else:
                errors += 1
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    token_context = ssl.create_default_context(cafile=f"{api._dir}/ca.pem")
    token_context.check_hostname = False
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"per_s": round(counts["ok"] / seconds, 1), "errors": counts["errors"]}


def main():
    kubeconfig, masters_token, edit_token, ns, seconds, concurrency = sys.argv[1:7]
    resource = sys.argv[7] if len(sys.argv) > 7 else "configmaps"
    api = Api(kubeconfig)
    masters_api = Api(sys.argv[8]) if len(sys.argv) > 8 else api
    seconds, concurrency = float(seconds), int(concurrency)
    result = {}
    # A warm-up per server and identity first (unmeasured): the first cell would otherwise also pay for the server's
    # JIT tiering and cold caches, and whichever identity went first would look slower.
    for operation in ("get", "create"):
        run(masters_api, masters_token, ns, 3, concurrency, operation, resource)
        run(api, edit_token, ns, 3, concurrency, operation, resource)
    for operation in ("get", "create"):
        result[f"{operation} masters"] = run(masters_api, masters_token, ns, seconds, concurrency, operation, resource)
        result[f"{operation} edit"] = run(api, edit_token, ns, seconds, concurrency, operation, resource)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
