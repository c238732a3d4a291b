package io.consentvault.core.decision;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.consentvault.core.decision.ConsentState.Decision;
import io.consentvault.core.decision.ConsentState.Flag;
import io.consentvault.core.decision.ConsentState.Source;

/**
 * The merge rules of API.md "How events become state", in one place. For each purpose and each vendor, and for each
 * of its two flags (consent, legitimate interest) separately, the decision with the latest event time wins; a tie goes
 * to the one received last (then to the larger event id, so that exact ties still converge). The user's country is
 * the latest given one, and {@code tcfcs} the latest TCF string, by the same order; so are the country of the
 * connection ({@code last_seen_country}) and the user's {@code metadata} of the events that decide something (a banner
 * shown changes no state), which are not decisions themselves: they change neither {@code version} nor
 * {@code updated_at}. An event that decides nothing
 * ({@code preference.shown}) or repeats what is known changes nothing, and {@code version} counts the events that did
 * change something. Because every value keeps its source, applying the same events in any order, with any duplicates,
 * gives the same decisions. Stateless and thread-safe.
 */
public final class ConsentMerge {

    private ConsentMerge() {
    }

    /** What one event says, already reduced to decisions by {@link ConsentRules}. */
    public record EventFacts(Source source, ConsentRules.Decisions decisions, String country, String tcfcs,
            String seenCountry, String userMetadata) {
    }

    /**
     * What a decision from {@code source} on a purpose (or, without one, a vendor) does to {@code state}, for the
     * vault: {@code superseded} when the flag already holds a decision from a later event (no effect), else
     * {@code granted} (true, from false or unknown), {@code renewed} (true again), {@code withdrawn} (false, from true)
     * or {@code refused} (false, from false or unknown); null for no decision.
     */
    public static String change(ConsentState state, Source source, String purpose, String vendor,
            boolean legitimateInterest, Boolean decision) {
        if (decision == null || (purpose == null && vendor == null)) {
            return null;
        }
        Decision held = (purpose != null ? state.purposes().get(purpose) : state.vendors().get(vendor));
        Flag<Boolean> flag = held == null
                ? Flag.none()
                : legitimateInterest ? held.legitimateInterest() : held.consent();
        if (flag.known() && source.compareTo(flag.source()) < 0) {
            return "superseded";
        }
        boolean wasTrue = Boolean.TRUE.equals(flag.value());
        return decision ? (wasTrue ? "renewed" : "granted") : (wasTrue ? "withdrawn" : "refused");
    }

    /** The state after {@code event}; the same instance when nothing changed. */
    public static ConsentState apply(ConsentState state, EventFacts event) {
        Source source = event.source();
        boolean changed = false;
        Map<String, Decision> purposes = state.purposes();
        Map<String, Decision> vendors = state.vendors();
        if (!event.decisions().purposes().isEmpty()) {
            Map<String, Decision> merged = new TreeMap<>(purposes);
            changed |= mergeAll(merged, event.decisions().purposes(), source);
            purposes = merged;
        }
        if (!event.decisions().vendors().isEmpty()) {
            Map<String, Decision> merged = new TreeMap<>(vendors);
            changed |= mergeAll(merged, event.decisions().vendors(), source);
            vendors = merged;
        }
        Flag<String> country = state.country();
        if (event.country() != null) {
            Flag<String> next = merge(country, event.country(), source);
            changed |= !java.util.Objects.equals(next.value(), country.value());
            country = next;
        }
        Flag<String> tcfcs = state.tcfcs();
        if (event.tcfcs() != null) {
            Flag<String> next = merge(tcfcs, event.tcfcs(), source);
            changed |= !java.util.Objects.equals(next.value(), tcfcs.value());
            tcfcs = next;
        }
        boolean decides = !event.decisions().purposes().isEmpty() || !event.decisions().vendors().isEmpty();
        Flag<String> seen = !decides || event.seenCountry() == null
                ? state.lastSeenCountry()
                : merge(state.lastSeenCountry(), event.seenCountry(), source);
        Flag<String> metadata = !decides || event.userMetadata() == null
                ? state.metadata()
                : merge(state.metadata(), event.userMetadata(), source);
        Instant createdAt = state.createdAt() == null || source.eventTime().isBefore(state.createdAt())
                ? source.eventTime()
                : state.createdAt();
        ConsentState next = new ConsentState(state.userId(), state.userType(), purposes, vendors, country, tcfcs, seen,
                metadata, createdAt, latest(purposes, vendors, country, tcfcs), state.version() + (changed ? 1 : 0),
                state.revision());
        return next.equals(state) ? state : next;
    }

    private static boolean mergeAll(Map<String, Decision> target, Map<String, ConsentRules.Decision> decisions,
            Source source) {
        boolean changed = false;
        for (Map.Entry<String, ConsentRules.Decision> e : decisions.entrySet()) {
            Decision old = target.getOrDefault(e.getKey(), Decision.NONE);
            Flag<Boolean> consent = e.getValue().enabled() == null
                    ? old.consent()
                    : merge(old.consent(), e.getValue().enabled(), source);
            Flag<Boolean> li = e.getValue().enabledLi() == null
                    ? old.legitimateInterest()
                    : merge(old.legitimateInterest(), e.getValue().enabledLi(), source);
            changed |= !java.util.Objects.equals(consent.value(), old.consent().value())
                    || !java.util.Objects.equals(li.value(), old.legitimateInterest().value());
            target.put(e.getKey(), new Decision(consent, li));
        }
        return changed;
    }

    /** The newer of the known flag and the event's value. */
    static <T> Flag<T> merge(Flag<T> known, T value, Source source) {
        if (!known.known() || source.compareTo(known.source()) > 0) {
            return new Flag<>(value, source);
        }
        return known;
    }

    private static Instant latest(Map<String, Decision> purposes, Map<String, Decision> vendors, Flag<String> country,
            Flag<String> tcfcs) {
        Instant latest = null;
        for (Decision d : purposes.values()) {
            latest = max(latest, d.updatedAt());
        }
        for (Decision d : vendors.values()) {
            latest = max(latest, d.updatedAt());
        }
        latest = max(latest, country.known() ? country.source().eventTime() : null);
        return max(latest, tcfcs.known() ? tcfcs.source().eventTime() : null);
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
