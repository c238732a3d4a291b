package io.consentvault.core.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.consentvault.core.decision.ConsentMerge;
import io.consentvault.core.decision.ConsentState;

/**
 * A batch of stored events folded into its users' states: grouped per user in key order (the order row locks are
 * taken in), each user's events applied in arrival order through {@link ConsentMerge}, and every changed state given
 * its next revision. Pure: the caller reads the states it starts from and writes the result. Stateless.
 */
public final class BatchMerge {

    private BatchMerge() {
    }

    /**
     * A batch merged onto the states it started from: every user's state before (null: no row) and after, and the
     * states that changed, to be published once the transaction commits.
     */
    public record Merged(Map<UserKey, ConsentState> before, Map<UserKey, ConsentState> after,
            Map<UserKey, ConsentState> changed) {
    }

    /** The users of these events, in key order, each with their events in the order given. */
    public static Map<UserKey, List<ConsentEvent>> byUser(List<ConsentEvent> events) {
        Map<UserKey, List<ConsentEvent>> byUser = new TreeMap<>();
        for (ConsentEvent e : events) {
            if (e.userKey() != null) {
                byUser.computeIfAbsent(new UserKey(e.organizationId(), e.userKey()), k -> new ArrayList<>()).add(e);
            }
        }
        return byUser;
    }

    /**
     * Merges the newly stored events (in arrival order) onto {@code bases}, which holds every user of the batch (a null
     * value: the user has no row). A changed state is at its base's revision plus one, a new row at
     * {@code firstRevision} (needed only when some base is null).
     */
    public static Merged merge(List<ConsentEvent> stored, Map<UserKey, ConsentState> bases, long firstRevision) {
        Map<UserKey, ConsentState> after = new LinkedHashMap<>();
        Map<UserKey, ConsentState> changed = new LinkedHashMap<>();
        byUser(stored).forEach((key, events) -> {
            ConsentState base = bases.get(key);
            ConsentState state = apply(base != null
                    ? base
                    : ConsentState.empty(events.get(0).userId(), events.get(0).userType()), events);
            if (state != base) {
                if (base == null && firstRevision <= 0) {
                    throw new IllegalArgumentException("a new row needs a first revision");
                }
                state = state.withRevision(base == null ? firstRevision : base.revision() + 1);
                changed.put(key, state);
            }
            after.put(key, state);
        });
        return new Merged(bases, after, changed);
    }

    /** One user's state after these events, in the order given; the same instance when none changed it. */
    public static ConsentState apply(ConsentState state, List<ConsentEvent> events) {
        for (ConsentEvent e : events) {
            state = ConsentMerge.apply(state, EventRules.facts(e));
        }
        return state;
    }
}
