package io.consentvault.core.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.EventItem;
import io.consentvault.core.event.StoredEvent;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code events} table's columns and row mapping, in one place: how a batch of {@link ConsentEvent}s becomes the
 * arrays of one insert ({@link #INPUT}, {@link #arrays}), and how a row is read back ({@link #COLUMNS},
 * {@link #read}). Statements that write or read events build on these. Stateless.
 */
public final class EventsTable {

    /**
     * A batch as a relation {@code i}, from the 30 arrays of {@link #arrays} (one plan for every batch size): every
     * written column, the item arrays as array literals ({@code item_decisions}, {@code item_changes}: an array per
     * event does not fit in one array parameter).
     */
    public static final String INPUT = """
            unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[],
                   $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                   $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
                   $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::int[],
                   $28::text[], $29::text[], $30::text[])
              AS i(organization_id, id, event_key, received_at, created_at, updated_at, event_time,
                   user_id, user_key, user_type, country, region, regulation, notice_id, consent_string,
                   source_type, sdk_version, source_url, items, client_ip, user_agent, idempotency_key, payload,
                   api_key_id, item_decisions, item_changes, user_version, seen_country, metadata, user_metadata)
            """;

    /** The written columns, in the order of {@link #VALUES}. */
    public static final String WRITTEN = """
            organization_id, event_key, received_at, id, user_key, user_id, user_type, created_at, updated_at,
            event_time, country, region, regulation, notice_id, consent_string, source_type, sdk_version, source_url,
            items, client_ip, user_agent, idempotency_key, payload, api_key_id, item_decisions, item_changes,
            user_version, seen_country, metadata, user_metadata""";

    /** The values of {@link #WRITTEN} from a row {@code i} of {@link #INPUT}. */
    public static final String VALUES = """
            i.organization_id, i.event_key, i.received_at, i.id, i.user_key, i.user_id, i.user_type, i.created_at,
            i.updated_at, i.event_time, i.country, i.region, i.regulation, i.notice_id, i.consent_string,
            i.source_type, i.sdk_version, i.source_url, i.items::jsonb, i.client_ip, i.user_agent,
            i.idempotency_key, i.payload, i.api_key_id, i.item_decisions::boolean[], i.item_changes::text[],
            i.user_version, i.seen_country, i.metadata, i.user_metadata""";

    /** The columns {@link #read} maps, in its order. */
    public static final String COLUMNS = """
            organization_id, id, received_at, created_at, updated_at, event_time, user_id, user_type, country,
            region, regulation, notice_id, consent_string, source_type, sdk_version, source_url, items::text,
            client_ip, user_agent, payload, event_key, user_version, seen_country, metadata, user_metadata""";

    /** {@link #COLUMNS} without the payload (read as null), for reads that replay decisions and never show it. */
    public static final String COLUMNS_WITHOUT_PAYLOAD = COLUMNS.replace("payload,", "NULL::text AS payload,");

    private EventsTable() {
    }

    /**
     * The arrays of {@link #INPUT} for these events, in their order, with what each did to its user's state
     * ({@code effects}, by event identity: each item's change and the user's version after it; an event without an
     * entry records neither).
     */
    public static Tuple arrays(List<ConsentEvent> rows, Map<ConsentEvent, BatchMerge.Effect> effects) {
        int n = rows.size();
        String[] org = new String[n], id = new String[n], eventKey = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n], created = new OffsetDateTime[n],
                updated = new OffsetDateTime[n], eventTime = new OffsetDateTime[n];
        String[] userId = new String[n], userKey = new String[n], userType = new String[n], country = new String[n],
                region = new String[n], regulation = new String[n], notice = new String[n], consent = new String[n],
                sourceType = new String[n], sdk = new String[n], url = new String[n], items = new String[n],
                ip = new String[n], ua = new String[n], idem = new String[n], payload = new String[n],
                key = new String[n], decisions = new String[n], itemChanges = new String[n],
                seenCountry = new String[n], metadata = new String[n], userMetadata = new String[n];
        Integer[] version = new Integer[n];
        for (int i = 0; i < n; i++) {
            ConsentEvent e = rows.get(i);
            org[i] = e.organizationId();
            id[i] = e.id();
            eventKey[i] = e.eventKey();
            received[i] = utc(e.receivedAt());
            created[i] = utc(e.createdAt());
            updated[i] = utc(e.updatedAt());
            eventTime[i] = utc(e.eventTime());
            userId[i] = e.userId();
            userKey[i] = e.userKey();
            userType[i] = e.userType();
            country[i] = e.country();
            region[i] = e.region();
            regulation[i] = e.regulation();
            notice[i] = e.noticeId();
            consent[i] = e.consentString();
            sourceType[i] = e.sourceType();
            sdk[i] = e.sdkVersion();
            url[i] = e.sourceUrl();
            items[i] = e.items();
            ip[i] = e.clientIp();
            ua[i] = e.userAgent();
            idem[i] = e.idempotencyKey();
            payload[i] = e.payload();
            key[i] = e.apiKeyId();
            decisions[i] = decisions(e.eventItems());
            seenCountry[i] = e.seenCountry();
            metadata[i] = e.metadata();
            userMetadata[i] = e.userMetadata();
            BatchMerge.Effect effect = effects.get(e);
            itemChanges[i] = effect == null ? null : changes(e.eventItems().size(), effect.changes());
            version[i] = effect == null ? null : effect.version();
        }
        return Tuple.from(new Object[]{org, id, eventKey, received, created, updated, eventTime, userId, userKey,
                userType, country, region, regulation, notice, consent, sourceType, sdk, url, items, ip, ua, idem,
                payload, key, decisions, itemChanges, version, seenCountry, metadata, userMetadata});
    }

    /** What each item decides, as an array literal: {@code {t,f,NULL}}. */
    static String decisions(List<EventItem> items) {
        StringBuilder s = new StringBuilder(2 + 5 * items.size()).append('{');
        for (int i = 0; i < items.size(); i++) {
            Boolean d = items.get(i).decision();
            s.append(i == 0 ? "" : ",").append(d == null ? "NULL" : d ? "t" : "f");
        }
        return s.append('}').toString();
    }

    /** What each item changed, as an array literal ({@code {granted,NULL}}); null when nothing was recorded. */
    static String changes(int items, String[] changes) {
        if (changes == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(2 + 10 * items).append('{');
        for (int i = 0; i < items; i++) {
            String c = i < changes.length ? changes[i] : null;
            s.append(i == 0 ? "" : ",").append(c == null ? "NULL" : c); // the change names need no quoting
        }
        return s.append('}').toString();
    }

    /** A row of {@link #COLUMNS} (or {@link #COLUMNS_WITHOUT_PAYLOAD}). */
    public static StoredEvent read(Row r) {
        return new StoredEvent(r.getString(0), r.getString(1), instant(r.getOffsetDateTime(2)),
                instant(r.getOffsetDateTime(3)), instant(r.getOffsetDateTime(4)), instant(r.getOffsetDateTime(5)),
                r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11),
                r.getString(12), r.getString(13), r.getString(14), r.getString(15), r.getString(16), r.getString(17),
                r.getString(18), r.getString(19), r.getString(20), r.getInteger(21), r.getString(22), r.getString(23),
                r.getString(24));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
