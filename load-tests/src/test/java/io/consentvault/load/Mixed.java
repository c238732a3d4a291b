package io.consentvault.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Simulation;

/** Ingest and lookups at once, with a trickle of batch uploads (100 events each). */
public class Mixed extends Simulation {
    {
        int seconds = Settings.LOOKUP_SECONDS;
        setUp(Scenarios.sdk().injectOpen(constantUsersPerSec(Settings.BASE_RATE).during(seconds)),
                Scenarios.edge().injectOpen(constantUsersPerSec(Settings.LOOKUP_RATE).during(seconds)),
                Scenarios.batches().injectOpen(constantUsersPerSec(Settings.BATCH_RATE).during(seconds)))
                .protocols(Scenarios.protocol())
                .assertions(global().failedRequests().percent().lt(0.1),
                        global().responseTime().percentile(99).lt(Settings.P99_MILLIS));
    }
}
