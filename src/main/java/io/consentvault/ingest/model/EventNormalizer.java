package io.consentvault.ingest.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.consentvault.core.decision.ConsentRules;
import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.EventItem;
import io.consentvault.core.event.EventRules;
import io.consentvault.core.event.Formats;
import io.consentvault.core.event.Uuid7;

/**
 * Turns a schema-valid event into the row to write: server id when the client gave none, receive time, event time,
 * idempotency key, proof fields. PostgreSQL text cannot hold U+0000, so that character is replaced by U+FFFD in the
 * indexed columns (the payload column keeps the original, where it is an escape). Stateless; event loop.
 */
public final class EventNormalizer {

    private EventNormalizer() {
    }

    /**
     * @param batchIndex the event's index in a batch, which an {@code Idempotency-Key} covers event by event (null for
     *        a single event)
     * @param fromString what the event's decoded consent string decides (explicit items win over it), or null
     */
    public static ConsentEvent normalize(JsonNode event, String payload, RequestContext request, Integer batchIndex,
            ConsentRules.Decisions fromString) {
        boolean clean = payload.contains("\\u0000");
        Instant receivedAt = request.receivedAt();
        String clientId = text(event, "id", clean);
        String id = clientId != null ? clientId : Uuid7.next(receivedAt.toEpochMilli());
        String dedupKey = dedupKey(clientId, request.idempotencyKey(), batchIndex);
        JsonNode user = event.get("user");
        String userId = text(user, "id", clean);
        JsonNode source = event.get("source");
        Instant createdAt = time(event, "created_at");
        JsonNode items = clean ? cleaned(event.get("events")) : event.get("events");
        return new ConsentEvent(
                text(event, "organization_id", clean),
                id,
                BoundedKey.of(id),
                dedupKey,
                receivedAt,
                createdAt,
                time(event, "updated_at"),
                EventRules.eventTime(createdAt, receivedAt),
                userId,
                BoundedKey.of(userId),
                text(user, "type", clean),
                text(user, "country", clean),
                text(user, "region", clean),
                text(event, "regulation", clean),
                text(event, "notice_id", clean),
                text(event, "consent_string", clean),
                text(source, "type", clean),
                text(source, "sdk_version", clean),
                text(source, "url", clean),
                items.toString(),
                request.clientIp(),
                request.userAgent(),
                request.idempotencyKey(),
                payload,
                EventRules.decisions(fromString, items),
                request.apiKeyId(),
                EventItem.of(items),
                request.seenCountry(),
                object(event, "metadata", clean),
                object(user, "metadata", clean));
    }

    /**
     * The key an event is claimed under in {@code event_keys} (indexed, so bounded whatever the client sends): its
     * client id, else the request's {@code Idempotency-Key}, per index in a batch. Each form has its own prefix, so a
     * single event's key {@code k#0} never meets a batch's key {@code k} at index 0.
     */
    static String dedupKey(String clientId, String idempotencyKey, Integer batchIndex) {
        if (clientId != null) {
            return "id:" + BoundedKey.of(clientId);
        }
        if (idempotencyKey == null) {
            return null;
        }
        return batchIndex == null ? "key:" + idempotencyKey : "batch:" + idempotencyKey + "#" + batchIndex;
    }

    private static String text(JsonNode parent, String name, boolean clean) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode value = parent.get(name);
        if (value == null || !value.isTextual()) {
            return null;
        }
        return clean ? BoundedKey.storable(value.textValue()) : value.textValue();
    }

    /** A member that is a JSON object, as JSON text; null when absent or not an object (the schema leaves it open). */
    private static String object(JsonNode parent, String name, boolean clean) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode value = parent.get(name);
        if (value == null || !value.isObject()) {
            return null;
        }
        return wellFormed((clean ? cleaned(value) : value).toString());
    }

    /**
     * The text with every unpaired surrogate (a {@code \\ud800} escape alone in the payload) replaced by U+FFFD: it
     * cannot be written as UTF-8, neither to PostgreSQL nor in an answer.
     */
    static String wellFormed(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static Instant time(JsonNode parent, String name) {
        JsonNode value = parent.get(name);
        return value == null || !value.isTextual() ? null : Formats.parseDateTime(value.textValue());
    }

    private static JsonNode cleaned(JsonNode node) {
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(BoundedKey.storable(node.textValue()));
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(child -> copy.add(cleaned(child)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> copy.set(BoundedKey.storable(e.getKey()), cleaned(e.getValue())));
            return copy;
        }
        return node;
    }
}
