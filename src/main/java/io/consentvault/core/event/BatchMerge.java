package io.consentvault.core.event;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.consentvault.core.decision.ConsentMerge;
import io.consentvault.core.decision.ConsentState;

/**
 * A batch of stored events folded into its users' states: grouped per user in key order (the order row locks are
 * taken in), each user's events applied in arrival order through {@link ConsentMerge}, every changed state given its
 * next revision, and what each item of each event did to its user's state ({@link ConsentMerge#change}), for the
 * vault. Pure: the caller reads the states it starts from and writes the result. Stateless.
 */
public final class BatchMerge {

    private BatchMerge() {
    }

    /**
     * A batch merged onto the states it started from: every user's state before (null: no row) and after, the states
     * that changed, to be published once the transaction commits, and per event the change of each of its items (by
     * identity; an event of no user has none).
     */
    public record Merged(Map<UserKey, ConsentState> before, Map<UserKey, ConsentState> after,
            Map<UserKey, ConsentState> changed, Map<ConsentEvent, Effect> effects) {

        /** The changed users whose first state this merge made: no row before, or a row no event had reached yet. */
        public Set<UserKey> created() {
            Set<UserKey> created = new HashSet<>();
            for (UserKey key : changed.keySet()) {
                ConsentState base = before.get(key);
                if (base == null || base.version() == 0) {
                    created.add(key);
                }
            }
            return created;
        }
    }

    /**
     * What one event did, stored with it: the change of each of its items (see {@link #changes}) and the user's
     * version once it was merged.
     */
    public record Effect(String[] changes, int version) {
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
        Map<ConsentEvent, Effect> effects = new IdentityHashMap<>();
        byUser(stored).forEach((key, events) -> {
            ConsentState base = bases.get(key);
            ConsentState state = base != null
                    ? base
                    : ConsentState.empty(events.get(0).userId(), events.get(0).userType());
            for (ConsentEvent e : events) {
                String[] changes = changes(state, e);
                state = ConsentMerge.apply(state, EventRules.facts(e));
                effects.put(e, new Effect(changes, state.version()));
            }
            if (state != base) {
                if (base == null && firstRevision <= 0) {
                    throw new IllegalArgumentException("a new row needs a first revision");
                }
                state = state.withRevision(base == null ? firstRevision : base.revision() + 1);
                changed.put(key, state);
            }
            after.put(key, state);
        });
        return new Merged(bases, after, changed, effects);
    }

    /**
     * What each item of {@code e} does to {@code state}: its change, or {@code superseded} when a later item of the
     * same event decides the same flag of the same purpose (or vendor), since the later one wins.
     */
    static String[] changes(ConsentState state, ConsentEvent e) {
        List<EventItem> items = e.eventItems();
        String[] out = new String[items.size()];
        ConsentState.Source source = new ConsentState.Source(e.eventTime(), e.receivedAt(), e.id());
        for (int i = 0; i < out.length; i++) {
            EventItem item = items.get(i);
            out[i] = overridden(items, i)
                    ? "superseded"
                    : ConsentMerge.change(state, source, item.purpose(), item.vendor(), item.legitimateInterest(),
                            item.decision());
        }
        return out;
    }

    private static boolean overridden(List<EventItem> items, int i) {
        EventItem item = items.get(i);
        if (item.decision() == null || item.target() == null) {
            return false;
        }
        for (int j = i + 1; j < items.size(); j++) {
            EventItem later = items.get(j);
            if (later.decision() != null && item.target().equals(later.target())
                    && item.legitimateInterest() == later.legitimateInterest()
                    && (item.purpose() != null) == (later.purpose() != null)) {
                return true;
            }
        }
        return false;
    }
}
