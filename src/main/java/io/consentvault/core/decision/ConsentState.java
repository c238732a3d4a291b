package io.consentvault.core.decision;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest consent of one user, with what {@link ConsentMerge} needs to merge in any order: every flag remembers the
 * event that set it. Immutable; {@link ConsentMerge} builds new instances.
 *
 * @param purposes by purpose id, sorted
 * @param vendors by vendor id, sorted
 * @param createdAt the earliest event time seen for the user
 * @param lastSeenCountry the country of the connection of the latest event that had one known (not a decision: it
 *        changes neither {@code version} nor {@code updatedAt})
 * @param metadata the latest {@code user.metadata} object given, as JSON text (not a decision either)
 * @param updatedAt the latest time of any decision the state holds
 * @param version how many events changed the state
 * @param revision the stored row's revision, which every write that changes the row bumps (a change of a value's
 *        source or time too, which leaves {@code version} alone); set by the writer, not by {@link ConsentMerge}; 0
 *        for a state never stored, and for a row stored before rows had revisions
 */
public record ConsentState(String userId, String userType, Map<String, Decision> purposes,
        Map<String, Decision> vendors, Flag<String> country, Flag<String> tcfcs, Flag<String> lastSeenCountry,
        Flag<String> metadata, Instant createdAt,
        Instant updatedAt, int version, long revision) {

    public static ConsentState empty(String userId, String userType) {
        return new ConsentState(userId, userType, new TreeMap<>(), new TreeMap<>(), Flag.none(), Flag.none(),
                Flag.none(),
                Flag.none(), null, null, 0, 0);
    }

    /** The same state, as stored at {@code revision}. */
    public ConsentState withRevision(long revision) {
        return new ConsentState(userId, userType, purposes, vendors, country, tcfcs, lastSeenCountry, metadata,
                createdAt, updatedAt, version, revision);
    }

    /** Where a value came from, in the order that decides which value wins. */
    public record Source(Instant eventTime, Instant receivedAt, String eventId) implements Comparable<Source> {
        @Override
        public int compareTo(Source other) {
            int c = eventTime.compareTo(other.eventTime);
            if (c == 0) {
                c = receivedAt.compareTo(other.receivedAt);
            }
            return c != 0 ? c : eventId.compareTo(other.eventId);
        }
    }

    /** A value and the event it came from; {@code value == null} means none is known. */
    public record Flag<T>(T value, Source source) {
        private static final Flag<?> NONE = new Flag<>(null, null);

        @SuppressWarnings("unchecked")
        public static <T> Flag<T> none() {
            return (Flag<T>) NONE;
        }

        public boolean known() {
            return source != null;
        }
    }

    /** The two flags of a purpose or vendor: by consent, and by legitimate interest. */
    public record Decision(Flag<Boolean> consent, Flag<Boolean> legitimateInterest) {
        public static final Decision NONE = new Decision(Flag.none(), Flag.none());

        public Instant updatedAt() {
            Instant a = consent.known() ? consent.source().eventTime() : null;
            Instant b = legitimateInterest.known() ? legitimateInterest.source().eventTime() : null;
            return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
        }
    }
}
