package io.consentvault.core.event;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentvault.core.decision.ConsentRules;

/**
 * One item of an event's {@code events[]}, as the vault records it: its fields as sent (a field of another type than
 * the schema's is absent) and what it decides ({@link ConsentRules#valueOf}).
 */
public record EventItem(String action, String purpose, String vendor, String legalBasis, Boolean value,
        Boolean decision) {

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

    private static String text(JsonNode item, String name) {
        JsonNode v = item.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
