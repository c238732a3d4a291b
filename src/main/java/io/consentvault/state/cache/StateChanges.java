package io.consentvault.state.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.consentvault.state.repository.StateWriter.UserKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * The channel between replicas: a committed change of users' state is announced with PostgreSQL NOTIFY (sent inside
 * the writing transaction, so delivered exactly when it commits), and every other replica drops those users from its
 * cache. The listening connection reconnects by itself; after a reconnect, anything may have been missed, so the
 * whole cache is dropped. A metric says how far behind the announcements arrive.
 * <p>
 * Messages: {@code {"r": replica, "t": sent epoch ms, "k": [[organization, user key], ...]}}, cut to fit NOTIFY's
 * 8000-byte payload.
 */
@ApplicationScoped
public class StateChanges {

    public static final String CHANNEL = "consent_state";
    private static final Logger LOG = Logger.getLogger(StateChanges.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_PAYLOAD = 7000;

    private final String replica = UUID.randomUUID().toString();
    private final List<Consumer<List<UserKey>>> changedListeners = new ArrayList<>();
    private final List<Runnable> resetListeners = new ArrayList<>();
    private final AtomicLong lastLagMillis = new AtomicLong();
    private final Timer lag;
    private final Vertx vertx;
    private final String url;
    private final String user;
    private final String password;
    private PgSubscriber subscriber;

    public StateChanges(Vertx vertx, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
        this.lag = Timer.builder("consent.state.sync.lag")
                .description("delay between a change committed on another replica and this replica hearing of it")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("consent.state.sync.lag.last", lastLagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("how far behind the last announcement from another replica arrived").register(registry);
    }

    /** Called with the users another replica changed. */
    public void onChanged(Consumer<List<UserKey>> listener) {
        changedListeners.add(listener);
    }

    /** Called when announcements may have been missed (the listening connection was lost). */
    public void onReset(Runnable listener) {
        resetListeners.add(listener);
    }

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url)
                .setUser(user).setPassword(password);
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> retries < 1000 ? Math.min(100L * (retries + 1), 2000L) : -1L);
        subscriber.channel(CHANNEL).subscribeHandler(subscribed -> {
            LOG.debug("listening for state changes");
            resetListeners.forEach(Runnable::run);
        }).handler(this::received);
        subscriber.connect().onFailure(e -> LOG.warnf("cannot listen for state changes yet: %s", e.getMessage()));
    }

    @PreDestroy
    void stop() {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** The NOTIFY payloads announcing these users. */
    public String[] messages(Collection<UserKey> keys) {
        List<String> messages = new ArrayList<>();
        ObjectNode message = null;
        int size = 0;
        for (UserKey k : keys) {
            int entry = k.organizationId().length() + k.userKey().length() + 8;
            if (message == null || size + entry > MAX_PAYLOAD) {
                if (message != null) {
                    messages.add(message.toString());
                }
                message = MAPPER.createObjectNode().put("r", replica).put("t", System.currentTimeMillis());
                message.putArray("k");
                size = 100;
            }
            ((ArrayNode) message.get("k")).addArray().add(k.organizationId()).add(k.userKey());
            size += entry;
        }
        if (message != null) {
            messages.add(message.toString());
        }
        return messages.toArray(String[]::new);
    }

    private void received(String payload) {
        try {
            JsonNode message = MAPPER.readTree(payload);
            if (replica.equals(message.path("r").asText())) {
                return; // our own change: the cache was updated at commit
            }
            long delay = Math.max(0, System.currentTimeMillis() - message.path("t").asLong());
            lastLagMillis.set(delay);
            lag.record(delay, TimeUnit.MILLISECONDS);
            List<UserKey> keys = new ArrayList<>();
            for (JsonNode k : message.path("k")) {
                keys.add(new UserKey(k.get(0).asText(), k.get(1).asText()));
            }
            changedListeners.forEach(l -> l.accept(keys));
        } catch (Exception e) {
            LOG.warnf("unreadable state change announcement dropped, resetting: %s", e.getMessage());
            resetListeners.forEach(Runnable::run);
        }
    }
}
