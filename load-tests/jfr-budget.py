#!/usr/bin/env python3
"""The service's CPU per event, broken down: by thread kind (from /proc, so GC and JIT threads count too) and, for the
Java threads, by what the JFR execution samples were doing. Called by bench.sh with PROFILE=1:

    jfr-budget.py RECORDING.jfr EVENTS CLK_TCK THREADS_BEFORE THREADS_AFTER

A sample is charged to the first frame, from the top of its stack, that belongs to one of the OWNERS below (the
service's own classes by class, the libraries by what they do), so that each line reads "time spent in X's code or
in the JDK and Vert.x plumbing X called"; only a sample with no such frame goes to the GENERIC owners, by its top
frame. The shares of the event-loop threads' CPU are then given in microseconds per event.
"""
import collections
import re
import subprocess
import sys

# first match wins, checked on each frame from the top of the stack down
OWNERS = [
    ("socket I/O (system calls)", r"^sun\.nio\.ch\.|^io\.netty\.channel\.(epoll|nio|socket)\.|^io\.netty\.channel\.unix\."),
    ("JSON (Jackson)", r"^com\.fasterxml\.jackson\."),
    ("PostgreSQL client: encode, decode, protocol", r"^io\.vertx\.pgclient\.|^io\.vertx\.sqlclient\."),
    ("metrics (Micrometer)", r"^io\.micrometer\."),
    ("logging", r"^org\.jboss\.logmanager\.|^org\.jboss\.logging\."),
    ("service: event schema check", r"^io\.consentvault\.ingest\.model\.EventSchema"),
    ("service: event normalizer", r"^io\.consentvault\.ingest\.model\."),
    ("service: rows and arrays for the insert", r"^io\.consentvault\.core\.store\.EventsTable|^io\.consentvault\.ingest\.batch\.EventInserts"),
    ("service: state documents (codec)", r"^io\.consentvault\.core\.store\.StateCodec|^io\.consentvault\.core\.store\.StateTable"),
    ("service: merge (decisions, batch merge)", r"^io\.consentvault\.core\.(decision|event)\."),
    ("service: TCF / GPP strings", r"^io\.consentvault\.(core\.)?tcf\."),
    ("service: state cache and updates", r"^io\.consentvault\.state\."),
    ("service: lanes, writer, committer", r"^io\.consentvault\.ingest\.batch\."),
    ("service: ingest route and service", r"^io\.consentvault\.ingest\."),
    ("service: tenancy (keys, rate limit)", r"^io\.consentvault\.tenancy\."),
    ("service: platform (HTTP, problems, JSON)", r"^io\.consentvault\.platform\."),
    ("service: other", r"^io\.consentvault\."),
    ("HTTP server (Vert.x web, RESTEasy, Quarkus)", r"^io\.vertx\.(core\.http|ext\.web)|^org\.jboss\.resteasy\.|^io\.quarkus\."),
]
GENERIC = [
    ("Netty (buffers, codecs, event loop)", r"^io\.netty\."),
    ("Vert.x core (futures, context)", r"^io\.vertx\."),
    ("JDK (collections, strings, time)", r"^java\.|^jdk\.|^sun\."),
]
OWNERS = [(name, re.compile(rx)) for name, rx in OWNERS]
GENERIC = [(name, re.compile(rx)) for name, rx in GENERIC]
KINDS = [("event loops", r"^vert\.x-eventloo"), ("GC", r"^GC_|^G1_|^VM_Periodic|^VM_Thread"),
         ("JIT compiler", r"^C[12]_Compiler"), ("worker and blocking threads", r"^executor-th|^vert\.x-worker|^vert\.x-internal")]


def thread_ticks(path):
    ticks = collections.Counter()
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                ticks[parts[0]] += int(parts[1])
    return ticks


def kind(name):
    for label, rx in KINDS:
        if re.match(rx, name):
            return label
    return "other"


def first(frames, owners):
    for frame in frames:
        for name, rx in owners:
            if rx.search(frame):
                return name
    return None


def main():
    jfr, events, hz, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    b, a = thread_ticks(before), thread_ticks(after)
    by_kind = collections.Counter()
    for name in set(a) | set(b):
        by_kind[kind(name)] += a[name] - b[name]
    us = {k: v * 1e6 / hz / events for k, v in by_kind.items()}
    print(f"service CPU per event by thread kind ({events} events)")
    for k, v in sorted(us.items(), key=lambda x: -x[1]):
        print(f"  {v:8.1f} us  {k}")
    print(f"  {sum(us.values()):8.1f} us  total")

    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", jfr],
                         capture_output=True, text=True, check=True).stdout
    owners = collections.Counter()
    tops = collections.Counter()
    total = 0
    for block in out.split("jdk.ExecutionSample")[1:]:
        if 'sampledThread = "vert.x-eventloop' not in block:
            continue
        frames = re.findall(r"^\s+([\w$.<>]+)\(", block, re.M)
        if not frames:
            continue
        total += 1
        tops[frames[0]] += 1
        owner = first(frames, OWNERS) or first(frames[:1], GENERIC) or "other"
        owners[owner] += 1
    loops = us.get("event loops", 0.0)
    print(f"\nevent-loop CPU per event by owner ({total} samples, {loops:.1f} us an event)")
    for name, n in owners.most_common():
        print(f"  {n * loops / max(total, 1):8.1f} us  {100.0 * n / max(total, 1):5.1f} %  {name}")
    print("\ntop frames (self)")
    for name, n in tops.most_common(25):
        print(f"  {100.0 * n / max(total, 1):5.1f} %  {name}")


if __name__ == "__main__":
    main()
