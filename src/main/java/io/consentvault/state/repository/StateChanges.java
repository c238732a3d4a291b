package io.consentvault.state.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.UserKey;
import io.consentvault.platform.notify.PgNotifications;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The channel between replicas: a committed change of users' state is announced with PostgreSQL NOTIFY (sent inside
 * the writing transaction, so delivered exactly when it commits), and every other replica drops those users from its
 * cache. The listening connection reconnects by itself; after a reconnect, anything may have been missed, so the
 * whole cache is dropped. A metric says how far behind the announcements arrive.
 * <p>
 * Messages: {@code {"r": replica, "t": sent epoch ms, "k": [[organization, user key, revision], ...]}}, each user with
 * the revision its state was written at ({@link #GONE}: erased), cut to fit NOTIFY's 8000-byte payload.
 */
@ApplicationScoped
public class StateChanges {

    public static final String CHANNEL = "consent_state";
    private static final Logger LOG = Logger.getLogger(StateChanges.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_PAYLOAD = 7000;

    /** The revision announced for an erased user: above every revision a state can have. */
    public static final long GONE = Long.MAX_VALUE;

    private final String replica = UUID.randomUUID().toString();
    private final List<Consumer<Map<UserKey, Long>>> changedListeners = new ArrayList<>();
    private final List<Runnable> resetListeners = new ArrayList<>();
    private final AtomicLong lastLagMillis = new AtomicLong();
    private final Timer lag;
    public StateChanges(PgNotifications notifications, MeterRegistry registry) {
        this.lag = Timer.builder("consent.state.sync.lag")
                .description("delay between a change committed on another replica and this replica hearing of it")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("consent.state.sync.lag.last", lastLagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("how far behind the last announcement from another replica arrived").register(registry);
        notifications.listen(CHANNEL, this::received, () -> resetListeners.forEach(Runnable::run));
    }

    /** Called with the users another replica changed, each with the revision it wrote ({@link #GONE}: erased). */
    public void onChanged(Consumer<Map<UserKey, Long>> listener) {
        changedListeners.add(listener);
    }

    /** Called when announcements may have been missed (the listening connection was lost). */
    public void onReset(Runnable listener) {
        resetListeners.add(listener);
    }

    /** The NOTIFY payloads announcing these users' new states. */
    public String[] messages(Map<UserKey, ConsentState> changed) {
        return messages(changed.keySet(), k -> changed.get(k).revision());
    }

    /** The NOTIFY payloads announcing that these users were erased. */
    public String[] erased(Collection<UserKey> keys) {
        return messages(keys, k -> GONE);
    }

    private String[] messages(Collection<UserKey> keys, ToLongFunction<UserKey> revisions) {
        List<String> messages = new ArrayList<>();
        ObjectNode message = null;
        int size = 0;
        for (UserKey k : keys) {
            // the two strings, their quotes and separators, and up to 19 digits of revision
            int entry = jsonBytes(k.organizationId()) + jsonBytes(k.userKey()) + 8 + 20;
            if (message == null || size + entry > MAX_PAYLOAD) {
                if (message != null) {
                    messages.add(message.toString());
                }
                message = MAPPER.createObjectNode().put("r", replica).put("t", System.currentTimeMillis());
                message.putArray("k");
                size = 100;
            }
            ((ArrayNode) message.get("k")).addArray().add(k.organizationId()).add(k.userKey())
                    .add(revisions.applyAsLong(k));
            size += entry;
        }
        if (message != null) {
            messages.add(message.toString());
        }
        return messages.toArray(String[]::new);
    }

    /** An upper bound of the bytes this text takes as a JSON string in UTF-8 (NOTIFY counts bytes), quotes excluded. */
    static int jsonBytes(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes;
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
            Map<UserKey, Long> keys = new LinkedHashMap<>();
            for (JsonNode k : message.path("k")) {
                // a replica of an earlier release announces no revision: taken as the highest, to be safe
                keys.put(new UserKey(k.get(0).asText(), k.get(1).asText()), k.path(2).asLong(GONE));
            }
            changedListeners.forEach(l -> l.accept(keys));
        } catch (Exception e) {
            LOG.warnf("unreadable state change announcement dropped, resetting: %s", e.getMessage());
            resetListeners.forEach(Runnable::run);
        }
    }
}
