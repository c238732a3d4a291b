#!/usr/bin/env python3
"""Posts a fixed number of events and waits for every answer, so that the events acknowledged can be compared
exactly with the rows stored (wrk stops with requests in flight, whose events are stored but never counted).

usage: exact.py BASE_URL KEY ORG [SINGLE=4000] [BATCHES=4] [THREADS=16]; prints the number of events acknowledged.
"""
import http.client
import json
import sys
import threading
import urllib.parse

base, key, org = sys.argv[1], sys.argv[2], sys.argv[3]
single = int(sys.argv[4]) if len(sys.argv) > 4 else 4000
batches = int(sys.argv[5]) if len(sys.argv) > 5 else 4
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 16
url = urllib.parse.urlparse(base)
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
acked = 0
lock = threading.Lock()


def event(n):
    return {"organization_id": org, "user": {"id": "x-%d" % n},
            "events": [{"action": "consent.given", "purpose": "analytics"}]}


def post(conn, path, body):
    conn.request("POST", path, body=json.dumps(body), headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def worker(index):
    global acked
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    mine = 0
    for n in range(index, single, threads):
        status, _ = post(conn, "/v1/consents/events", event(n))
        mine += 1 if status == 201 else 0
    for b in range(index, batches, threads):
        status, body = post(conn, "/v1/consents/events/batch",
                            [event(single + b * 1000 + i) for i in range(1000)])
        if status == 200:
            mine += json.loads(body)["accepted"]
    with lock:
        acked += mine


workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(acked)
