package io.consentvault.ingest.health;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.consentvault.ingest.IngestConfig;
import io.consentvault.ingest.batch.Lanes;
import io.quarkus.runtime.ShutdownEvent;

/**
 * On SIGTERM Quarkus first stops taking requests and waits for those in flight ({@code quarkus.shutdown.timeout});
 * then this flushes whatever is still queued before the database pool closes.
 */
@ApplicationScoped
public class GracefulDrain {

    private static final Logger LOG = Logger.getLogger(GracefulDrain.class);

    private final Lanes lanes;
    private final IngestConfig config;

    public GracefulDrain(Lanes lanes, IngestConfig config) {
        this.lanes = lanes;
        this.config = config;
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        int queued = lanes.depth();
        boolean drained = lanes.drain(config.retryFor().plusSeconds(5));
        LOG.infof("shutdown: %d queued events %s", queued, drained ? "flushed" : "NOT all flushed in time");
    }
}
