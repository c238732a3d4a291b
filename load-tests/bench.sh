#!/usr/bin/env bash
# The benchmark: packages the service and the bare-stack baseline, measures the baseline first, then the service on a
# fresh embedded database, and prints (and writes as JSON) every figure, also as a fraction of the baseline's ceiling.
# Everything runs on this machine, on loopback, with wrk (1 thread) as the load generator.
#
#   load-tests/bench.sh                 # about 4 minutes on 2 cores
#   DURATION=20s load-tests/bench.sh    # longer runs
#
# With SEED_EVENTS=10000000 the service's database first gets that many events (of 1M other users, received over the
# last 20 days, inserted in SQL in chunks of 1M, then vacuumed), to show the figures with a large table; allow ~10 more
# minutes for it.
#
# After the service's runs, StoreHarness.java writes the rows of the c64 run's events through the service's own
# statements and client at the same batch size, with no HTTP in front: what PostgreSQL alone does here.
#
# Every run also reports the CPU it cost, per request (per event for the batch endpoint): microseconds of the
# measured server's process (the baseline's, or the service's JVM) and of PostgreSQL (postmaster, every backend and
# background process, and the children that ended during the run), from /proc. The service's JVM is sized as the
# Kubernetes Deployment sizes it (-XX:MaxRAM from SERVICE_MEMORY, the pod's memory limit: a quarter of it is heap).
#
# GROWTH_USERS=10000000 adds, after those runs, the growth of the tables from what they hold to that many more users:
# segments of GROWTH_SEGMENT (60s) of the batch endpoint, each event a new user, each followed by the c64 run of single
# events again, so that the ingest figure is shown at every size the tables pass through (plans chosen while they were
# small included); allow about 20 minutes per 10M users and 12 GB of disk.
#
# PROFILE=1 adds, around the c64 ingest run and the batch run, a JFR recording of the service (target/NAME.jfr,
# summarised by jfr-budget.py into target/NAME-budget.txt with its CPU per thread kind) and pg_stat_statements (the
# embedded server is restarted once with the module loaded, before the warm-up; target/NAME-statements.txt).
#
# Settings (environment): SEED_EVENTS (0), DURATION (10s), WARMUP (30s: the JIT needs that long to settle on 2 cores),
# INGEST_WARMUP (60s: the service's ingest path keeps a C2 compiler thread busy for about a minute of load),
# INGEST_WARMUP16 (20s more at 16 clients),
# LOOKUP_WARMUP (15s: by then the lookup routes, small and already half-warm from ingest, are compiled),
# POPULATION (10000), SERVICE_MEMORY (1g, k8s/deployment.yaml's limit), PROFILE (0), GROWTH_USERS (0),
# GROWTH_SEGMENT (60s),
# OUT (load-tests/target/bench.json).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd .. && pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-30s}
INGEST_WARMUP=${INGEST_WARMUP:-60s}
INGEST_WARMUP16=${INGEST_WARMUP16:-20s}
LOOKUP_WARMUP=${LOOKUP_WARMUP:-15s}
POPULATION=${POPULATION:-10000}
SEED_EVENTS=${SEED_EVENTS:-0}
SERVICE_MEMORY=${SERVICE_MEMORY:-1g}
PROFILE=${PROFILE:-0}
GROWTH_USERS=${GROWTH_USERS:-0}
GROWTH_SEGMENT=${GROWTH_SEGMENT:-60s}
# a recording kept from the start, so that the one of the c64 run starts no instrumentation (starting the first
# recording in a warm JVM had the JIT recompile for the whole run)
PROFILE_OPTS=; [ "$PROFILE" = 1 ] && PROFILE_OPTS="-XX:StartFlightRecording=name=always,settings=profile,maxage=30s"
OUT=${OUT:-$HERE/target/bench.json}
mkdir -p "$HERE/target"
STARTED=$SECONDS

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else echo "wrk is needed: sudo apt-get install wrk" >&2; exit 1; fi
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1; }
wait_ready() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "not ready: $1" >&2; return 1; }
wait_up() { for _ in $(seq 1 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0; sleep 0.5; done
  echo "not up: $1" >&2; return 1; }
HZ=$(getconf CLK_TCK)
# CPU ticks of processes (all their threads); for a postmaster also what its ended children used
ticks() { local t=0 p f; for p in "$@"; do
  f=$(cut -d')' -f2- "/proc/$p/stat" 2>/dev/null) || continue
  t=$(( t + $(echo "$f" | awk -v pm="${PG_MAIN:-}" -v p="$p" '{print $12 + $13 + (p == pm ? $14 + $15 : 0)}') )); done
  echo "$t"; }
pg_pids() { [ -n "${PG_MAIN:-}" ] && echo "$PG_MAIN" $(pgrep -P "$PG_MAIN" || true); }
# run NAME CONNECTIONS SCRIPT URL [ENV...] -> sets R_RPS R_P50 R_P99 R_REQ R_NON2XX, and R_CPU_SERVER R_CPU_PG
# (microseconds per request of the process in CPU_PID and of PostgreSQL)
run() {
  local name=$1 conns=$2 script=$3 url=$4; shift 4
  local line s0 p0 s1 p1
  s0=$(ticks "$CPU_PID"); p0=$(ticks $(pg_pids))
  line=$(env "$@" wrk -t1 -c"$conns" -d"$DURATION" --latency -s "$HERE/wrk/$script" "$url" | grep '^RESULT')
  s1=$(ticks "$CPU_PID"); p1=$(ticks $(pg_pids))
  R_REQ=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  R_NON2XX=$(echo "$line" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
  R_RPS=$(echo "$line" | sed 's/.*rps=\([0-9.]*\).*/\1/')
  R_P50=$(echo "$line" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/')
  R_P99=$(echo "$line" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
  R_CPU_SERVER=$(awk "BEGIN {printf \"%.0f\", ($s1 - $s0) * 1e6 / $HZ / ($R_REQ > 0 ? $R_REQ : 1)}")
  R_CPU_PG=$(awk "BEGIN {printf \"%.0f\", ($p1 - $p0) * 1e6 / $HZ / ($R_REQ > 0 ? $R_REQ : 1)}")
  echo "  $name: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms ($R_NON2XX non-2xx of $R_REQ);" \
    "CPU per request: server $R_CPU_SERVER us, PostgreSQL $R_CPU_PG us" >&2
}
warm() { env "${@:3}" wrk -t1 -c"${WARM_CONNS:-64}" -d"${WARM_FOR:-$WARMUP}" -s "$HERE/wrk/$1" "$2" >/dev/null; }

echo "== packaging" >&2
(cd "$ROOT" && ./mvnw -q -B package -DskipTests)
(cd "$HERE/baseline" && "$ROOT/mvnw" -q -B package)

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== baseline (bare Quarkus, same JSON parsing, a map, no database)" >&2
BPORT=$(free_port)
java -Dquarkus.http.port="$BPORT" -jar "$HERE/baseline/target/quarkus-app/quarkus-run.jar" >"$HERE/target/baseline.log" 2>&1 &
BPID=$!; PIDS+=("$BPID"); CPU_PID=$BPID
wait_up "http://127.0.0.1:$BPORT/v1/consents/users/none"
BASE="http://127.0.0.1:$BPORT"
warm post.lua "$BASE" POPULATION="$POPULATION"
run "baseline POST c64" 64 post.lua "$BASE" POPULATION="$POPULATION"; B_POST=$R_RPS; B_POST_CPU=$R_CPU_SERVER
WARM_FOR=$LOOKUP_WARMUP warm get.lua "$BASE" POPULATION="$POPULATION"
run "baseline GET c64" 64 get.lua "$BASE" POPULATION="$POPULATION"; B_GET1=$R_RPS
# the baseline stays up, idle, to be measured again after the service's lookups: on this shared machine two runs of
# the same thing minutes apart differ by up to a third, so the ceiling is the mean of a run before and one after

echo "== consent-vault (packaged jar, fresh embedded PostgreSQL)" >&2
DATA=$(mktemp -d /tmp/cv-bench.XXXXXX); chmod 755 "$DATA"
SPORT=$(free_port); PGPORT=$(free_port)
CONSENT_EMBEDDED_POSTGRES=true CONSENT_EMBEDDED_POSTGRES_DATA_DIR="$DATA/pg" CONSENT_EMBEDDED_POSTGRES_PORT="$PGPORT" \
  CONSENT_ADMIN_TOKEN=bench-admin QUARKUS_HTTP_PORT="$SPORT" \
  CONSENT_RATE_LIMIT_PER_SECOND=10000000 CONSENT_RATE_LIMIT_BURST=10000000 \
  java -XX:MaxRAM="$SERVICE_MEMORY" $PROFILE_OPTS -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$HERE/target/service.log" 2>&1 &
SPID=$!; PIDS+=("$SPID"); CPU_PID=$SPID
SVC="http://127.0.0.1:$SPORT"
wait_ready "$SVC/q/health/ready"
PG_MAIN=$(head -1 "$DATA/pg/postmaster.pid")
curl -sf -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' \
  -d '{"id":"bench","name":"Benchmark"}' "$SVC/v1/admin/organizations" >/dev/null
KEY=$(curl -sf -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["events:write","consents:read"]}' "$SVC/v1/admin/organizations/bench/keys" \
  | sed 's/.*"key":"\([^"]*\)".*/\1/')
AUTH=(KEY="$KEY" ORG=bench POPULATION="$POPULATION")

PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -1)
# the embedded server's superuser password is random, kept beside its data directory
export PGPASSWORD; PGPASSWORD=$(cat "$DATA/pg.password")
stored() { "$PSQL" -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault -tAc \
  "SELECT count(*) FROM events WHERE organization_id = 'bench'"; }
sql() { "$PSQL" -q -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault "$@"; }
if [ "$PROFILE" = 1 ]; then
  echo "== restarting the embedded PostgreSQL with pg_stat_statements" >&2
  sql -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
  PG_CTL=$(dirname "$(readlink -f "$(ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")")/pg_ctl
  runuser -u "$(stat -c %U "$DATA/pg")" -- "$PG_CTL" restart -D "$DATA/pg" -m fast -w >/dev/null
  PG_MAIN=$(head -1 "$DATA/pg/postmaster.pid")
  sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  wait_ready "$SVC/q/health/ready"
fi
# the lanes' batch sizes so far: sum and count
batch_sizes() { curl -sf "$SVC/q/metrics" | awk '/^consent_ingest_batch_size_sum/ {s+=$2} /^consent_ingest_batch_size_count/ {c+=$2}
  END {print s+0, c+0}'; }
# PROFILE=1: a JFR recording, the threads' CPU and pg_stat_statements around one run, summarised per event
profile_start() { [ "$PROFILE" = 1 ] || return 0
  sql -c "SELECT pg_stat_statements_reset()" >/dev/null
  thread_ticks >"$HERE/target/$1-threads-before.txt"
  jcmd "$SPID" JFR.start name="$1" settings=profile filename="$HERE/target/$1.jfr" >/dev/null; }
profile_stop() { [ "$PROFILE" = 1 ] || return 0
  local name=$1 events=$2
  jcmd "$SPID" JFR.stop name="$name" >/dev/null
  thread_ticks >"$HERE/target/$name-threads-after.txt"
  python3 "$HERE/jfr-budget.py" "$HERE/target/$name.jfr" "$events" "$HZ" \
    "$HERE/target/$name-threads-before.txt" "$HERE/target/$name-threads-after.txt" >"$HERE/target/$name-budget.txt"
  sql -c "SELECT calls, round(calls::numeric / $events, 3) AS per_event, rows,
                 round((total_exec_time + total_plan_time)::numeric * 1000 / $events, 1) AS us_per_event,
                 round(mean_exec_time::numeric * 1000, 1) AS us_per_call, shared_blks_dirtied, wal_records,
                 wal_bytes, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
          FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 15" \
    >"$HERE/target/$name-statements.txt"
  echo "  profile: target/$name-budget.txt, target/$name-statements.txt" >&2; }
thread_ticks() { for t in /proc/"$SPID"/task/*; do
  echo "$(cat "$t/comm" | tr ' ' '_') $(cut -d')' -f2- "$t/stat" | awk '{print $12 + $13}')"; done 2>/dev/null; }
if [ "$SEED_EVENTS" -gt 0 ]; then
  echo "== seeding $SEED_EVENTS events" >&2
  for ((from = 0; from < SEED_EVENTS; from += 1000000)); do
    to=$(( from + 1000000 < SEED_EVENTS ? from + 1000000 : SEED_EVENTS ))
    "$PSQL" -q -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault -c "
      INSERT INTO events (organization_id, event_key, received_at, id, user_key, user_id, event_time, country,
                          regulation, source_type, sdk_version, items, client_ip, user_agent, payload)
      SELECT 'bench', 'seed-' || g, now() - (g % 1728000) * interval '1 second', 'seed-' || g, 'seed-u-' || (g % 1000000),
             'seed-u-' || (g % 1000000), now() - (g % 1728000) * interval '1 second', 'FR', 'gdpr', 'web', '2.1.0',
             '[{\"action\":\"consent.given\",\"purpose\":\"analytics\"},{\"action\":\"consent.refused\",\"purpose\":\"ads\"}]',
             '203.0.113.7', 'Mozilla/5.0 (seed)',
             '{\"organization_id\":\"bench\",\"user\":{\"id\":\"seed-u-' || (g % 1000000) || '\"},\"events\":[{\"action\":\"consent.given\",\"purpose\":\"analytics\"},{\"action\":\"consent.refused\",\"purpose\":\"ads\"}]}'
      FROM generate_series($from, $(( to - 1 ))) g"
    echo "  $to" >&2
  done
  # their latest state too: one row per seeded user, as the service would have written it
  "$PSQL" -q -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault -c "
    INSERT INTO consent_state (organization_id, user_key, user_id, decisions, created_at, updated_at, version)
    SELECT 'bench', 'seed-u-' || g, 'seed-u-' || g,
           ('{\"c\":[\"FR\",0],\"p\":{\"ads\":[false,0,null,-1],\"analytics\":[true,0,null,-1]},\"s\":[['
             || (extract(epoch from now())::bigint * 1000000) || ',' || (extract(epoch from now())::bigint * 1000000)
             || ',\"seed-' || g || '\"]],\"v\":{}}')::jsonb,
           now() - interval '20 days', now(), 10
    FROM generate_series(0, $(( SEED_EVENTS < 1000000 ? SEED_EVENTS - 1 : 999999 ))) g"
  "$PSQL" -q -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault -c "VACUUM (ANALYZE) events" \
    -c "VACUUM (ANALYZE) consent_state"
  echo "  events stored: $("$PSQL" -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault -tAc 'SELECT count(*) FROM events'),"\
    "users: $("$PSQL" -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault -tAc 'SELECT count(*) FROM consent_state')" >&2
fi
WARM_FOR=$INGEST_WARMUP warm post.lua "$SVC" "${AUTH[@]}"
# and at 16 clients, whose lanes idle between batches: paths c64 never takes (timers, small batches) were compiled
# during the measured c16 run otherwise (a C2 thread busy for 6 of its 10 s, ack p99 190 ms against 22 ms after)
WARM_CONNS=16 WARM_FOR=$INGEST_WARMUP16 warm post.lua "$SVC" "${AUTH[@]}"
# the warm-up's events are not counted; let its last commits land first
for _ in $(seq 1 50); do [ "$(curl -sf "$SVC/q/metrics" | awk '/^consent_ingest_lane_depth/ {s+=$2} END {print s+0}')" = 0 ] && break; sleep 0.1; done
STORED_BEFORE=$(stored)
run "ingest c16" 16 post.lua "$SVC" "${AUTH[@]}"; I16=($R_RPS $R_P50 $R_P99 $R_CPU_SERVER $R_CPU_PG); ACKED=$((R_REQ - R_NON2XX))
profile_start ingest-c64
BATCHES0=$(batch_sizes)
run "ingest c64" 64 post.lua "$SVC" "${AUTH[@]}"; I64=($R_RPS $R_P50 $R_P99 $R_CPU_SERVER $R_CPU_PG)
C64_BATCH=$(echo "$BATCHES0 $(batch_sizes)" | awk '{printf "%.0f", ($3 - $1) / (($4 - $2) > 0 ? $4 - $2 : 1)}')
echo "  the c64 run's batches held $C64_BATCH events on average" >&2
ACKED=$((ACKED + R_REQ - R_NON2XX))
profile_stop ingest-c64 "$R_REQ"
run "ingest c256" 256 post.lua "$SVC" "${AUTH[@]}"; I256=($R_RPS $R_P50 $R_P99 $R_CPU_SERVER $R_CPU_PG)
ACKED=$((ACKED + R_REQ - R_NON2XX))
# the batch path has code of its own: warmed (and its events counted) after the single events, so that the
# vacuuming its rows bring does not fall on the single-event runs
run "batch warm-up" 4 batch.lua "$SVC" "${AUTH[@]}"; BATCH_ACKED=$(( (R_REQ - R_NON2XX) * 1000 ))
profile_start batch
run "batch c4" 4 batch.lua "$SVC" "${AUTH[@]}"; BATCH_EPS=$(awk "BEGIN {printf \"%.0f\", $R_RPS * 1000}")
profile_stop batch "$(( R_REQ * 1000 ))"
BATCH_CPU=($((R_CPU_SERVER / 1000)) $((R_CPU_PG / 1000)))
BATCH_ACKED=$(( BATCH_ACKED + (R_REQ - R_NON2XX) * 1000 ))
WARM_FOR=$LOOKUP_WARMUP warm get.lua "$SVC" "${AUTH[@]}"
# the hot cache's misses during a lookup run: each is a read of PostgreSQL
misses() { curl -sf "$SVC/q/metrics" | awk '/^consent_cache_misses_total/ {s+=$2} END {printf "%.0f", s}'; }
M0=$(misses)
run "lookup c16" 16 get.lua "$SVC" "${AUTH[@]}"; L16=($R_RPS $R_P50 $R_P99)
M1=$(misses)
run "lookup c64" 64 get.lua "$SVC" "${AUTH[@]}"; L64=($R_RPS $R_P50 $R_P99 $R_CPU_SERVER)
echo "  hot cache misses: $((M1 - M0)) in the c16 run, $(( $(misses) - M1 )) in the c64 run" >&2
# every answer awaited: the events acknowledged must be exactly the rows stored
EXACT_BEFORE=$(stored)
EXACT_ACKED=$(python3 "$HERE/exact.py" "$SVC" "$KEY" bench)
EXACT_STORED=$(( $(stored) - EXACT_BEFORE ))
echo "  exact run: $EXACT_STORED stored / $EXACT_ACKED acknowledged" >&2
# the database's share: the same rows through the same client, at the c64 run's batch size, with no HTTP and no lanes
echo "== bare PostgreSQL (StoreHarness.java: the service's statements, batches of $C64_BATCH, 2 lanes)" >&2
H=$(timeout $(( ${DURATION%s} + 70 )) java -cp "$ROOT/target/quarkus-app/app/*:$ROOT/target/quarkus-app/lib/main/*:$ROOT/target/quarkus-app/lib/boot/*" "$HERE/StoreHarness.java" \
  "$PGPORT" "$PGPASSWORD" "$PG_MAIN" 10 "${DURATION%s}" "${HARNESS_BATCH:-$C64_BATCH}" 2 "$POPULATION" | grep '^RESULT' \
  || echo "RESULT failed: eps=0 harness_us=0 pg_us=0")
H_EPS=$(echo "$H" | sed 's/.*eps=\([0-9]*\).*/\1/'); H_OWN=$(echo "$H" | sed 's/.*harness_us=\([0-9]*\).*/\1/')
H_PG=$(echo "$H" | sed 's/.*pg_us=\([0-9]*\).*/\1/')
echo "  $H_EPS events/s; CPU per event: harness $H_OWN us, PostgreSQL $H_PG us" >&2
METRICS=$(curl -sf "$SVC/q/metrics")
SP50=$(echo "$METRICS" | awk -F' ' '/^consent_lookup_seconds\{quantile="0.5",route="user"\}|^consent_lookup_seconds\{route="user",quantile="0.5"\}/ {printf "%.4f", $2*1000}')
SP99=$(echo "$METRICS" | awk -F' ' '/^consent_lookup_seconds\{quantile="0.99",route="user"\}|^consent_lookup_seconds\{route="user",quantile="0.99"\}/ {printf "%.4f", $2*1000}')
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SPID/status")
STORED=$(( EXACT_BEFORE - STORED_BEFORE ))
frac() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }
# the tables grow by GROWTH_USERS new users; after each segment, the c64 single-event run again
GROWTH_ROWS=; GROWTH_JSON=
if [ "$GROWTH_USERS" -gt 0 ]; then
  echo "== growth: $GROWTH_USERS new users through the batch endpoint, the c64 run after every $GROWTH_SEGMENT" >&2
  grown=0; segment=0
  while [ "$grown" -lt "$GROWTH_USERS" ]; do
    segment=$((segment + 1))
    DURATION=$GROWTH_SEGMENT run "growth $segment" 4 batch.lua "$SVC" "${AUTH[@]}" PREFIX="g$segment-"
    [ $((R_REQ - R_NON2XX)) -gt 0 ] || { echo "  no batch acknowledged: growth stopped" >&2; break; }
    grown=$(( grown + (R_REQ - R_NON2XX) * 1000 )); G_EPS=$(awk "BEGIN {printf \"%.0f\", $R_RPS * 1000}")
    G_CPU=($((R_CPU_SERVER / 1000)) $((R_CPU_PG / 1000)))
    USERS_NOW=$(sql -tAc "SELECT count(*) FROM consent_state"); EVENTS_NOW=$(stored)
    run "ingest c64 at $USERS_NOW users" 64 post.lua "$SVC" "${AUTH[@]}"
    GROWTH_ROWS+="| $USERS_NOW | $EVENTS_NOW | $G_EPS (${G_CPU[0]} / ${G_CPU[1]}) | $R_RPS ($R_P50 / $R_P99) | $(frac "$R_RPS" "${I64[0]}") | $R_CPU_SERVER / $R_CPU_PG |
"
    GROWTH_JSON+="${GROWTH_JSON:+,}{\"users\": $USERS_NOW, \"events\": $EVENTS_NOW, \"batch_events_per_s\": $G_EPS, \"c64_rps\": $R_RPS, \"c64_p99_ms\": $R_P99, \"c64_cpu_us\": [$R_CPU_SERVER, $R_CPU_PG]}"
  done
fi
kill "$SPID"; wait "$SPID" 2>/dev/null || true
PG_MAIN=; CPU_PID=$BPID
echo "== baseline again" >&2
run "baseline GET c64, again" 64 get.lua "$BASE" POPULATION="$POPULATION"; B_GET2=$R_RPS
kill "$BPID"; wait "$BPID" 2>/dev/null || true
B_GET=$(awk "BEGIN {printf \"%.1f\", ($B_GET1 + $B_GET2) / 2}")

TOTAL_ACKED=$((ACKED + BATCH_ACKED))
cat >&2 <<EOF

| figure | value | of baseline | CPU us per event: server / PostgreSQL |
|---|---|---|---|
| baseline POST c64 (req/s) | $B_POST | 1.00 | $B_POST_CPU / - |
| baseline GET c64 (req/s), mean of a run before and after | $B_GET ($B_GET1, $B_GET2) | 1.00 | |
| ingest c16 (events/s, ack p50/p99 ms) | ${I16[0]} (${I16[1]} / ${I16[2]}) | $(frac "${I16[0]}" "$B_POST") | ${I16[3]} / ${I16[4]} |
| ingest c64 (events/s, ack p50/p99 ms) | ${I64[0]} (${I64[1]} / ${I64[2]}) | $(frac "${I64[0]}" "$B_POST") | ${I64[3]} / ${I64[4]} |
| ingest c256 (events/s, ack p50/p99 ms) | ${I256[0]} (${I256[1]} / ${I256[2]}) | $(frac "${I256[0]}" "$B_POST") | ${I256[3]} / ${I256[4]} |
| bare PostgreSQL, the c64 rows in batches of $C64_BATCH (events/s) | $H_EPS | $(frac "$H_EPS" "$B_POST") | $H_OWN (harness) / $H_PG |
| batch endpoint (events/s) | $BATCH_EPS | $(frac "$BATCH_EPS" "$B_POST") | ${BATCH_CPU[0]} / ${BATCH_CPU[1]} |
| lookups c16 (req/s, p50/p99 ms) | ${L16[0]} (${L16[1]} / ${L16[2]}) | $(frac "${L16[0]}" "$B_GET") | |
| lookups c64 (req/s, p50/p99 ms) | ${L64[0]} (${L64[1]} / ${L64[2]}) | $(frac "${L64[0]}" "$B_GET") | ${L64[3]} / - |
| lookup route, server side p50/p99 (ms) | $SP50 / $SP99 | |
| service peak RSS (MiB), JVM sized for a $SERVICE_MEMORY pod | $((RSS_KB / 1024)) | |
| events stored / acknowledged, wrk runs | $STORED / $TOTAL_ACKED | in flight when wrk stops: stored, not counted |
| events stored / acknowledged, exact run | $EXACT_STORED / $EXACT_ACKED | must be equal |

(the whole run took $(( SECONDS - STARTED )) s)
EOF
[ -z "$GROWTH_ROWS" ] || cat >&2 <<EOF

Growth (each row after a segment of new users, then the c64 run, also as a fraction of the first c64 run):

| users | events | batch endpoint events/s (CPU us per event: server / PostgreSQL) | ingest c64 events/s (p50 / p99 ms) | of the first c64 | c64 CPU us per event: server / PostgreSQL |
|---|---|---|---|---|---|
$GROWTH_ROWS
EOF
cat >"$OUT" <<EOF
{"baseline": {"post_rps": $B_POST, "post_cpu_us": $B_POST_CPU, "get_rps": $B_GET, "get_rps_runs": [$B_GET1, $B_GET2]},
 "ingest_c16": {"rps": ${I16[0]}, "p50_ms": ${I16[1]}, "p99_ms": ${I16[2]}, "cpu_us": [${I16[3]}, ${I16[4]}]},
 "ingest_c64": {"rps": ${I64[0]}, "p50_ms": ${I64[1]}, "p99_ms": ${I64[2]}, "cpu_us": [${I64[3]}, ${I64[4]}]},
 "ingest_c256": {"rps": ${I256[0]}, "p50_ms": ${I256[1]}, "p99_ms": ${I256[2]}, "cpu_us": [${I256[3]}, ${I256[4]}]},
 "bare_postgres": {"batch": $C64_BATCH, "events_per_s": $H_EPS, "cpu_us": [$H_OWN, $H_PG]},
 "batch_events_per_s": $BATCH_EPS, "batch_cpu_us": [${BATCH_CPU[0]}, ${BATCH_CPU[1]}],
 "lookup_c16": {"rps": ${L16[0]}, "p50_ms": ${L16[1]}, "p99_ms": ${L16[2]}},
 "lookup_c64": {"rps": ${L64[0]}, "p50_ms": ${L64[1]}, "p99_ms": ${L64[2]}},
 "lookup_server_ms": {"p50": ${SP50:-null}, "p99": ${SP99:-null}},
 "peak_rss_mib": $((RSS_KB / 1024)),
 "events": {"stored": $STORED, "acknowledged": $TOTAL_ACKED},
 "events_exact": {"stored": $EXACT_STORED, "acknowledged": $EXACT_ACKED},
 "growth": [$GROWTH_JSON]}
EOF
echo "written: $OUT" >&2
