package io.consentvault.core.store;

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
 * the record's opaque id ({@link #id}, {@link #parseId}), which leads straight to its row. Stateless.
 */
public final class RecordsTable {

    /** The written columns, in the order of {@link #INPUT}'s arrays. */
    public static final String WRITTEN = """
            organization_id, event_key, received_at, event_index, id, event_id, created_at, user_key, user_id,
            organization_user_id, action, purpose, vendor, legal_basis, value, decision, change, regulation,
            notice_id, country, region, source_type, sdk_version, api_key_id""";

    /** A batch of records as a relation, from the 24 arrays of {@link #arrays}. */
    public static final String INPUT = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::text[],
                   $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                   $14::text[], $15::bool[], $16::bool[], $17::text[], $18::text[], $19::text[], $20::text[],
                   $21::text[], $22::text[], $23::text[], $24::text[])""";

    /** The record fields, in the order of the API and of {@link #FIELDS}'s columns. */
    public static final String FIELDS = """
            id, event_id, event_index, organization_id, user_id, organization_user_id, action, purpose, vendor,
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
        String[] org = new String[n], eventKey = new String[n], id = new String[n], eventId = new String[n],
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
                id[r] = id(e.receivedAt(), i, e.eventKey());
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
        return Tuple.from(new Object[]{org, eventKey, received, index, id, eventId, created, userKey, userId,
                orgUserId, action, purpose, vendor, basis, value, decision, change, regulation, notice, country,
                region, sourceType, sdk, key});
    }

    /** Where a record's row is: its event's receive time and key, and the item's index. */
    public record RecordKey(Instant receivedAt, int eventIndex, String eventKey) {
    }

    /**
     * A record's id: its event's receive time (microseconds), the item's index and the event key, URL-safe base64. The
     * migration that filled the records of earlier events writes the same form.
     */
    public static String id(Instant receivedAt, int index, String eventKey) {
        long micros = Math.addExact(Math.multiplyExact(receivedAt.getEpochSecond(), 1_000_000L),
                receivedAt.getNano() / 1_000);
        String raw = micros + "." + index + "." + eventKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The row of a record id; null for a text that is not one. */
    public static RecordKey parseId(String id) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            int a = raw.indexOf('.');
            int b = raw.indexOf('.', a + 1);
            if (a <= 0 || b <= a + 1 || b == raw.length() - 1 || raw.indexOf('\0') >= 0) {
                return null;
            }
            long micros = Long.parseLong(raw.substring(0, a));
            int index = Integer.parseInt(raw.substring(a + 1, b));
            if (index < 0) {
                return null;
            }
            return new RecordKey(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), index, raw.substring(b + 1));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
