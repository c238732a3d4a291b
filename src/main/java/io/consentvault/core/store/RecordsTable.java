package io.consentvault.core.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The vault's records ({@code consent_records}, a view of the events, one row per item of their {@code events[]}: see
 * the migration): the fields a record shows ({@link #FIELDS}) and the record's opaque id ({@link #ID}, {@link #id},
 * {@link #parseId}), computed from the row, never stored, that leads straight to it. The facts only the write knows
 * are written with the event ({@link EventsTable#arrays}). Stateless.
 */
public final class RecordsTable {

    /**
     * The record's id as SQL over the row ({@code consent_record_id}, a function of the migration that computes what
     * {@link #id} does), comparing by code point like the other text columns.
     */
    public static final String ID = "(consent_record_id(created_at, received_at, event_index, event_key) COLLATE \"C\")";

    /** The record fields, in the order of the API and of {@link #FIELDS}'s columns. */
    public static final String FIELDS = ID + " AS id, " + """
            event_id, event_index, organization_id, user_id, organization_user_id, action, purpose, vendor,
            legal_basis, value, decision, change, regulation, notice_id, country, region, source_type, sdk_version,
            api_key_id, created_at, received_at""";

    private RecordsTable() {
    }

    /** Where a record's row is: its created_at (the index it is found by), its event's receive time and key, and the item's index. */
    public record RecordKey(Instant createdAt, Instant receivedAt, int eventIndex, String eventKey) {
    }

    /**
     * A record's id: its created_at and its event's receive time (microseconds since the epoch, 8 bytes each,
     * big-endian), the item's index (4 bytes) and the event key (UTF-8), URL-safe base64 without padding. The SQL
     * function {@code consent_record_id} of the migration ({@link #ID}) computes the same.
     */
    public static String id(Instant createdAt, Instant receivedAt, int index, String eventKey) {
        byte[] key = eventKey.getBytes(StandardCharsets.UTF_8);
        ByteBuffer raw = ByteBuffer.allocate(20 + key.length);
        raw.putLong(micros(createdAt)).putLong(micros(receivedAt)).putInt(index).put(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.array());
    }

    /** The row of a record id; null for a text that is not one. */
    public static RecordKey parseId(String id) {
        try {
            ByteBuffer raw = ByteBuffer.wrap(Base64.getUrlDecoder().decode(id));
            if (raw.remaining() <= 20) {
                return null;
            }
            Instant created = instant(raw.getLong());
            Instant received = instant(raw.getLong());
            int index = raw.getInt();
            String eventKey = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw).toString();
            if (index < 0 || eventKey.indexOf('\0') >= 0) {
                return null;
            }
            return new RecordKey(created, received, index, eventKey);
        } catch (RuntimeException | CharacterCodingException e) {
            return null;
        }
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
