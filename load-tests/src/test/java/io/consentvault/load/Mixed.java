package io.consentvault.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Simulation;

/**
 * Ingest and lookups at once, with a trickle of batch uploads (100 events each), after a warm-up of the same mix (as
 * in {@link EdgeLookup}, the p99 assertion judges what follows it).
 */
public class Mixed extends Simulation {
    {
        int warm = Settings.WARMUP_SECONDS;
        int seconds = Settings.LOOKUP_SECONDS;
        setUp(Scenarios.sdk(Scenarios.WARM_UP).injectOpen(constantUsersPerSec(Settings.BASE_RATE).during(warm))
                .andThen(Scenarios.sdk(Scenarios.MEASURED)
                        .injectOpen(constantUsersPerSec(Settings.BASE_RATE).during(seconds))),
                Scenarios.edge(Scenarios.WARM_UP).injectOpen(constantUsersPerSec(Settings.LOOKUP_RATE).during(warm))
                        .andThen(Scenarios.edge(Scenarios.MEASURED)
                                .injectOpen(constantUsersPerSec(Settings.LOOKUP_RATE).during(seconds))),
                Scenarios.batches(Scenarios.WARM_UP).injectOpen(constantUsersPerSec(Settings.BATCH_RATE).during(warm))
                        .andThen(Scenarios.batches(Scenarios.MEASURED)
                                .injectOpen(constantUsersPerSec(Settings.BATCH_RATE).during(seconds))))
                .protocols(Scenarios.protocol())
                .assertions(global().failedRequests().percent().lt(0.1),
                        details(Scenarios.MEASURED).responseTime().percentile(99).lt(Settings.P99_MILLIS));
    }
}
