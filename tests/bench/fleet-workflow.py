"""The fleet benchmarks' workflow: NAME KIND PORT -> a 10-step workflow file on stdout.

KIND wait50: each step an HTTP request to 127.0.0.1:PORT (answered after 50 ms by the
benchmark's endpoint); KIND instant: each step sets a variable.
"""
import json
import sys

name, kind, port = sys.argv[1], sys.argv[2], sys.argv[3]
acts = [{"id": "start", "kind": "start"}]
trans, prev = [], "start"
for i in range(10):
    sid = f"s{i}"
    if kind == "wait50":
        acts.append({"id": sid, "kind": "http_request", "config": {"method": "GET", "url": f"http://127.0.0.1:{port}/{sid}"}})
    else:
        acts.append({"id": sid, "kind": "set_variables", "config": {"variables": {sid: "1"}}})
    trans.append({"from": prev, "to": sid})
    prev = sid
acts.append({"id": "finish", "kind": "finish"})
trans.append({"from": prev, "to": "finish"})
print(json.dumps({"format": 1, "name": name, "concurrency": "parallel", "activities": acts, "transitions": trans}))
