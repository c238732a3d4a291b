package io.consentvault.state.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.consentvault.state.model.ConsentState;
import io.consentvault.state.model.ConsentState.Decision;

/**
 * The {@code user} object of the batch export, written straight to bytes: {@code id}, {@code organization_id},
 * {@code organization_user_id}, {@code country}, {@code last_seen_country}, {@code created_at}, {@code updated_at},
 * {@code version}, {@code metadata} and {@code consents} ({@code purposes}, {@code vendors}, {@code tcfcs}). The one
 * place that knows that layout.
 */
public final class UserJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private UserJson() {
    }

    /** A cache entry for this state; its bytes are written when first read. */
    public static CachedUser cached(String organizationId, ConsentState state) {
        return new CachedUser(organizationId, state);
    }

    /** The ETag of an answer: its checksum, length and the state's version. */
    static String etag(byte[] json, ConsentState state) {
        CRC32C crc = new CRC32C();
        crc.update(json);
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(json.length) + "-v"
                + state.version() + "\"";
    }

    public static byte[] write(String organizationId, ConsentState s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, organizationId, s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static void write(JsonGenerator g, String organizationId, ConsentState s) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.userId());
        g.writeStringField("organization_id", organizationId);
        g.writeStringField("organization_user_id", "didomi".equals(s.userType()) ? null : s.userId());
        g.writeStringField("country", s.country().value());
        g.writeNullField("last_seen_country");
        time(g, "created_at", s.createdAt());
        time(g, "updated_at", s.updatedAt() != null ? s.updatedAt() : s.createdAt());
        g.writeNumberField("version", s.version());
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        g.writeObjectFieldStart("consents");
        g.writeArrayFieldStart("purposes");
        for (Map.Entry<String, Decision> p : s.purposes().entrySet()) {
            g.writeStartObject();
            g.writeStringField("id", p.getKey());
            bool(g, "enabled", p.getValue().consent().value());
            bool(g, "enabled_li", p.getValue().legitimateInterest().value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("vendors");
        vendors(g, "enabled", s, true, false);
        vendors(g, "disabled", s, false, false);
        vendors(g, "enabled_li", s, true, true);
        vendors(g, "disabled_li", s, false, true);
        g.writeEndObject();
        g.writeStringField("tcfcs", s.tcfcs().value());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void vendors(JsonGenerator g, String name, ConsentState s, boolean value, boolean li)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (Map.Entry<String, Decision> v : s.vendors().entrySet()) {
            Boolean flag = li ? v.getValue().legitimateInterest().value() : v.getValue().consent().value();
            if (flag != null && flag == value) {
                g.writeString(v.getKey());
            }
        }
        g.writeEndArray();
    }

    private static void bool(JsonGenerator g, String name, Boolean value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeBooleanField(name, value);
        }
    }

    static void time(JsonGenerator g, String name, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, t.toString());
        }
    }
}
