package io.consentvault.core.store;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.decision.ConsentState.Decision;
import io.consentvault.core.decision.ConsentState.Flag;
import io.consentvault.core.decision.ConsentState.Source;

/**
 * The stored form of the decisions of a {@link ConsentState} (the {@code decisions} jsonb column). Sources are listed
 * once and referenced by index, because one event (a TCF string) often decides hundreds of vendors:
 * {@code {"s": [[event time µs, received µs, "event id"], ...], "p": {"id": [consent, src, li, src]}, "v": {...},
 * "c": ["FR", src], "t": ["CP...", src], "l": ["BE", src], "m": ["{\"tier\":\"gold\"}", src]}} (last seen country,
 * user metadata as JSON text).
 */
public final class StateCodec {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StateCodec() {
    }

    public static String encode(ConsentState state) {
        Map<Source, Integer> sources = new HashMap<>();
        List<Source> order = new ArrayList<>();
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("p");
            decisions(g, state.purposes(), sources, order);
            g.writeFieldName("v");
            decisions(g, state.vendors(), sources, order);
            flag(g, "c", state.country(), sources, order);
            flag(g, "t", state.tcfcs(), sources, order);
            flag(g, "l", state.lastSeenCountry(), sources, order);
            flag(g, "m", state.metadata(), sources, order);
            g.writeArrayFieldStart("s");
            for (Source s : order) {
                g.writeStartArray();
                g.writeNumber(micros(s.eventTime()));
                g.writeNumber(micros(s.receivedAt()));
                g.writeString(s.eventId());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static ConsentState decode(String userId, String userType, String json, Instant createdAt,
            Instant updatedAt, int version, long revision) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored state is not JSON", e);
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode s : root.path("s")) {
            sources.add(new Source(instant(s.get(0).longValue()), instant(s.get(1).longValue()), s.get(2).asText()));
        }
        return new ConsentState(userId, userType, decisions(root.path("p"), sources),
                decisions(root.path("v"), sources), textFlag(root.get("c"), sources),
                textFlag(root.get("t"), sources), textFlag(root.get("l"), sources), textFlag(root.get("m"), sources),
                createdAt, updatedAt, version, revision);
    }

    private static void decisions(JsonGenerator g, Map<String, Decision> decisions, Map<Source, Integer> sources,
            List<Source> order) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Decision> e : decisions.entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            boolFlag(g, e.getValue().consent(), sources, order);
            boolFlag(g, e.getValue().legitimateInterest(), sources, order);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void boolFlag(JsonGenerator g, Flag<Boolean> flag, Map<Source, Integer> sources,
            List<Source> order) throws IOException {
        if (!flag.known()) {
            g.writeNull();
            g.writeNumber(-1);
            return;
        }
        g.writeBoolean(flag.value());
        g.writeNumber(index(flag.source(), sources, order));
    }

    private static void flag(JsonGenerator g, String name, Flag<String> flag, Map<Source, Integer> sources,
            List<Source> order) throws IOException {
        if (!flag.known()) {
            return;
        }
        g.writeArrayFieldStart(name);
        g.writeString(flag.value());
        g.writeNumber(index(flag.source(), sources, order));
        g.writeEndArray();
    }

    private static int index(Source source, Map<Source, Integer> sources, List<Source> order) {
        return sources.computeIfAbsent(source, s -> {
            order.add(s);
            return order.size() - 1;
        });
    }

    private static Map<String, Decision> decisions(JsonNode node, List<Source> sources) {
        Map<String, Decision> map = new TreeMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            map.put(e.getKey(), new Decision(boolFlag(a.get(0), a.get(1), sources), boolFlag(a.get(2), a.get(3),
                    sources)));
        });
        return map;
    }

    private static Flag<Boolean> boolFlag(JsonNode value, JsonNode source, List<Source> sources) {
        return value.isNull() ? Flag.none() : new Flag<>(value.booleanValue(), sources.get(source.intValue()));
    }

    private static Flag<String> textFlag(JsonNode node, List<Source> sources) {
        return node == null ? Flag.none() : new Flag<>(node.get(0).asText(), sources.get(node.get(1).intValue()));
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
