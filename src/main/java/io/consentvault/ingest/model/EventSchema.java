package io.consentvault.ingest.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentvault.core.event.Formats;
import io.consentvault.platform.problem.FieldError;

/**
 * The input contract of one consent event: the rules of {@code consent-event.schema.json} (a copy of the seed schema,
 * which stays the source of truth) with its formats, written out by hand because the hot path cannot afford a
 * generic validator ({@code EventSchemaAgreementTest} proves both agree). Unknown properties are allowed, as in the
 * schema. Stateless and thread-safe; called on the event loop.
 */
public final class EventSchema {

    public static final Set<String> USER_TYPES = Set.of("didomi", "external");
    public static final Set<String> REGULATIONS = Set.of("gdpr", "ccpa", "vcdpa", "ctdpa", "cpa", "utah", "cdpa", "tcf",
            "gpp", "chilean-law-25", "australian-privacy", "none");
    public static final Set<String> ACTIONS = Set.of("consent.given", "consent.refused", "preference.shown",
            "preferences.click.agreetoall", "preferences.click.disagreetoall", "preferences.click.savechoices");
    public static final Set<String> LEGAL_BASES = Set.of("consent", "legitimate_interest", "contract",
            "legal_obligation", "vital_interest", "public_interest");
    public static final Set<String> SOURCE_TYPES = Set.of("web", "ios", "android", "react-native", "flutter", "unity",
            "vega-os", "amp", "api");

    private EventSchema() {
    }

    /** Every violation of the schema in {@code event}, each with the JSON Pointer of the offending value. */
    public static List<FieldError> validate(JsonNode event) {
        List<FieldError> errors = new ArrayList<>(0);
        if (!event.isObject()) {
            errors.add(FieldError.at("", "must be a JSON object (one consent event)"));
            return errors;
        }
        requireField(event, "organization_id", errors);
        requireField(event, "user", errors);
        requireField(event, "events", errors);
        string(event, "id", "", errors);
        string(event, "organization_id", "", errors);
        string(event, "notice_id", "", errors);
        string(event, "consent_string", "", errors);
        enumeration(event, "regulation", "", REGULATIONS, errors);
        dateTime(event, "created_at", "", errors);
        dateTime(event, "updated_at", "", errors);

        JsonNode user = event.get("user");
        if (object(user, "/user", errors)) {
            string(user, "id", "/user", errors);
            enumeration(user, "type", "/user", USER_TYPES, errors);
            string(user, "country", "/user", errors);
            string(user, "region", "/user", errors);
        }

        JsonNode source = event.get("source");
        if (object(source, "/source", errors)) {
            enumeration(source, "type", "/source", SOURCE_TYPES, errors);
            string(source, "sdk_version", "/source", errors);
            JsonNode url = source.get("url");
            if (url != null) {
                if (!url.isTextual()) {
                    errors.add(FieldError.at("/source/url", "must be a string"));
                } else if (!Formats.isUri(url.textValue())) {
                    errors.add(FieldError.at("/source/url", "must be an absolute URI (RFC 3986)"));
                }
            }
        }

        JsonNode items = event.get("events");
        if (items != null) {
            if (!items.isArray()) {
                errors.add(FieldError.at("/events", "must be an array"));
            } else {
                int index = 0;
                for (Iterator<JsonNode> it = items.elements(); it.hasNext(); index++) {
                    item(it.next(), "/events/" + index, errors);
                }
            }
        }
        return errors;
    }

    private static void item(JsonNode item, String at, List<FieldError> errors) {
        if (!item.isObject()) {
            errors.add(FieldError.at(at, "must be an object"));
            return;
        }
        if (item.get("action") == null) {
            errors.add(FieldError.at(at + "/action", "is required"));
        }
        enumeration(item, "action", at, ACTIONS, errors);
        string(item, "purpose", at, errors);
        string(item, "vendor", at, errors);
        enumeration(item, "legal_basis", at, LEGAL_BASES, errors);
        JsonNode value = item.get("value");
        if (value != null && !value.isBoolean()) {
            errors.add(FieldError.at(at + "/value", "must be a boolean"));
        }
    }

    private static void requireField(JsonNode parent, String name, List<FieldError> errors) {
        if (parent.get(name) == null) {
            errors.add(FieldError.at("/" + name, "is required"));
        }
    }

    private static boolean object(JsonNode node, String at, List<FieldError> errors) {
        if (node == null) {
            return false;
        }
        if (!node.isObject()) {
            errors.add(FieldError.at(at, "must be an object"));
            return false;
        }
        return true;
    }

    private static void string(JsonNode parent, String name, String at, List<FieldError> errors) {
        JsonNode value = parent.get(name);
        if (value != null && !value.isTextual()) {
            errors.add(FieldError.at(at + "/" + name, "must be a string"));
        }
    }

    private static void enumeration(JsonNode parent, String name, String at, Set<String> allowed,
            List<FieldError> errors) {
        JsonNode value = parent.get(name);
        if (value == null) {
            return;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.at(at + "/" + name, "must be a string, one of " + sorted(allowed)));
        } else if (!allowed.contains(value.textValue())) {
            errors.add(FieldError.at(at + "/" + name, "must be one of " + sorted(allowed)));
        }
    }

    private static void dateTime(JsonNode parent, String name, String at, List<FieldError> errors) {
        JsonNode value = parent.get(name);
        if (value == null) {
            return;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.at(at + "/" + name, "must be a string"));
        } else if (Formats.parseDateTime(value.textValue()) == null) {
            errors.add(FieldError.at(at + "/" + name, "must be an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"));
        }
    }

    private static final Map<Set<String>, String> SORTED = new java.util.concurrent.ConcurrentHashMap<>();

    private static String sorted(Set<String> values) {
        return SORTED.computeIfAbsent(values, v -> String.join(", ", new java.util.TreeSet<>(v)));
    }
}
