package io.consentvault.core.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.EventItem;
import io.consentvault.core.layout.ExportLayout;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code consent_records} table's columns and row mapping, in one place: the vault's records, one per item of a
 * stored event's {@code events[]}, how a batch becomes the arrays of one insert ({@link #INPUT}, {@link #arrays}), and
 * the record's opaque id ({@link #ID}, {@link #id}, {@link #parseId}): computed from the row, never stored, it leads
 * straight to the row. Stateless.
 */
public final class RecordsTable {

    /** The written columns, in the order of {@link #INPUT}'s arrays. */
    public static final String WRITTEN = """
            organization_id, event_key, received_at, event_index, event_id, created_at, user_key, user_id,
            organization_user_id, action, purpose, vendor, legal_basis, value, decision, change, regulation,
            notice_id, country, region, source_type, sdk_version, api_key_id""";

    /** A batch of records as a relation, from the 23 arrays of {@link #arrays}. */
    public static final String INPUT = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::timestamptz[],
                   $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                   $14::bool[], $15::bool[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[],
                   $21::text[], $22::text[], $23::text[])""";

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

    /** The number of records these events make. */
    public static int count(List<ConsentEvent> events) {
        int n = 0;
        for (ConsentEvent e : events) {
            n += e.eventItems().size();
        }
        return n;
    }

    /**
     * The arrays of {@link #INPUT}: one row per item of each event, with the change of each item ({@code changes}, by
     * event identity; an event without one records none).
     */
    public static Tuple arrays(List<ConsentEvent> events, Map<ConsentEvent, String[]> changes) {
        int n = count(events);
        String[] org = new String[n], eventKey = new String[n], eventId = new String[n],
                userKey = new String[n], userId = new String[n], orgUserId = new String[n], action = new String[n],
                purpose = new String[n], vendor = new String[n], basis = new String[n], change = new String[n],
                regulation = new String[n], notice = new String[n], country = new String[n], region = new String[n],
                sourceType = new String[n], sdk = new String[n], key = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n], created = new OffsetDateTime[n];
        Integer[] index = new Integer[n];
        Boolean[] value = new Boolean[n], decision = new Boolean[n];
        int r = 0;
        for (ConsentEvent e : events) {
            List<EventItem> items = e.eventItems();
            String[] itemChanges = changes.get(e);
            OffsetDateTime receivedAt = EventsTable.utc(e.receivedAt());
            OffsetDateTime createdAt = EventsTable.utc(e.eventTime());
            String organizationUserId = ExportLayout.organizationUserId(e.userType(), e.userId());
            for (int i = 0; i < items.size(); i++, r++) {
                EventItem item = items.get(i);
                org[r] = e.organizationId();
                eventKey[r] = e.eventKey();
                received[r] = receivedAt;
                index[r] = i;
                eventId[r] = e.id();
                created[r] = createdAt;
                userKey[r] = e.userKey();
                userId[r] = e.userId();
                orgUserId[r] = organizationUserId;
                action[r] = item.action();
                purpose[r] = item.purpose();
                vendor[r] = item.vendor();
                basis[r] = item.legalBasis();
                value[r] = item.value();
                decision[r] = item.decision();
                change[r] = itemChanges == null ? null : itemChanges[i];
                regulation[r] = e.regulation();
                notice[r] = e.noticeId();
                country[r] = e.country();
                region[r] = e.region();
                sourceType[r] = e.sourceType();
                sdk[r] = e.sdkVersion();
                key[r] = e.apiKeyId();
            }
        }
        return Tuple.from(new Object[]{org, eventKey, received, index, eventId, created, userKey, userId,
                orgUserId, action, purpose, vendor, basis, value, decision, change, regulation, notice, country,
                region, sourceType, sdk, key});
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
