package io.consentvault.core.event;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentRules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Items read as a stream give what the tree gives, item by item and decision by decision, whatever their shape. */
class EventItemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ACTIONS = {"consent.given", "consent.refused", "preference.shown",
            "preferences.click.agreetoall", "preferences.click.disagreetoall", "other"};
    private static final String[] VALUES = {"true", "false", "null", "1", "\"yes\"", "[true]", "{\"a\": true}"};

    @Test
    void aStreamReadsWhatTheTreeReads() throws Exception {
        Random random = new Random(20261127);
        for (int run = 0; run < 2_000; run++) {
            String text = items(random);
            JsonNode tree = JSON.readTree(text);
            List<EventItem> streamed = EventItem.parse(text);
            assertEquals(EventItem.of(tree), streamed, text);
            assertEquals(ConsentRules.of(tree), ConsentRules.of(streamed), text);
        }
    }

    @Test
    void notAnArrayIsNoItemsAndNotJsonIsAnError() {
        assertEquals(List.of(), EventItem.parse("{\"action\": \"consent.given\"}"));
        assertEquals(List.of(), EventItem.parse("[]"));
        assertThrows(IllegalStateException.class, () -> EventItem.parse("[{\"action\": "));
    }

    /** An {@code events[]} text: objects with the known fields in any order, of any type, repeated, among others. */
    private static String items(Random random) {
        StringBuilder s = new StringBuilder("[");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ", ");
            if (random.nextInt(12) == 0) {
                s.append(random.nextBoolean() ? "\"shown\"" : "[1, {\"action\": \"consent.given\"}]");
                continue;
            }
            s.append('{');
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                s.append(f == 0 ? "" : ", ");
                switch (random.nextInt(7)) {
                    case 0 -> s.append("\"action\": ").append(random.nextInt(6) == 0
                            ? VALUES[random.nextInt(VALUES.length)]
                            : "\"" + ACTIONS[random.nextInt(ACTIONS.length)] + "\"");
                    case 1 -> s.append("\"purpose\": ").append(random.nextInt(5) == 0
                            ? VALUES[random.nextInt(VALUES.length)]
                            : "\"p" + random.nextInt(3) + "\"");
                    case 2 -> s.append("\"vendor\": ").append(random.nextInt(5) == 0
                            ? VALUES[random.nextInt(VALUES.length)]
                            : "\"" + random.nextInt(3) + "\"");
                    case 3 -> s.append("\"legal_basis\": ").append(random.nextBoolean()
                            ? "\"legitimate_interest\""
                            : random.nextBoolean() ? "\"consent\"" : VALUES[random.nextInt(VALUES.length)]);
                    case 4 -> s.append("\"value\": ").append(VALUES[random.nextInt(VALUES.length)]);
                    case 5 -> s.append("\"note\": {\"action\": \"consent.refused\", \"nested\": [1, 2]}");
                    default -> s.append("\"purpose\": \"p\\u00e9\"");
                }
            }
            s.append('}');
        }
        return s.append(']').toString();
    }
}
