package io.consentvault.core.decision;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the items of one event ({@code events[]}) become decisions, as API.md "How events become state" says: the value
 * is {@code value} when present, else {@code consent.given} and {@code preferences.click.agreetoall} mean true and
 * {@code consent.refused} and {@code preferences.click.disagreetoall} mean false; anything else decides nothing.
 * {@code legal_basis: legitimate_interest} sets the legitimate-interest flag, any other basis the consent flag.
 * Within one event a later item on the same purpose or vendor wins. Stateless and thread-safe.
 */
public final class ConsentRules {

    private ConsentRules() {
    }

    /** The decision on one purpose or vendor: each flag true, false, or null when this event says nothing. */
    public record Decision(Boolean enabled, Boolean enabledLi) {

        public Decision with(boolean legitimateInterest, boolean value) {
            return legitimateInterest ? new Decision(enabled, value) : new Decision(value, enabledLi);
        }
    }

    /** The decisions of one event, by purpose id and by vendor id, in the order they first appear. */
    public record Decisions(Map<String, Decision> purposes, Map<String, Decision> vendors) {
    }

    /** One item already read: what it decides ({@link #valueOf}), on which flag, of which purpose or vendor. */
    public interface Choice {
        Boolean decision();

        boolean legitimateInterest();

        String purpose();

        String vendor();
    }

    /** The decisions of items already read, by the same rules as {@link #of(JsonNode)}. */
    public static Decisions of(Iterable<? extends Choice> items) {
        Map<String, Decision> purposes = new LinkedHashMap<>();
        Map<String, Decision> vendors = new LinkedHashMap<>();
        for (Choice item : items) {
            Boolean value = item.decision();
            if (value == null) {
                continue;
            }
            boolean li = item.legitimateInterest();
            if (item.purpose() != null) {
                purposes.merge(item.purpose(), new Decision(null, null).with(li, value),
                        (old, n) -> old.with(li, value));
            }
            if (item.vendor() != null) {
                vendors.merge(item.vendor(), new Decision(null, null).with(li, value),
                        (old, n) -> old.with(li, value));
            }
        }
        return new Decisions(purposes, vendors);
    }

    public static Decisions of(JsonNode items) {
        Map<String, Decision> purposes = new LinkedHashMap<>();
        Map<String, Decision> vendors = new LinkedHashMap<>();
        if (items == null || !items.isArray()) {
            return new Decisions(purposes, vendors);
        }
        for (JsonNode item : items) {
            Boolean value = valueOf(item);
            if (value == null) {
                continue;
            }
            boolean li = "legitimate_interest".equals(item.path("legal_basis").asText(null));
            String purpose = item.path("purpose").isTextual() ? item.get("purpose").textValue() : null;
            String vendor = item.path("vendor").isTextual() ? item.get("vendor").textValue() : null;
            if (purpose != null) {
                purposes.merge(purpose, new Decision(null, null).with(li, value), (old, n) -> old.with(li, value));
            }
            if (vendor != null) {
                vendors.merge(vendor, new Decision(null, null).with(li, value), (old, n) -> old.with(li, value));
            }
        }
        return new Decisions(purposes, vendors);
    }

    /**
     * The decisions of a decoded consent string overlaid by the explicit items of the same event: an item's flag wins
     * over the string's flag for the same purpose or vendor.
     */
    public static Decisions overlay(Decisions fromString, Decisions fromItems) {
        if (fromString == null) {
            return fromItems;
        }
        return new Decisions(overlay(fromString.purposes(), fromItems.purposes()),
                overlay(fromString.vendors(), fromItems.vendors()));
    }

    /** The string's map itself when no item overlays it: a decoded string's hundreds of vendors are never copied. */
    private static Map<String, Decision> overlay(Map<String, Decision> fromString, Map<String, Decision> fromItems) {
        if (fromItems.isEmpty()) {
            return fromString;
        }
        Map<String, Decision> merged = new LinkedHashMap<>(fromString);
        fromItems.forEach((id, d) -> merged.merge(id, d, ConsentRules::over));
        return merged;
    }

    private static Decision over(Decision base, Decision top) {
        return new Decision(top.enabled() != null ? top.enabled() : base.enabled(),
                top.enabledLi() != null ? top.enabledLi() : base.enabledLi());
    }

    /** The value an item decides, or null for an item that decides nothing (such as {@code preference.shown}). */
    public static Boolean valueOf(JsonNode item) {
        JsonNode value = item.get("value");
        JsonNode action = item.get("action");
        return valueOf(value != null && value.isBoolean() ? value.booleanValue() : null,
                action != null && action.isTextual() ? action.textValue() : null);
    }

    /** The same, from an item's boolean {@code value} (or null) and its textual {@code action} (or null). */
    public static Boolean valueOf(Boolean value, String action) {
        if (value != null) {
            return value;
        }
        return switch (action == null ? "" : action) {
            case "consent.given", "preferences.click.agreetoall" -> Boolean.TRUE;
            case "consent.refused", "preferences.click.disagreetoall" -> Boolean.FALSE;
            default -> null;
        };
    }
}
