package io.consentvault.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The requests of the simulations: an SDK posting a consent event, an edge proxy asking, a batch upload. */
final class Scenarios {

    /** The group of the requests the p99 assertions judge; {@link #WARM_UP} requests are only counted for failures. */
    static final String MEASURED = "measured";
    static final String WARM_UP = "warm-up";

    private Scenarios() {
    }

    static HttpProtocolBuilder protocol() {
        return http.baseUrl(Settings.BASE_URL).authorizationHeader("Bearer " + Settings.KEY)
                .contentTypeHeader("application/json").acceptHeader("application/json").shareConnections();
    }

    /** Users with a fresh Idempotency-Key, some of whom retry. */
    static Iterator<Map<String, Object>> sdkUsers() {
        return Stream.generate(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return Map.<String, Object> of("user", "u-" + r.nextInt(Settings.POPULATION), "key",
                    UUID.randomUUID().toString(), "retry", r.nextDouble() < Settings.RETRY_SHARE, "action",
                    r.nextBoolean() ? "consent.given" : "consent.refused");
        }).iterator();
    }

    static Iterator<Map<String, Object>> lookups() {
        return Stream.generate(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String user = r.nextDouble() < Settings.UNKNOWN_SHARE ? "ghost-" + r.nextInt(1_000_000)
                    : "u-" + r.nextInt(Settings.POPULATION);
            return Map.<String, Object> of("user", user, "kind", r.nextInt(10));
        }).iterator();
    }

    static final String EVENT = "{\"organization_id\": \"" + Settings.ORG + "\", \"user\": {\"id\": \"#{user}\"},"
            + " \"regulation\": \"gdpr\", \"events\": [{\"action\": \"#{action}\", \"purpose\": \"analytics\"},"
            + " {\"action\": \"#{action}\", \"vendor\": \"755\"}], \"source\": {\"type\": \"web\"}}";

    static ScenarioBuilder sdk() {
        return sdk(MEASURED);
    }

    /** SDK posts, their requests in the group {@code phase}. */
    static ScenarioBuilder sdk(String phase) {
        return scenario("SDK posts a consent event (" + phase + ")").group(phase).on(feed(sdkUsers())
                .exec(http("post event").post("/v1/consents/events").header("Idempotency-Key", "#{key}")
                        .body(StringBody(EVENT)).check(status().is(201)))
                .exec(doIf("#{retry}").then(exec(http("retry event").post("/v1/consents/events")
                        .header("Idempotency-Key", "#{key}").body(StringBody(EVENT)).check(status().is(200))))));
    }

    /** Edge proxy reads, their requests in the group {@code phase}. */
    static ScenarioBuilder edge(String phase) {
        return scenario("Edge proxy asks (" + phase + ")").group(phase).on(feed(lookups())
                .doIfOrElse(session -> session.getInt("kind") < 6).then(exec(http("user").get(
                        "/v1/consents/users/#{user}").check(status().in(200, 404))))
                .orElse(doIfOrElse(session -> session.getInt("kind") < 9).then(exec(http("decision").get(
                        "/v1/consents/users/#{user}/purposes/analytics").check(status().is(200))))
                        .orElse(exec(http("bulk lookup").post("/v1/consents/users/lookup").body(StringBody(
                                "{\"user_ids\": [\"#{user}\", \"u-1\", \"u-2\", \"u-3\", \"ghost\"]}"))
                                .check(status().is(200))))));
    }

    static ScenarioBuilder batches() {
        return batches(MEASURED);
    }

    /** Batch uploads of 100 events, in the group {@code phase}. */
    static ScenarioBuilder batches(String phase) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"organization_id\": \"").append(Settings.ORG)
                    .append("\", \"user\": {\"id\": \"batch-#{batch}-").append(i)
                    .append("\"}, \"events\": [{\"action\": \"consent.given\", \"purpose\": \"analytics\"}]}");
        }
        String events = body.append(']').toString();
        return scenario("Batch upload (" + phase + ")").group(phase).on(
                exec(session -> session.set("batch", UUID.randomUUID().toString()))
                        .exec(http("batch").post("/v1/consents/events/batch").body(StringBody(events))
                                .check(status().is(200))));
    }
}
