package io.consentvault.support;

import java.util.UUID;

/** Payloads for tests. */
public final class Events {

    private Events() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A small valid event for one user. */
    public static String event(String org, String user) {
        return """
                {"organization_id": "%s", "user": {"id": "%s", "country": "FR"}, "regulation": "gdpr",
                 "events": [{"action": "consent.given", "purpose": "analytics"},
                            {"action": "consent.refused", "vendor": "755", "legal_basis": "legitimate_interest"}],
                 "source": {"type": "web", "sdk_version": "2.1.0", "url": "https://shop.example/checkout"},
                 "created_at": "2026-11-01T10:00:00Z"}
                """.formatted(org, user);
    }

    /** The same, with a client-supplied id. */
    public static String eventWithId(String org, String user, String id) {
        return event(org, user).replaceFirst("\\{", "{\"id\": \"" + id + "\", ");
    }
}
