package io.consentvault.ingest.model;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.consentvault.platform.problem.FieldError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that {@link EventSchema} (the hand-written validator of the hot path) and a generic JSON Schema 2020-12
 * validator, reading the seed schema file itself with format assertions on, agree on thousands of generated payloads:
 * the same verdict, and the same fields named.
 */
class EventSchemaAgreementTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static JsonSchema reference;

    @BeforeAll
    static void loadSchema() throws Exception {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = EventSchema.class.getResourceAsStream("/consent-event.schema.json")) {
            reference = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    @Test
    void theBundledSchemaIsTheSeed() throws Exception {
        Path seed = Path.of("..", "shared", "seeds", "didomi-consent-event.schema.json");
        if (Files.exists(seed)) {
            try (InputStream bundled = EventSchema.class.getResourceAsStream("/consent-event.schema.json")) {
                assertEquals(Files.readString(seed).strip(), new String(bundled.readAllBytes()).strip());
            }
        }
        assertTrue(EventSchema.class.getResource("/consent-event.schema.json") != null);
    }

    @Test
    void handWrittenRulesAgreeWithTheSchemaOnGeneratedPayloads() {
        Random random = new Random(20261122L);
        int valid = 0;
        for (int i = 0; i < 5000; i++) {
            JsonNode event = randomEvent(random);
            Set<String> ours = EventSchema.validate(event).stream().map(FieldError::pointer)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> theirs = reference.validate(event).stream().map(EventSchemaAgreementTest::pointer)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(theirs, ours, "disagreement on " + event);
            if (ours.isEmpty()) {
                valid++;
            }
        }
        // the generator must exercise both verdicts
        assertTrue(valid > 500 && valid < 4500, "valid payloads generated: " + valid);
    }

    private static String pointer(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString(); // a JSON Pointer: "/events/0/action"
        return "required".equals(m.getType()) ? pointer + "/" + m.getProperty() : pointer;
    }

    private static final List<String> DATES = List.of("2026-11-01T10:00:00Z", "2026-11-01T10:00:00.123+02:00",
            "2026-11-01t10:00:00z", "2016-12-31T23:59:60Z", "2026-11-01", "2026-11-01T10:00:00", "2026-02-30T00:00:00Z",
            "2026-11-01T25:00:00Z", "not a date", "2026-11-01 10:00:00Z", "2026-11-01T10:00:00.Z");
    private static final List<String> URLS = List.of("https://a.example/p?q=1#f", "http://[::1]:8080/", "urn:x:y",
            "mailto:a@b.example", "/relative", "https://a.example/a b", "https://a.example/%zz", "no-scheme",
            "https://a.example/%C3%A9", "ftp://files.example/file.txt", "1http://bad.example/");
    private static final List<String> ACTIONS = List.of("consent.given", "consent.refused", "preference.shown",
            "preferences.click.agreetoall", "preferences.click.disagreetoall", "preferences.click.savechoices", "nope");
    private static final List<String> REGULATIONS = List.of("gdpr", "ccpa", "tcf", "gpp", "none", "GDPR", "lgpd");
    private static final List<String> BASES = List.of("consent", "legitimate_interest", "contract", "other");
    private static final List<String> SOURCES = List.of("web", "ios", "android", "amp", "api", "desktop");
    private static final List<String> USER_TYPES = List.of("didomi", "external", "internal");

    /** Half the payloads draw only from valid values, so both verdicts are well exercised. */
    private static boolean clean;

    private static JsonNode randomEvent(Random r) {
        clean = r.nextBoolean();
        if (!clean && r.nextInt(50) == 0) {
            return r.nextBoolean() ? F.arrayNode() : F.textNode("x");
        }
        ObjectNode e = F.objectNode();
        maybe(r, e, "id", () -> stringOr(r, "evt-" + r.nextInt()));
        maybe(r, e, "organization_id", () -> stringOr(r, "org"), clean ? 100 : 95);
        maybe(r, e, "notice_id", () -> stringOr(r, "n"));
        maybe(r, e, "consent_string", () -> stringOr(r, "CP..."));
        maybe(r, e, "regulation", () -> enumOr(r, REGULATIONS));
        maybe(r, e, "created_at", () -> enumOr(r, DATES));
        maybe(r, e, "updated_at", () -> enumOr(r, DATES));
        maybe(r, e, "user", () -> {
            if (!clean && r.nextInt(20) == 0) {
                return F.textNode("u");
            }
            ObjectNode u = F.objectNode();
            maybe(r, u, "id", () -> stringOr(r, "u-" + r.nextInt(100)));
            maybe(r, u, "type", () -> enumOr(r, USER_TYPES));
            maybe(r, u, "country", () -> stringOr(r, "FR"));
            maybe(r, u, "region", () -> stringOr(r, "FR-IDF"));
            return u;
        }, clean ? 100 : 95);
        maybe(r, e, "source", () -> {
            if (!clean && r.nextInt(20) == 0) {
                return F.numberNode(1);
            }
            ObjectNode s = F.objectNode();
            maybe(r, s, "type", () -> enumOr(r, SOURCES));
            maybe(r, s, "sdk_version", () -> stringOr(r, "1.2.3"));
            maybe(r, s, "url", () -> enumOr(r, URLS));
            return s;
        });
        maybe(r, e, "events", () -> {
            if (!clean && r.nextInt(20) == 0) {
                return F.objectNode();
            }
            ArrayNode items = F.arrayNode();
            for (int i = r.nextInt(4); i > 0; i--) {
                if (!clean && r.nextInt(30) == 0) {
                    items.add(F.textNode("item"));
                    continue;
                }
                ObjectNode item = F.objectNode();
                maybe(r, item, "action", () -> enumOr(r, ACTIONS), clean ? 100 : 93);
                maybe(r, item, "purpose", () -> stringOr(r, "p" + r.nextInt(5)));
                maybe(r, item, "vendor", () -> stringOr(r, "v" + r.nextInt(5)));
                maybe(r, item, "value",
                        () -> !clean && r.nextInt(15) == 0 ? F.textNode("true") : F.booleanNode(r.nextBoolean()));
                maybe(r, item, "legal_basis", () -> enumOr(r, BASES));
                items.add(item);
            }
            return items;
        }, clean ? 100 : 95);
        if (r.nextInt(10) == 0) {
            e.put("extra_" + r.nextInt(3), r.nextInt());
        }
        return e;
    }

    private static void maybe(Random r, ObjectNode o, String name, java.util.function.Supplier<JsonNode> value) {
        maybe(r, o, name, value, 60);
    }

    private static void maybe(Random r, ObjectNode o, String name, java.util.function.Supplier<JsonNode> value,
            int percent) {
        if (r.nextInt(100) < percent) {
            o.set(name, value.get());
        }
    }

    private static JsonNode stringOr(Random r, String s) {
        return switch (clean ? 9 : r.nextInt(25)) {
            case 0 -> F.numberNode(r.nextInt(100));
            case 1 -> F.nullNode();
            case 2 -> F.booleanNode(true);
            default -> F.textNode(s);
        };
    }

    private static JsonNode enumOr(Random r, List<String> values) {
        if (clean) {
            // the valid values come first in every list
            int validCount = values == URLS ? 4 : values == DATES ? 4 : values == ACTIONS ? 6 : values.size() - 2;
            return F.textNode(values.get(r.nextInt(validCount)));
        }
        return r.nextInt(25) == 0 ? F.numberNode(3) : F.textNode(values.get(r.nextInt(values.size())));
    }
}
