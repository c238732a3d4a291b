package io.consentvault.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.consentvault.ingest.batch.Lanes;

/**
 * Ready while the service takes events: down once it drains for shutdown. The database check (and so "migrations
 * ran", which happens before the service starts) comes from the reactive datasource's own readiness check.
 */
@Readiness
@ApplicationScoped
public class IngestReadiness implements HealthCheck {

    private final Lanes lanes;

    public IngestReadiness(Lanes lanes) {
        this.lanes = lanes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ingest").status(!lanes.isDraining()).withData("queued", lanes.depth())
                .build();
    }
}
