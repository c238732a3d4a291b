#!/usr/bin/env bash
# The daily export's benchmark: packages the service, starts it on a fresh embedded database with a directory
# destination, seeds EVENTS events received today (SQL, chunks of 1M, 2 items each, of USERS users, whose states are
# seeded too), vacuums, then asks for today's export over HTTP and follows it to the end. Prints rows/s, bytes and the
# service's peak RSS, and writes them as JSON.
#
#   load-tests/export-bench.sh                          # 10M events, 1M users: ~15 minutes on 2 cores
#   EVENTS=1000000 USERS=100000 load-tests/export-bench.sh
#
# Settings (environment): EVENTS (10000000), USERS (1000000), JAVA_OPTS (the heap of the pod: -Xmx512m, as
# k8s/deployment.yaml gives it), SKIP_PACKAGE (0), KEEP_DATA (0), OUT (load-tests/target/export-bench.json).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd .. && pwd)
EVENTS=${EVENTS:-10000000}
USERS=${USERS:-1000000}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
SKIP_PACKAGE=${SKIP_PACKAGE:-0}
OUT=${OUT:-$HERE/target/export-bench.json}
CHUNK=1000000
mkdir -p "$HERE/target"
STARTED=$SECONDS
command -v jq >/dev/null || { if [ "$(id -u)" = 0 ]; then apt-get install -y -qq jq >/dev/null; else echo "jq is needed" >&2; exit 1; fi; }
PSQL=/usr/lib/postgresql/15/bin/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -1)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
sql() { "$PSQL" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault "$@"; }

if [ "$SKIP_PACKAGE" != 1 ]; then
  echo "== packaging" >&2
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
fi
SPID=; DATA=
cleanup() {
  if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; fi
  if [ -n "$DATA" ] && [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$DATA"; fi
}
trap cleanup EXIT
DATA=$(mktemp -d /tmp/cv-ebench.XXXXXX); chmod 755 "$DATA"; mkdir "$DATA/export"
SPORT=$(free_port); PGPORT=$(free_port)
CONSENT_EMBEDDED_POSTGRES=true CONSENT_EMBEDDED_POSTGRES_DATA_DIR="$DATA/pg" CONSENT_EMBEDDED_POSTGRES_PORT="$PGPORT" \
  CONSENT_ADMIN_TOKEN=bench-admin QUARKUS_HTTP_PORT="$SPORT" CONSENT_EXPORT_DESTINATION="file://$DATA/export" \
  CONSENT_EXPORT_SCHEDULE=off CONSENT_EXPORT_POLL=1s \
  java $JAVA_OPTS -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$HERE/target/export-service.log" 2>&1 &
SPID=$!
SVC="http://127.0.0.1:$SPORT"
wait_ready "$SVC/q/health/ready"
curl -sf -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' \
  -d '{"id":"bench","name":"Export benchmark"}' "$SVC/v1/admin/organizations" >/dev/null
KEY=$(curl -sf -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' \
  -d '{"name":"export-bench","scopes":["exports:manage"]}' "$SVC/v1/admin/organizations/bench/keys" | jq -r .key)
export PGPASSWORD; PGPASSWORD=$(cat "$DATA/pg.password")

echo "== seeding $EVENTS events of $USERS users, received today" >&2
SEED_STARTED=$SECONDS
T0=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ); DAY=${T0%%T*}
# a payload as an SDK sends it (about 600 bytes): stored with every event, never shown by the export
PAYLOAD="'{\"organization_id\": \"bench\", \"user\": {\"id\": \"' || 'u-' || (g % $USERS) || '\", \"type\": \"external\", \"country\": \"FR\"}, \"regulation\": \"gdpr\", \"notice_id\": \"notice-checkout-2026\", \"events\": [{\"action\": \"consent.given\", \"purpose\": \"analytics\"}, {\"action\": \"consent.refused\", \"vendor\": \"755\"}], \"source\": {\"type\": \"web\", \"sdk_version\": \"2.1.0\", \"url\": \"https://shop.example/checkout?step=payment&campaign=winter-sale-2026\"}, \"created_at\": \"' || t || '\", \"metadata\": {\"page\": \"checkout\", \"ab_test\": \"banner-v3\", \"referrer\": \"https://search.example/?q=shop\"}}'"
for ((from = 0; from < EVENTS; from += CHUNK)); do
  to=$(( from + CHUNK < EVENTS ? from + CHUNK : EVENTS ))
  sql -c "
    INSERT INTO events (organization_id, event_key, received_at, id, user_key, user_id, event_time, country,
                        regulation, source_type, sdk_version, items, client_ip, user_agent, payload, item_decisions,
                        item_changes, user_version)
    SELECT 'bench', 'seed-' || g, t, 'seed-' || g, 'u-' || (g % $USERS), 'u-' || (g % $USERS), t, 'FR', 'gdpr', 'web',
           '2.1.0', '[{\"action\":\"consent.given\",\"purpose\":\"analytics\"},{\"action\":\"consent.refused\",\"vendor\":\"755\"}]',
           '203.0.113.7', 'Mozilla/5.0 (seed)', $PAYLOAD, '{t,f}', '{granted,refused}', 1 + g / $USERS
    FROM generate_series($from, $(( to - 1 ))) g,
         LATERAL (SELECT '${DAY}T00:00:00Z'::timestamptz
                         + (g::float8 / $EVENTS) * ('$T0'::timestamptz - '${DAY}T00:00:00Z'::timestamptz) AS t) x"
  echo "  $to ($(( SECONDS - SEED_STARTED )) s)" >&2
done
sql -c "
  INSERT INTO consent_state (organization_id, user_key, user_id, decisions, created_at, updated_at, version)
  SELECT 'bench', 'u-' || g, 'u-' || g,
         ('{\"c\":[\"FR\",0],\"p\":{\"analytics\":[true,0,null,-1]},\"s\":[['
           || (extract(epoch from now())::bigint * 1000000) || ',' || (extract(epoch from now())::bigint * 1000000)
           || ',\"seed-' || g || '\"]],\"v\":{\"755\":[false,0,null,-1]}}')::jsonb,
         now() - interval '1 day', now(), $(( EVENTS / USERS ))
  FROM generate_series(0, $(( USERS - 1 ))) g"
sql -c "VACUUM (ANALYZE) events" -c "VACUUM (ANALYZE) consent_state"
SEED_SECONDS=$(( SECONDS - SEED_STARTED ))
echo "  seeded and vacuumed in $SEED_SECONDS s" >&2

echo "== export of $DAY" >&2
LOCATION=/v1/exports/$(curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "{\"date\":\"$DAY\"}" "$SVC/v1/exports" | jq -r .id)
RUN_STARTED=$(date +%s.%N)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }
CPU_STARTED=$(cpu_ticks)
while true; do
  RUN=$(curl -sf -H "Authorization: Bearer $KEY" "$SVC$LOCATION")
  STATUS=$(echo "$RUN" | jq -r .status)
  printf '\r  %s: %s%% (%s users, %s events, %s bytes)   ' "$STATUS" "$(echo "$RUN" | jq -r .progress.percent)" \
    "$(echo "$RUN" | jq -r .progress.users_written)" "$(echo "$RUN" | jq -r .progress.events_written)" \
    "$(echo "$RUN" | jq -r .progress.bytes_written)" >&2
  [ "$STATUS" = succeeded ] || [ "$STATUS" = failed ] && break
  sleep 1
done
echo >&2
[ "$STATUS" = succeeded ] || { echo "the export failed: $RUN" >&2; exit 1; }
WALL=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $RUN_STARTED}")
CPU=$(awk "BEGIN {printf \"%.1f\", ($(cpu_ticks) - $CPU_STARTED) / $(getconf CLK_TCK)}")
USERS_W=$(echo "$RUN" | jq .progress.users_written); EVENTS_W=$(echo "$RUN" | jq .progress.events_written)
BYTES=$(echo "$RUN" | jq .progress.bytes_written)
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SPID/status")
RPS=$(awk "BEGIN {printf \"%.0f\", ($USERS_W + $EVENTS_W) / $WALL}")
RPCPU=$(awk "BEGIN {printf \"%.0f\", ($USERS_W + $EVENTS_W) / $CPU}")
cat >&2 <<EOT

| figure | value |
|---|---|
| rows written (users + events) | $USERS_W + $EVENTS_W |
| wall time, ask to succeeded (s) | $WALL |
| rows/s | $RPS |
| service CPU during the run (s) | $CPU |
| rows per service CPU second | $RPCPU |
| gzip bytes written | $BYTES ($(( BYTES / 1048576 )) MiB) |
| part files | $(jq '.files | length' "$DATA/export/export-id=bench/date=$DAY/manifest.json") |
| service peak RSS (MiB), $JAVA_OPTS | $((RSS_KB / 1024)) |

(seed $SEED_SECONDS s; the whole run took $(( SECONDS - STARTED )) s)
EOT
jq -n --argjson users "$USERS_W" --argjson events "$EVENTS_W" --argjson wall "$WALL" --argjson rps "$RPS" --argjson cpu "$CPU" \
  --argjson bytes "$BYTES" --argjson rss $((RSS_KB / 1024)) --arg java "$JAVA_OPTS" \
  '{users: $users, events: $events, wall_seconds: $wall, rows_per_second: $rps, service_cpu_seconds: $cpu,
    bytes: $bytes, peak_rss_mib: $rss,
    java_opts: $java}' >"$OUT"
echo "written: $OUT" >&2
