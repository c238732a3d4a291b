package io.consentvault.core.event;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import io.consentvault.core.decision.ConsentRules;

/**
 * One item of an event's {@code events[]}, as the vault records it: its fields as sent (a field of another type than
 * the schema's is absent) and what it decides ({@link ConsentRules#valueOf}).
 */
public record EventItem(String action, String purpose, String vendor, String legalBasis, Boolean value,
        Boolean decision) implements ConsentRules.Choice {

    private static final JsonFactory JSON = new JsonFactory();

    /** Whether the item decides the legitimate-interest flag rather than the consent flag. */
    public boolean legitimateInterest() {
        return "legitimate_interest".equals(legalBasis);
    }

    /** What the item decides on: its purpose, else its vendor; null when it names neither. */
    public String target() {
        return purpose != null ? purpose : vendor;
    }

    /** The items of an event's {@code events[]}, in order; none when it is not an array. */
    public static List<EventItem> of(JsonNode items) {
        if (items == null || !items.isArray()) {
            return List.of();
        }
        List<EventItem> list = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            JsonNode value = item.get("value");
            list.add(new EventItem(text(item, "action"), text(item, "purpose"), text(item, "vendor"),
                    text(item, "legal_basis"), value != null && value.isBoolean() ? value.booleanValue() : null,
                    ConsentRules.valueOf(item)));
        }
        return List.copyOf(list);
    }

    /**
     * The items of a stored {@code events[]} JSON text, read as a stream (no tree is built): the same items as
     * {@link #of(JsonNode)} gives for that text.
     *
     * @throws IllegalStateException when the text is not JSON
     */
    public static List<EventItem> parse(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return List.of();
            }
            List<EventItem> list = new ArrayList<>(4);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    list.add(new EventItem(null, null, null, null, null, null));
                    continue;
                }
                String action = null, purpose = null, vendor = null, legalBasis = null;
                Boolean value = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    switch (name) {
                        case "action" -> action = text;
                        case "purpose" -> purpose = text;
                        case "vendor" -> vendor = text;
                        case "legal_basis" -> legalBasis = text;
                        case "value" -> value = v.isBoolean() ? v == JsonToken.VALUE_TRUE : null;
                        default -> {
                        }
                    }
                    p.skipChildren();
                }
                list.add(new EventItem(action, purpose, vendor, legalBasis, value,
                        ConsentRules.valueOf(value, action)));
            }
            return list;
        } catch (IOException e) {
            throw new IllegalStateException("stored items are not JSON", e);
        }
    }

    private static String text(JsonNode item, String name) {
        JsonNode v = item.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
