#!/usr/bin/env python3
"""Request throughput as two identities, for bench/authz-throughput.sh.

  authzload.py KUBECONFIG MASTERS_TOKEN EDIT_TOKEN NS SECONDS CONCURRENCY
      For SECONDS each, with CONCURRENCY threads on kept-alive HTTPS connections: GETs of one ConfigMap, then creates
      of ConfigMaps, first with MASTERS_TOKEN, then with EDIT_TOKEN (both bearer tokens, so only authorization
      differs). The kubeconfig gives the server and its CA. Prints one JSON line: requests per second per identity
      and operation, and errors.
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


def run(api, token, ns, seconds, concurrency, operation):
    stop = time.perf_counter() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPSConnection(api.host, api.port, context=token_context)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        ok = errors = 0
        while time.perf_counter() < stop:
            if operation == "get":
                connection.request("GET", f"/api/v1/namespaces/{ns}/configmaps/target", headers=headers)
            else:
                body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c-" + uuid.uuid4().hex[:12]}, "data": {"a": "b"}})
                connection.request("POST", f"/api/v1/namespaces/{ns}/configmaps", body=body, headers=headers)
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
    kubeconfig, masters_token, edit_token, ns, seconds, concurrency = sys.argv[1:]
    api = Api(kubeconfig)
    seconds, concurrency = float(seconds), int(concurrency)
    result = {}
    for operation in ("get", "create"):
        result[f"{operation} masters"] = run(api, masters_token, ns, seconds, concurrency, operation)
        result[f"{operation} edit"] = run(api, edit_token, ns, seconds, concurrency, operation)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
