package io.consentvault.state.cache;

import java.util.zip.CRC32C;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.layout.ExportLayout;

/**
 * One cache entry: the user's state, and its answer (the serialized {@code user} object and its ETag) written on the
 * first read and kept, so that later hits write bytes without building anything. A state committed by this replica
 * is not serialized until someone asks for it: most states written are never read before they change again.
 * {@link #MISSING} stands for a user with no state (a 404 kept in the cache). Thread-safe: two first readers may both
 * write the answer; they write the same bytes.
 */
public final class CachedUser {

    public static final CachedUser MISSING = new CachedUser(null, null);

    /** The answer of an entry: the bytes of the user object and its ETag. */
    private record Answer(byte[] json, String etag) {
    }

    private final String organizationId;
    private final ConsentState state;
    private volatile Answer answer;

    CachedUser(String organizationId, ConsentState state) {
        this.organizationId = organizationId;
        this.state = state;
    }

    /** An entry for this state; its bytes are written when first read. */
    public static CachedUser of(String organizationId, ConsentState state) {
        return new CachedUser(organizationId, state);
    }

    public boolean exists() {
        return state != null;
    }

    public ConsentState state() {
        return state;
    }

    /** The user object of the batch export, as bytes (only for an entry that {@link #exists()}). */
    public byte[] json() {
        return answer().json();
    }

    public String etag() {
        return answer().etag();
    }

    private Answer answer() {
        Answer a = answer;
        if (a == null) {
            byte[] json = ExportLayout.user(organizationId, state);
            a = new Answer(json, etag(json, state));
            answer = a;
        }
        return a;
    }

    /** The ETag of an answer: its checksum, length and the state's version. */
    static String etag(byte[] json, ConsentState state) {
        CRC32C crc = new CRC32C();
        crc.update(json);
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(json.length) + "-v"
                + state.version() + "\"";
    }

    /**
     * What the entry holds in bytes, estimated from the state (the cache is bounded before the answer is written): the
     * fixed fields, the ids, and per purpose and per vendor its heap plus its share of the serialized answer. The heap
     * of one vendor, from the JVM's object layout (compressed references): a TreeMap entry (40 bytes), its id (about
     * 48), a decision (24) and its two flags (24 each, sources shared): about 160 bytes; a class histogram of a cache
     * full of 5,000-vendor users (LargeConsentStringsIT) showed 200 bytes a vendor, ids included.
     */
    int weight() {
        if (state == null) {
            return 64;
        }
        return 480 + state.userId().length() * 3 + organizationId.length() + state.purposes().size() * PER_PURPOSE
                + state.vendors().size() * PER_VENDOR
                + (state.tcfcs().value() == null ? 0 : state.tcfcs().value().length() * 2);
    }

    static final int PER_PURPOSE = 240;
    static final int PER_VENDOR = 200;
}
