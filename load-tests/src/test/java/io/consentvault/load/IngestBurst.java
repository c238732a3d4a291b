package io.consentvault.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import io.gatling.javaapi.core.Simulation;

/**
 * The morning a banner goes live: SDK users arrive at an open-model rate that ramps up, holds, spikes to
 * {@code spikeFactor} times, and comes back down; a share of them retry with the same Idempotency-Key. A warm-up at
 * the base rate comes first (as in {@link EdgeLookup}, the p99 assertion judges what follows it).
 */
public class IngestBurst extends Simulation {
    {
        double base = Settings.BASE_RATE;
        double spike = base * Settings.SPIKE_FACTOR;
        setUp(Scenarios.sdk(Scenarios.WARM_UP)
                .injectOpen(constantUsersPerSec(base).during(Settings.WARMUP_SECONDS))
                .andThen(Scenarios.sdk(Scenarios.MEASURED).injectOpen(
                        rampUsersPerSec(1).to(base).during(Settings.RAMP_SECONDS),
                        constantUsersPerSec(base).during(Settings.HOLD_SECONDS),
                        rampUsersPerSec(base).to(spike).during(5),
                        constantUsersPerSec(spike).during(Settings.SPIKE_SECONDS),
                        rampUsersPerSec(spike).to(base).during(5),
                        constantUsersPerSec(base).during(Settings.HOLD_SECONDS))))
                .protocols(Scenarios.protocol())
                .assertions(global().failedRequests().percent().lt(0.1),
                        details(Scenarios.MEASURED).responseTime().percentile(99).lt(Settings.P99_MILLIS));
    }
}
