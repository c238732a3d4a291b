package io.consentvault.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Simulation;

/**
 * Edge proxies at a constant rate: latest state, purpose decisions and bulk lookups over the seeded population (run
 * IngestBurst first), mostly hits and {@code unknownShare} unknown users.
 */
public class EdgeLookup extends Simulation {
    {
        setUp(Scenarios.edge().injectOpen(constantUsersPerSec(Settings.LOOKUP_RATE).during(Settings.LOOKUP_SECONDS)))
                .protocols(Scenarios.protocol())
                .assertions(global().failedRequests().percent().lt(0.1),
                        global().responseTime().percentile(99).lt(Settings.P99_MILLIS));
    }
}
