package io.consentvault.state.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.tcf.ConsentStringDecoder.Decoded;
import io.consentvault.core.tcf.ConsentStringDecoder.InvalidConsentString;
import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link StateRepository#stateAt} on the real {@code events} table: a user's whole history up to an instant, folded
 * through the merge. A history can be thousands of events, and each one's string and items are read again, so the fold
 * runs on a worker thread: on an event loop it would hold up every request that loop serves.
 */
@QuarkusTest
class StateAtTest {

    private static final Instant T0 = Instant.parse("2026-09-01T00:00:00Z");
    private static final int EVENTS = 1000;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    /** Decodes as the service does, and notes every call made on an event loop (the fold reads each event's string). */
    static final class WatchedStrings extends ConsentStrings {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger onEventLoop = new AtomicInteger();
        volatile String loop;

        WatchedStrings() {
            super(10_000, new SimpleMeterRegistry());
        }

        @Override
        public Decoded decode(String regulation, String value) throws InvalidConsentString {
            calls.incrementAndGet();
            if (Context.isOnEventLoopThread()) {
                onEventLoop.incrementAndGet();
                loop = Thread.currentThread().getName();
            }
            return super.decode(regulation, value);
        }
    }

    @Test
    void aLongHistoryIsFoldedOffTheEventLoopIntoTheStateAtTheInstant() throws Exception {
        String org = Events.unique("org-at-long");
        // a thousand decisions on one purpose, a minute apart, alternately given and refused
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add("{\"organization_id\": \"" + org + "\", \"user\": {\"id\": \"u\"}, \"created_at\": \""
                    + minute(i) + "\", \"events\": [{\"action\": \"consent." + (i % 2 == 0 ? "given" : "refused")
                    + "\", \"purpose\": \"ads\"}]}");
        }
        Api.as(org).contentType(ContentType.JSON).body("[" + String.join(",", events) + "]")
                .when().post("/v1/consents/events/batch").then().statusCode(200).body("accepted", equalTo(EVENTS));

        WatchedStrings strings = new WatchedStrings();
        ConsentState at = new StateRepository(pool, strings, vertx).stateAt(org, BoundedKey.of("u"), minute(777))
                .get(30, TimeUnit.SECONDS);
        assertEquals(778, strings.calls.get(), "the events up to the instant, that one included");
        assertEquals(0, strings.onEventLoop.get(), () -> "events folded on event loop " + strings.loop);
        assertEquals(Boolean.FALSE, at.purposes().get("ads").consent().value());
        assertEquals(minute(777), at.updatedAt());

        // and over HTTP, through the service's own repository
        Api.as(org).queryParam("at", minute(500).toString()).when().get("/v1/consents/users/u").then()
                .statusCode(200).body("consents.purposes[0].id", equalTo("ads"))
                .body("consents.purposes[0].enabled", equalTo(true))
                .body("updated_at", equalTo(minute(500).toString()));
    }

    private static Instant minute(int i) {
        return T0.plusSeconds(60L * i);
    }
}
