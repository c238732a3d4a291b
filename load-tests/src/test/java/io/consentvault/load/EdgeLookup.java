package io.consentvault.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Simulation;

/**
 * Edge proxies at a constant rate: latest state, purpose decisions and bulk lookups over the seeded population (run
 * IngestBurst first), mostly hits and {@code unknownShare} unknown users. A warm-up at the same rate comes first (both
 * JVMs start cold on the same cores); the p99 assertion judges what follows it, failures count everywhere.
 */
public class EdgeLookup extends Simulation {
    {
        setUp(Scenarios.edge(Scenarios.WARM_UP)
                .injectOpen(constantUsersPerSec(Settings.LOOKUP_RATE).during(Settings.WARMUP_SECONDS))
                .andThen(Scenarios.edge(Scenarios.MEASURED)
                        .injectOpen(constantUsersPerSec(Settings.LOOKUP_RATE).during(Settings.LOOKUP_SECONDS))))
                .protocols(Scenarios.protocol())
                .assertions(global().failedRequests().percent().lt(0.1),
                        details(Scenarios.MEASURED).responseTime().percentile(99).lt(Settings.P99_MILLIS));
    }
}
