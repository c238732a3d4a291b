package io.consentvault.core.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentMerge.EventFacts;
import io.consentvault.core.store.StateCodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Each rule of {@link ConsentMerge} (and of {@link ConsentRules}, which reads an event's items), one test each. */
class ConsentMergeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    static EventFacts event(int second, int receivedSecond, String id, String items) {
        return event(second, receivedSecond, id, items, null, null);
    }

    static EventFacts event(int second, int receivedSecond, String id, String items, String country, String tcfcs) {
        return event(second, receivedSecond, id, items, country, tcfcs, null, null);
    }

    static EventFacts event(int second, int receivedSecond, String id, String items, String country, String tcfcs,
            String seenCountry, String userMetadata) {
        try {
            return new EventFacts(new ConsentState.Source(T0.plusSeconds(second), T0.plusSeconds(receivedSecond), id),
                    ConsentRules.of(JSON.readTree(items)), country, tcfcs, seenCountry, userMetadata);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theLatestConnectionCountryAndMetadataAreKeptWithoutCountingAsChanges() {
        String shown = "[{\"action\": \"preference.shown\"}]";
        String given = "[{\"action\": \"consent.given\", \"purpose\": \"ads\"}]";
        EventFacts[] events = {event(10, 10, "a", given, null, null, "FR", "{\"tier\":\"gold\"}"),
                event(5, 20, "late", given, null, null, "DE", "{\"tier\":\"old\"}"),
                event(30, 30, "b", given, null, null, "BE", null),
                event(40, 40, "banner", shown, null, null, "JP", "{\"tier\":\"shown\"}")};
        ConsentState s = apply(events);
        assertEquals("BE", s.lastSeenCountry().value(), "a banner shown changes no state");
        assertEquals("{\"tier\":\"gold\"}", s.metadata().value(), "a late event's metadata loses, none keeps it");
        assertEquals(1, s.version(), "only the first decision changed one");
        assertEquals(T0.plusSeconds(30), s.updatedAt());
        assertSame(s, ConsentMerge.apply(s, events[3]), "the banner alone changes nothing");
        // any order converges
        ConsentState reversed = apply(events[3], events[2], events[1], events[0]);
        assertEquals(s, reversed);
    }

    static ConsentState apply(EventFacts... events) {
        ConsentState state = ConsentState.empty("u", null);
        for (EventFacts e : events) {
            state = ConsentMerge.apply(state, e);
        }
        return state;
    }

    static Boolean purpose(ConsentState s, String id) {
        return s.purposes().getOrDefault(id, ConsentState.Decision.NONE).consent().value();
    }

    static Boolean purposeLi(ConsentState s, String id) {
        return s.purposes().getOrDefault(id, ConsentState.Decision.NONE).legitimateInterest().value();
    }

    static Boolean vendor(ConsentState s, String id) {
        return s.vendors().getOrDefault(id, ConsentState.Decision.NONE).consent().value();
    }

    @Test
    void consentGivenAndAgreeToAllMeanTrue() {
        ConsentState s = apply(event(1, 1, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"},"
                + "{\"action\":\"preferences.click.agreetoall\",\"purpose\":\"p2\"}]"));
        assertEquals(true, purpose(s, "p1"));
        assertEquals(true, purpose(s, "p2"));
    }

    @Test
    void consentRefusedAndDisagreeToAllMeanFalse() {
        ConsentState s = apply(event(1, 1, "a", "[{\"action\":\"consent.refused\",\"purpose\":\"p1\"},"
                + "{\"action\":\"preferences.click.disagreetoall\",\"purpose\":\"p2\"}]"));
        assertEquals(false, purpose(s, "p1"));
        assertEquals(false, purpose(s, "p2"));
    }

    @Test
    void anExplicitValueWinsOverTheAction() {
        ConsentState s = apply(event(1, 1, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\",\"value\":false},"
                + "{\"action\":\"preferences.click.savechoices\",\"purpose\":\"p2\",\"value\":true}]"));
        assertEquals(false, purpose(s, "p1"));
        assertEquals(true, purpose(s, "p2"));
    }

    @Test
    void saveChoicesWithoutAValueDecidesNothing() {
        ConsentState s = apply(event(1, 1, "a", "[{\"action\":\"preferences.click.savechoices\",\"purpose\":\"p1\"}]"));
        assertNull(purpose(s, "p1"));
        assertEquals(0, s.version());
    }

    @Test
    void preferenceShownNeverChangesState() {
        ConsentState before = apply(event(1, 1, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]"));
        ConsentState after = ConsentMerge.apply(before,
                event(5, 5, "b", "[{\"action\":\"preference.shown\",\"purpose\":\"p1\",\"vendor\":\"v\"}]"));
        assertSame(before, after);
    }

    @Test
    void legitimateInterestSetsOnlyEnabledLi() {
        ConsentState s = apply(event(1, 1, "a",
                "[{\"action\":\"consent.refused\",\"purpose\":\"p1\",\"legal_basis\":\"legitimate_interest\"}]"));
        assertEquals(false, purposeLi(s, "p1"));
        assertNull(purpose(s, "p1"));
    }

    @Test
    void anyOtherLegalBasisSetsEnabled() {
        ConsentState s = apply(event(1, 1, "a",
                "[{\"action\":\"consent.given\",\"purpose\":\"p1\",\"legal_basis\":\"contract\"}]"));
        assertEquals(true, purpose(s, "p1"));
        assertNull(purposeLi(s, "p1"));
    }

    @Test
    void theTwoFlagsOfAPurposeAreMergedSeparately() {
        ConsentState s = apply(
                event(5, 5, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]"),
                event(1, 6, "b", "[{\"action\":\"consent.refused\",\"purpose\":\"p1\","
                        + "\"legal_basis\":\"legitimate_interest\"}]"));
        assertEquals(true, purpose(s, "p1"));
        assertEquals(false, purposeLi(s, "p1"));
    }

    @Test
    void theLatestEventTimeWinsWhateverTheArrivalOrder() {
        EventFacts older = event(1, 10, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]");
        EventFacts newer = event(2, 5, "b", "[{\"action\":\"consent.refused\",\"purpose\":\"p1\"}]");
        assertEquals(false, purpose(apply(older, newer), "p1"));
        assertEquals(false, purpose(apply(newer, older), "p1"));
    }

    @Test
    void aTieOfEventTimeGoesToTheOneReceivedLast() {
        EventFacts first = event(1, 5, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]");
        EventFacts last = event(1, 6, "b", "[{\"action\":\"consent.refused\",\"purpose\":\"p1\"}]");
        assertEquals(false, purpose(apply(first, last), "p1"));
        assertEquals(false, purpose(apply(last, first), "p1"));
    }

    @Test
    void vendorsFollowTheSameRules() {
        ConsentState s = apply(
                event(2, 2, "a", "[{\"action\":\"consent.given\",\"vendor\":\"755\"}]"),
                event(1, 3, "b", "[{\"action\":\"consent.refused\",\"vendor\":\"755\"},"
                        + "{\"action\":\"consent.refused\",\"vendor\":\"1\",\"legal_basis\":\"legitimate_interest\"}]"));
        assertEquals(true, vendor(s, "755"));
        assertEquals(false, s.vendors().get("1").legitimateInterest().value());
    }

    @Test
    void anItemWithPurposeAndVendorDecidesBoth() {
        ConsentState s = apply(event(1, 1, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p\",\"vendor\":\"v\"}]"));
        assertEquals(true, purpose(s, "p"));
        assertEquals(true, vendor(s, "v"));
    }

    @Test
    void theCountryIsTheLatestGiven() {
        ConsentState s = apply(event(5, 5, "a", "[]", "FR", null), event(1, 6, "b", "[]", "DE", null),
                event(6, 7, "c", "[]", null, null));
        assertEquals("FR", s.country().value());
    }

    @Test
    void tcfcsIsTheLatestTcfString() {
        ConsentState s = apply(event(5, 5, "a", "[]", null, "CPnew"), event(1, 6, "b", "[]", null, "CPold"));
        assertEquals("CPnew", s.tcfcs().value());
    }

    @Test
    void versionCountsTheEventsThatChangedSomething() {
        ConsentState s = apply(
                event(1, 1, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]"),
                event(2, 2, "b", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]"), // same value
                event(3, 3, "c", "[{\"action\":\"preference.shown\"}]"),
                event(4, 4, "d", "[{\"action\":\"consent.refused\",\"purpose\":\"p1\"}]"),
                event(0, 5, "e", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]")); // too old
        assertEquals(2, s.version());
        assertEquals(false, purpose(s, "p1"));
    }

    @Test
    void aReplayedEventChangesNothing() {
        EventFacts e = event(1, 1, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]", "FR", null);
        ConsentState once = apply(e);
        assertSame(once, ConsentMerge.apply(once, e));
    }

    @Test
    void createdAndUpdatedAreTheEarliestEventAndTheLatestDecision() {
        ConsentState s = apply(event(5, 5, "a", "[{\"action\":\"consent.given\",\"purpose\":\"p1\"}]"),
                event(1, 6, "b", "[{\"action\":\"preference.shown\"}]"));
        assertEquals(T0.plusSeconds(1), s.createdAt());
        assertEquals(T0.plusSeconds(5), s.updatedAt());
    }

    @Test
    void anyOrderAndAnyDuplicatesGiveTheSameDecisions() {
        Random random = new Random(42);
        String[] actions = {"consent.given", "consent.refused", "preference.shown", "preferences.click.agreetoall",
                "preferences.click.disagreetoall", "preferences.click.savechoices"};
        for (int round = 0; round < 300; round++) {
            List<EventFacts> events = new ArrayList<>();
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                StringBuilder items = new StringBuilder("[");
                for (int j = random.nextInt(4); j >= 0; j--) {
                    items.append(j == 0 && items.length() == 1 ? "" : items.length() > 1 ? "," : "")
                            .append("{\"action\":\"").append(actions[random.nextInt(actions.length)]).append('"')
                            .append(random.nextBoolean() ? ",\"purpose\":\"p" + random.nextInt(3) + '"' : "")
                            .append(random.nextBoolean() ? ",\"vendor\":\"" + random.nextInt(3) + '"' : "")
                            .append(random.nextInt(4) == 0 ? ",\"value\":" + random.nextBoolean() : "")
                            .append(random.nextInt(3) == 0 ? ",\"legal_basis\":\"legitimate_interest\"" : "")
                            .append('}');
                }
                items.append(']');
                // distinct event times, some received out of order, some sharing a time (ties broken by receipt)
                events.add(event(random.nextInt(20), 100 + i, "e" + i, items.toString(),
                        random.nextBoolean() ? "C" + random.nextInt(3) : null, null));
            }
            String expected = decisions(apply(events.toArray(EventFacts[]::new)));
            for (int shuffle = 0; shuffle < 10; shuffle++) {
                List<EventFacts> delivered = new ArrayList<>(events);
                for (int d = random.nextInt(4); d > 0; d--) {
                    delivered.add(events.get(random.nextInt(events.size())));
                }
                Collections.shuffle(delivered, random);
                assertEquals(expected, decisions(apply(delivered.toArray(EventFacts[]::new))),
                        "round " + round + " delivery " + delivered);
            }
        }
    }

    /** Everything of a state but the version (which counts changes, and so depends on the order of delivery). */
    static String decisions(ConsentState s) {
        return StateCodec.encode(s) + s.createdAt() + s.updatedAt();
    }
}
