#!/usr/bin/env bash
# The vault's read benchmark: packages the service, starts it on a fresh embedded database, seeds RECORDS consent
# records (RECORDS / 4 events of four items each, straight into events with what their items decided and changed, as
# the service stores them, and in receive-time order, as the service appends them; SQL, chunks of 1M records,
# 3 organizations, received over the last 90 days, in the monthly partitions the service would have made then),
# vacuums, and measures the first pages of GET /v1/vault/records
# that auditors ask for, a month's COUNT(*) through POST /v1/vault/search, and GET /v1/analytics/consents over 30
# days, 48 hours and 400 days, and the console's other pages (a record's proof, a user's state at an instant). The target: first page p99 < 50 ms at 10M records. Everything runs on this machine, on loopback, with wrk (1 thread) as the load generator.
#
#   load-tests/vault-bench.sh                              # 10M records: the seed alone takes 20 minutes or more
#   RECORDS=200000 DURATION=3s load-tests/vault-bench.sh   # a check of the script, about 2 minutes
#
# Settings (environment): RECORDS (10000000), DURATION (10s, each query at c4 and c16), WARMUP (20s: every query in
# turn, so that the JIT has compiled the routes before the first measured run), SEARCH_RUNS (5), SKIP_PACKAGE (0; 1
# reuses target/quarkus-app), ANALYTICS_RUNS (5), KEEP_DATA (0; 1 keeps the database's directory in /tmp), OUT
# (load-tests/target/vault-bench.json).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
ROOT=$(cd .. && pwd)
RECORDS=${RECORDS:-10000000}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
SEARCH_RUNS=${SEARCH_RUNS:-5}
ANALYTICS_RUNS=${ANALYTICS_RUNS:-5}
SKIP_PACKAGE=${SKIP_PACKAGE:-0}
OUT=${OUT:-$HERE/target/vault-bench.json}
ORG=bench
USERS=100000
SPAN_DAYS=90
CHUNK=1000000
mkdir -p "$HERE/target"
STARTED=$SECONDS

for tool in wrk jq; do
  command -v "$tool" >/dev/null && continue
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
  else echo "$tool is needed: sudo apt-get install $tool" >&2; exit 1; fi
done
PSQL=/usr/lib/postgresql/15/bin/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -1)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1; }
wait_ready() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "not ready: $1" >&2; return 1; }
# the service's own time on a route so far, from its metrics: "requests seconds" (waiting for a connection included)
served() { { curl -sf "$SVC/q/metrics" || true; } | awk -v uri="uri=\"$1\"" 'index($0, uri) {
    if (/^http_server_requests_seconds_count/) c += $NF; else if (/^http_server_requests_seconds_sum/) s += $NF }
  END {printf "%d %.6f", c, s}'; }
# run NAME CONNECTIONS PATH -> sets R_RPS R_P50 R_P99 R_REQ R_NON2XX, and R_SERVER (the service's mean time, ms)
run() {
  local name=$1 conns=$2 path=$3 line before after
  before=$(served "${path%%\?*}")
  line=$(PATHS="$path" KEY="$KEY" wrk -t1 -c"$conns" -d"$DURATION" --latency -s "$HERE/wrk/vault.lua" "$SVC" \
    | grep '^RESULT')
  after=$(served "${path%%\?*}")
  R_SERVER=$(echo "$before $after" | awk '{printf "%.3f", ($3 > $1 ? ($4 - $2) * 1000 / ($3 - $1) : 0)}')
  R_REQ=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  R_NON2XX=$(echo "$line" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
  R_RPS=$(echo "$line" | sed 's/.*rps=\([0-9.]*\).*/\1/')
  R_P50=$(echo "$line" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/')
  R_P99=$(echo "$line" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
  echo "  $name: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms, server mean $R_SERVER ms ($R_NON2XX non-2xx of $R_REQ)" >&2
}
get() { curl -sf -H "Authorization: Bearer $KEY" "$SVC$1"; }
enc() { jq -rn --arg v "$1" '$v | @uri'; }
json_list() { local IFS=,; echo "[$*]"; }
sql() { "$PSQL" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U consent -d consent_vault "$@"; }

if [ "$SKIP_PACKAGE" = 1 ]; then
  [ -f "$ROOT/target/quarkus-app/quarkus-run.jar" ] || { echo "SKIP_PACKAGE=1 but no target/quarkus-app" >&2; exit 1; }
else
  echo "== packaging" >&2
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
fi

SPID=; DATA=
# stopping the service stops its embedded server (pg_ctl stop -w); then its data, gigabytes at 10M, can go
cleanup() {
  if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; fi
  if [ -n "$DATA" ] && [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$DATA"; fi
}
trap cleanup EXIT

echo "== consent-vault (packaged jar, fresh embedded PostgreSQL)" >&2
DATA=$(mktemp -d /tmp/cv-vbench.XXXXXX); chmod 755 "$DATA"
SPORT=$(free_port); PGPORT=$(free_port)
CONSENT_EMBEDDED_POSTGRES=true CONSENT_EMBEDDED_POSTGRES_DATA_DIR="$DATA/pg" CONSENT_EMBEDDED_POSTGRES_PORT="$PGPORT" \
  CONSENT_ADMIN_TOKEN=bench-admin QUARKUS_HTTP_PORT="$SPORT" \
  CONSENT_RATE_LIMIT_PER_SECOND=10000000 CONSENT_RATE_LIMIT_BURST=10000000 \
  java -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$HERE/target/vault-service.log" 2>&1 &
SPID=$!
SVC="http://127.0.0.1:$SPORT"
echo "  service on $SPORT, database on $PGPORT ($DATA)" >&2
wait_ready "$SVC/q/health/ready"
admin() { curl -sf -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' -d "$2" \
  "$SVC/v1/admin$1"; }
for org in "$ORG" "$ORG-2" "$ORG-3"; do
  admin /organizations "{\"id\":\"$org\",\"name\":\"Vault benchmark $org\"}" >/dev/null
done
CREATED=$(admin "/organizations/$ORG/keys" '{"name":"vault-bench","scopes":["vault:read"]}')
KEY=$(echo "$CREATED" | jq -r .key); KEY_ID=$(echo "$CREATED" | jq -r .id)
# the embedded server's superuser password is random, kept beside its data directory
export PGPASSWORD; PGPASSWORD=$(cat "$DATA/pg.password")

# one instant for the whole seed, so that every chunk spreads over the same 90 days
T0=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ); T0_S=$(date -u -d "$T0" +%s)
THIS_MONTH=$(date -u -d "$T0" +%Y-%m-01)
echo "== partitions of the past months (the service prepares this month and the ones ahead)" >&2
# as PartitionMaintainer names and bounds them, under its advisory lock ("consent")
PARTS="BEGIN; SELECT pg_advisory_xact_lock($((0x636f6e73656e74)));"
month=$(date -u -d "@$((T0_S - SPAN_DAYS * 86400))" +%Y-%m-01)
while [[ "$month" < "$THIS_MONTH" ]]; do
  next=$(date -u -d "$month +1 month" +%Y-%m-01); p=$(date -u -d "$month" +%Y%m)
  range="FOR VALUES FROM ('${month}T00:00Z') TO ('${next}T00:00Z')"
  PARTS+="CREATE TABLE events_p$p PARTITION OF events $range;
    ALTER TABLE events_p$p ALTER COLUMN items SET STATISTICS 0, ALTER COLUMN payload SET STATISTICS 0,
      ALTER COLUMN consent_string SET STATISTICS 0, ALTER COLUMN user_agent SET STATISTICS 0;
"
  echo "  events_p$p" >&2
  month=$next
done
sql -c "$PARTS COMMIT;" >/dev/null

echo "== seeding $RECORDS records" >&2
SEED_STARTED=$SECONDS
# Four records an event (e = g / 4): a banner shown (25 %: four preference.shown), agree to all (35 %), disagree to
# all (15 %) or save choices (25 %: each purpose given or refused), the click first, then three of 20 purposes (p0..p19)
# or a vendor. 80 % of events are the measured organization's, 15 % and 5 % two others'; 100k users each, 30 % of them
# Didomi users (no organization_user_id); countries weighted as a European site sees them; created_at a few seconds
# before the receive time, hours for the 5 % sent late by an offline app. Every pseudo-random choice is a hash of the
# event or record number, so a seed is the same every time.
EVENTS=$(( (RECORDS + 3) / 4 ))
for ((from = 0; from < RECORDS; from += CHUNK)); do
  to=$(( from + CHUNK < RECORDS ? from + CHUNK : RECORDS ))
  sql -c "CREATE FUNCTION pg_temp.pick(x bigint, salt bigint, n integer) RETURNS integer LANGUAGE sql IMMUTABLE
            AS 'SELECT ((hashint8extended(x, salt) % n + n) % n)::integer'" -c "
    INSERT INTO events (organization_id, event_key, received_at, id, user_key, user_id, user_type, event_time,
                        country, region, regulation, notice_id, source_type, sdk_version, items, client_ip, user_agent,
                        payload, api_key_id, item_decisions, item_changes)
    SELECT org, event_id, received_at, event_id, user_id, user_id, user_type, created_at, country, region, regulation,
           notice_id, source_type, sdk_version,
           jsonb_agg(jsonb_strip_nulls(jsonb_build_object('action', action, 'purpose', purpose, 'vendor', vendor,
                                                          'legal_basis', legal_basis, 'value', value)) ORDER BY idx),
           '203.0.113.7', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
           '{\"organization_id\":\"' || org || '\",\"user\":{\"id\":\"' || user_id || '\"},\"events\":'
             || jsonb_agg(jsonb_strip_nulls(jsonb_build_object('action', action, 'purpose', purpose, 'vendor', vendor,
                                                               'legal_basis', legal_basis, 'value', value)) ORDER BY idx)::text
             || '}',
           api_key_id, array_agg(decision ORDER BY idx), array_agg(change ORDER BY idx)
    FROM (
    SELECT ev.org, ev.event_id, ev.received_at, r.idx, ev.created_at, ev.user_id,
           CASE WHEN ev.didomi THEN 'didomi' END AS user_type,
           it.action, it.purpose, it.vendor, it.legal_basis,
           CASE WHEN pg_temp.pick(r.g, 14, 10) < 2 THEN d.decision END AS value, d.decision,
           CASE WHEN d.decision IS NULL OR (it.purpose IS NULL AND it.vendor IS NULL) THEN NULL
                WHEN pg_temp.pick(r.g, 15, 100) < 2 THEN 'superseded'
                WHEN d.decision THEN CASE WHEN pg_temp.pick(r.g, 16, 100) < 45 THEN 'granted' ELSE 'renewed' END
                WHEN pg_temp.pick(r.g, 16, 100) < 20 THEN 'withdrawn' ELSE 'refused' END AS change,
           CASE ev.country WHEN 'US' THEN 'ccpa' WHEN 'BR' THEN 'lgpd' ELSE 'gdpr' END AS regulation,
           ev.notice_id, ev.country,
           CASE ev.country WHEN 'US' THEN (ARRAY['CA', 'NY', 'TX', 'WA'])[pg_temp.pick(r.e, 7, 4) + 1]
                           WHEN 'FR' THEN (ARRAY['IDF', 'ARA', 'PAC', 'OCC'])[pg_temp.pick(r.e, 7, 4) + 1] END AS region,
           ev.source_type, ev.sdk_version, ev.api_key_id
    FROM (SELECT g, g / 4 AS e, (g % 4)::integer AS idx FROM generate_series($from::bigint, $(( to - 1 ))) g) r
    CROSS JOIN LATERAL (
      SELECT CASE WHEN h.o < 80 THEN '$ORG' WHEN h.o < 95 THEN '$ORG-2' ELSE '$ORG-3' END AS org,
             CASE WHEN h.o < 80 THEN '$KEY_ID' WHEN h.o < 95 THEN 'key-2' ELSE 'key-3' END AS api_key_id,
             md5('seed-' || r.e)::uuid::text AS event_id,
             'u-' || h.u AS user_id, pg_temp.pick(h.u, 13, 10) < 3 AS didomi,
             CASE WHEN h.c < 30 THEN 'FR' WHEN h.c < 48 THEN 'DE' WHEN h.c < 58 THEN 'ES' WHEN h.c < 68 THEN 'IT'
                  WHEN h.c < 75 THEN 'GB' WHEN h.c < 80 THEN 'BE' WHEN h.c < 85 THEN 'NL' WHEN h.c < 89 THEN 'PL'
                  WHEN h.c < 92 THEN 'PT' WHEN h.c < 97 THEN 'US' ELSE 'BR' END AS country,
             CASE WHEN h.s < 70 THEN 'web' WHEN h.s < 95 THEN 'app' ELSE 'amp' END AS source_type,
             CASE WHEN h.s < 40 THEN '2.1.0' WHEN h.s < 70 THEN '2.0.7' WHEN h.s < 95 THEN '1.9.0' ELSE '2.1.0' END
               AS sdk_version,
             'notice-' || pg_temp.pick(r.e, 5, 6) AS notice_id,
             CASE WHEN h.k < 25 THEN 'shown' WHEN h.k < 60 THEN 'agree' WHEN h.k < 75 THEN 'disagree' ELSE 'save' END
               AS kind,
             h.received_at,
             h.received_at - CASE WHEN pg_temp.pick(r.e, 9, 100) < 95
                                  THEN pg_temp.pick(r.e, 10, 30000) * interval '1 ms'
                                  ELSE pg_temp.pick(r.e, 10, 86400) * interval '1 second' END AS created_at
      FROM (SELECT pg_temp.pick(r.e, 1, 100) AS o, pg_temp.pick(r.e, 2, $USERS) AS u, pg_temp.pick(r.e, 3, 100) AS c,
                   pg_temp.pick(r.e, 4, 100) AS s, pg_temp.pick(r.e, 6, 100) AS k,
                   '$T0'::timestamptz - ($EVENTS - r.e)::float8 * $(( SPAN_DAYS * 86400 )) / $EVENTS
                     * interval '1 second' AS received_at) h
    ) ev
    CROSS JOIN LATERAL (
      SELECT CASE WHEN ev.kind = 'shown' THEN 'preference.shown'
                  WHEN r.idx = 0 THEN CASE ev.kind WHEN 'agree' THEN 'preferences.click.agreetoall'
                    WHEN 'disagree' THEN 'preferences.click.disagreetoall' ELSE 'preferences.click.savechoices' END
                  WHEN ev.kind = 'agree' THEN 'consent.given' WHEN ev.kind = 'disagree' THEN 'consent.refused'
                  WHEN pg_temp.pick(r.g, 11, 100) < 55 THEN 'consent.given' ELSE 'consent.refused' END AS action,
             CASE WHEN ev.kind = 'shown' OR r.idx = 0 OR vendor_item THEN NULL
                  ELSE 'p' || (pg_temp.pick(r.e, 12, 20) + r.idx * 7) % 20 END AS purpose,
             CASE WHEN vendor_item THEN (pg_temp.pick(r.g, 17, 900) + 1)::text END AS vendor,
             CASE WHEN ev.kind = 'shown' OR r.idx = 0 THEN NULL
                  ELSE (ARRAY[NULL, NULL, NULL, NULL, NULL, NULL, 'consent', 'consent', 'consent',
                              'legitimate_interest'])[pg_temp.pick(r.g, 18, 10) + 1] END AS legal_basis
      FROM (SELECT ev.kind = 'save' AND r.idx = 3 AND pg_temp.pick(r.g, 19, 4) = 0 AS vendor_item) v
    ) it
    CROSS JOIN LATERAL (
      SELECT CASE WHEN it.action IN ('consent.given', 'preferences.click.agreetoall') THEN true
                  WHEN it.action IN ('consent.refused', 'preferences.click.disagreetoall') THEN false END AS decision
    ) d
    ) rec
    GROUP BY org, event_id, received_at, created_at, user_id, user_type, country, region, regulation, notice_id,
             source_type, sdk_version, api_key_id
    ORDER BY received_at"
  echo "  $to ($(( SECONDS - SEED_STARTED )) s)" >&2
done
# the seed wrote the events straight into the table: the analytics rollup that ingest keeps is built from them, as
# the migration builds it from the events stored before it
ROLLUP_STARTED=$SECONDS
sql -c "SELECT rebuild_consent_counts()" >/dev/null
echo "  analytics rollup built from the events in $(( SECONDS - ROLLUP_STARTED )) s" >&2
sql -c "VACUUM (ANALYZE) events, consent_counts, purpose_counts"
sql -tAc "SELECT '  ' || tableoid::regclass || ': ' || count(*) || ' events' FROM events GROUP BY tableoid ORDER BY 1" >&2
SEEDED=$(sql -tAc "SELECT count(*) FROM consent_records")
MEASURED=$(sql -tAc "SELECT count(*) FROM consent_records WHERE organization_id = '$ORG'")
SEED_SECONDS=$(( SECONDS - SEED_STARTED ))
echo "  $SEEDED records, $MEASURED of them the measured organization's; seeded and vacuumed in $SEED_SECONDS s" >&2

# the queries: first pages, as an auditor's screen asks for them
WEEK_FROM=$(date -u -d "@$((T0_S - 14 * 86400))" +%Y-%m-%d)
WEEK_TO=$(date -u -d "@$((T0_S - 7 * 86400))" +%Y-%m-%d)
LAST_MONTH=$(date -u -d "$THIS_MONTH -1 month" +%Y-%m-01)
R=/v1/vault/records
# a user of the newest record: at 10M every user has ~80 records, at small scales most have none
USER_ID=$(sql -tAc "SELECT user_id FROM consent_records WHERE organization_id = '$ORG'
                    ORDER BY created_at DESC LIMIT 1")
NEXT=$(get "$R" | jq -r .next_cursor)
NAMES=(newest asc week purpose_withdrawn user where page2)
LABELS=("newest 20" "order=asc" "one week ($WEEK_FROM to $WEEK_TO)" "purpose=p3&change=withdrawn" "user_id=$USER_ID"
  "where=country = 'FR' AND action LIKE 'consent.%'" "second page (cursor)")
PATHS_=("$R" "$R?order=asc" "$R?from=$WEEK_FROM&to=$WEEK_TO" "$R?purpose=p3&change=withdrawn"
  "$R?user_id=$(enc "$USER_ID")" "$R?where=$(enc "country = 'FR' AND action LIKE 'consent.%'")"
  "$R?cursor=$(enc "$NEXT")")
echo "== checking each query once" >&2
ROWS=()
for i in "${!NAMES[@]}"; do
  ROWS+=("$(get "${PATHS_[$i]}" | jq '.records | length')") || { echo "failed: ${PATHS_[$i]}" >&2; exit 1; }
  echo "  ${LABELS[$i]}: ${ROWS[$i]} records" >&2
done

echo "== warm-up ($WARMUP, every query in turn)" >&2
PATHS="${PATHS_[*]}" KEY="$KEY" wrk -t1 -c4 -d"$WARMUP" -s "$HERE/wrk/vault.lua" "$SVC" >/dev/null
echo "== first pages" >&2
TABLE=""; JSON=""
for i in "${!NAMES[@]}"; do
  run "${NAMES[$i]} c4" 4 "${PATHS_[$i]}"; C4=("$R_RPS" "$R_P50" "$R_P99" "$R_NON2XX" "$R_SERVER")
  run "${NAMES[$i]} c16" 16 "${PATHS_[$i]}"; C16=("$R_RPS" "$R_P50" "$R_P99" "$R_NON2XX" "$R_SERVER")
  met=$(awk "BEGIN {print ((${C4[2]} < 50 && ${C16[2]} < 50) ? \"yes\" : (${C4[2]} < 50 ? \"c4 only\" : \"no\"))}")
  TABLE+="| ${LABELS[$i]} | ${ROWS[$i]} | ${C4[0]} | ${C4[1]} / ${C4[2]} | ${C4[4]} |"
  TABLE+=" ${C16[0]} | ${C16[1]} / ${C16[2]} | ${C16[4]} | $met |"$'\n'
  JSON+="$(jq -cn --arg name "${NAMES[$i]}" --arg path "${PATHS_[$i]}" --argjson rows "${ROWS[$i]}" \
    --argjson c4 "$(json_list "${C4[@]}")" --argjson c16 "$(json_list "${C16[@]}")" \
    '{($name): {path: $path, records: $rows,
      c4: {rps: $c4[0], p50_ms: $c4[1], p99_ms: $c4[2], non2xx: $c4[3], server_mean_ms: $c4[4]},
      c16: {rps: $c16[0], p50_ms: $c16[1], p99_ms: $c16[2], non2xx: $c16[3], server_mean_ms: $c16[4]}}}')"$'\n'
done

echo "== search: COUNT(*) of $LAST_MONTH's month, $SEARCH_RUNS runs" >&2
QUERY="SELECT COUNT(*) FROM consent_records WHERE created_at >= '$LAST_MONTH' AND created_at < '$THIS_MONTH'"
BODY=$(jq -cn --arg q "$QUERY" '{query: $q}')
TIMES=()
for _ in $(seq 1 "$SEARCH_RUNS"); do
  line=$(curl -s -o "$HERE/target/vault-search.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d "$BODY" "$SVC/v1/vault/search")
  [ "${line%% *}" = 200 ] || { echo "search answered ${line%% *}: $(cat "$HERE/target/vault-search.json")" >&2; exit 1; }
  TIMES+=("$(awk "BEGIN {printf \"%.1f\", ${line#* } * 1000}")")
done
COUNT=$(jq '.results[0].count' "$HERE/target/vault-search.json")
SORTED=($(printf '%s\n' "${TIMES[@]}" | sort -n))
S_P50=${SORTED[$(( (SEARCH_RUNS - 1) / 2 ))]}; S_MAX=${SORTED[-1]}
echo "  ${TIMES[*]} ms, count $COUNT" >&2

# the analytics a console charts: a month of days, two days of hours, and the widest range (400 days: all the seed)
A=/v1/analytics/consents
TODAY=$(date -u -d "$T0" +%Y-%m-%d)
A_NAMES=(days30 hours48 days400)
A_LABELS=("30 days, interval=day" "48 hours, interval=hour" "400 days, interval=day")
A_PATHS=("$A?from=$(date -u -d "$TODAY -29 days" +%Y-%m-%d)&interval=day" "$A?interval=hour"
  "$A?from=$(date -u -d "$TODAY -399 days" +%Y-%m-%d)&interval=day")
echo "== analytics: $ANALYTICS_RUNS runs of each range, one at a time, after one not counted" >&2
A_TABLE=""; A_JSON=""
for i in "${!A_NAMES[@]}"; do
  get "${A_PATHS[$i]}" >/dev/null || { echo "failed: ${A_PATHS[$i]}" >&2; exit 1; }
  before=$(served "$A"); A_TIMES=()
  for _ in $(seq 1 "$ANALYTICS_RUNS"); do
    line=$(curl -s -o "$HERE/target/vault-analytics.json" -w '%{http_code} %{time_total}' \
      -H "Authorization: Bearer $KEY" "$SVC${A_PATHS[$i]}")
    [ "${line%% *}" = 200 ] || { echo "analytics answered ${line%% *}: $(cat "$HERE/target/vault-analytics.json")" >&2
      exit 1; }
    A_TIMES+=("$(awk "BEGIN {printf \"%.1f\", ${line#* } * 1000}")")
  done
  after=$(served "$A")
  server=$(echo "$before $after" | awk '{printf "%.1f", ($3 > $1 ? ($4 - $2) * 1000 / ($3 - $1) : 0)}')
  buckets=$(jq '.buckets | length' "$HERE/target/vault-analytics.json")
  counted=$(jq '[.buckets[].events] | add' "$HERE/target/vault-analytics.json")
  A_SORTED=($(printf '%s\n' "${A_TIMES[@]}" | sort -n))
  a_p50=${A_SORTED[$(( (ANALYTICS_RUNS - 1) / 2 ))]}; a_max=${A_SORTED[-1]}
  echo "  ${A_LABELS[$i]}: $buckets buckets, $counted events; ${A_TIMES[*]} ms (server mean $server ms)" >&2
  A_TABLE+="| ${A_LABELS[$i]} | $buckets | $counted | $a_p50 | $a_max | $server |"$'\n'
  A_JSON+="$(jq -cn --arg name "${A_NAMES[$i]}" --arg path "${A_PATHS[$i]}" --argjson buckets "$buckets" \
    --argjson events "$counted" --argjson times "$(json_list "${A_TIMES[@]}")" --argjson p50 "$a_p50" \
    --argjson max "$a_max" --argjson server "$server" \
    '{($name): {path: $path, buckets: $buckets, events: $events, runs_ms: $times, p50_ms: $p50, max_ms: $max,
      server_mean_ms: $server}}')"$'\n'
done
A_TABLE=${A_TABLE%$'\n'}

# the console's other pages, each one request: a record's proof (the newest record), and the state of that record's
# user as it was a week before the seed's end (replayed from the user's history)
RECORD_ID=$(get "$R?limit=1" | jq -r '.records[0].id')
AT=$(date -u -d "@$((T0_S - 7 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
P_NAMES=(record state_at)
P_LABELS=("a record's proof" "a user's state at an instant")
P_PATHS=("$R/$(enc "$RECORD_ID")" "/v1/vault/users/$(enc "$USER_ID")/state?at=$AT")
echo "== console pages: $ANALYTICS_RUNS runs of each, one at a time, after one not counted" >&2
P_TABLE=""; P_JSON=""
for i in "${!P_NAMES[@]}"; do
  get "${P_PATHS[$i]}" >/dev/null || { echo "failed: ${P_PATHS[$i]}" >&2; exit 1; }
  P_TIMES=()
  for _ in $(seq 1 "$ANALYTICS_RUNS"); do
    line=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $KEY" "$SVC${P_PATHS[$i]}")
    [ "${line%% *}" = 200 ] || { echo "${P_PATHS[$i]} answered ${line%% *}" >&2; exit 1; }
    P_TIMES+=("$(awk "BEGIN {printf \"%.1f\", ${line#* } * 1000}")")
  done
  P_SORTED=($(printf '%s\n' "${P_TIMES[@]}" | sort -n))
  echo "  ${P_LABELS[$i]}: ${P_TIMES[*]} ms" >&2
  P_TABLE+="| ${P_LABELS[$i]} | ${P_SORTED[$(( (ANALYTICS_RUNS - 1) / 2 ))]} | ${P_SORTED[-1]} |"$'\n'
  P_JSON+="$(jq -cn --arg name "${P_NAMES[$i]}" --argjson times "$(json_list "${P_TIMES[@]}")" \
    '{($name): {runs_ms: $times}}')"$'\n'
done
P_TABLE=${P_TABLE%$'\n'}

RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SPID/status")
TABLE=${TABLE%$'\n'}

cat >&2 <<EOF

$SEEDED records seeded ($MEASURED the measured organization's) in $SEED_SECONDS s; wrk 1 thread, $DURATION a run;
latencies in ms, "server" the service's mean time from its metrics.

| first page (limit 20) | records | c4 req/s | c4 p50 / p99 | c4 server | c16 req/s | c16 p50 / p99 | c16 server | p99 < 50 ms |
|---|---|---|---|---|---|---|---|---|
${TABLE}

POST /v1/vault/search, COUNT(*) of the month from $LAST_MONTH ($COUNT records): p50 $S_P50 ms, max $S_MAX ms
($SEARCH_RUNS runs, one at a time).

GET /v1/analytics/consents ($ANALYTICS_RUNS runs each, one at a time; ms):

| range | buckets | events counted | p50 | max | server mean |
|---|---|---|---|---|---|
${A_TABLE}

The console's other pages ($ANALYTICS_RUNS runs each, one at a time; client ms):

| page | p50 | max |
|---|---|---|
${P_TABLE}

(peak RSS $((RSS_KB / 1024)) MiB; the whole run took $(( SECONDS - STARTED )) s)
EOF
echo "$JSON" | jq -s --argjson records "$SEEDED" --argjson measured "$MEASURED" --arg duration "$DURATION" \
  --argjson count "$COUNT" --argjson times "$(json_list "${TIMES[@]}")" --argjson p50 "$S_P50" --argjson max "$S_MAX" \
  --argjson rss $((RSS_KB / 1024)) --argjson analytics "$(echo "$A_JSON" | jq -s add)" \
  --argjson pages "$(echo "$P_JSON" | jq -s add)" \
  --argjson seed_s "$SEED_SECONDS" --arg query "$QUERY" \
  '{records: $records, measured_organization_records: $measured, seed_seconds: $seed_s, duration: $duration,
    first_pages: add,
    search_count: {query: $query, count: $count, runs_ms: $times, p50_ms: $p50, max_ms: $max},
    analytics: $analytics, console_pages: $pages,
    peak_rss_mib: $rss}' >"$OUT"
echo "written: $OUT" >&2
