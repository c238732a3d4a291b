package io.consentvault.state.repository;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.UserKey;
import io.consentvault.platform.notify.PgNotifications;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The announcements of changed users: every user with its revision, in payloads NOTIFY accepts. */
class StateChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyUserIsAnnouncedWithItsRevisionInPayloadsUnder8000Bytes() throws Exception {
        StateChanges changes = new StateChanges(new PgNotifications(null, "", "", ""), new SimpleMeterRegistry());
        Map<UserKey, ConsentState> changed = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            // user ids of 128 characters that take three bytes each, and one that JSON escapes to six
            String user = String.valueOf(i) + "\u0001" + "\u4e2d".repeat(128 - 1 - String.valueOf(i).length());
            changed.put(new UserKey("org-\u00e9t\u00e9", user),
                    ConsentState.empty(user, null).withRevision(Long.MAX_VALUE - i));
        }

        Map<UserKey, Long> announced = new LinkedHashMap<>();
        for (String message : changes.messages(changed)) {
            assertTrue(message.getBytes(StandardCharsets.UTF_8).length < 8000,
                    message.getBytes(StandardCharsets.UTF_8).length + " bytes");
            for (JsonNode k : JSON.readTree(message).path("k")) {
                announced.put(new UserKey(k.get(0).asText(), k.get(1).asText()), k.get(2).asLong());
            }
        }
        Map<UserKey, Long> expected = new LinkedHashMap<>();
        changed.forEach((k, s) -> expected.put(k, s.revision()));
        assertEquals(expected, announced);
    }
}
