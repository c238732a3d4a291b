package io.consentvault.core.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Index keys for identifiers that clients choose (event ids, user ids): the identifier itself when it is short, else a
 * digest, so that a 100 KB user id is still stored (in full, in its own column) without breaking a B-tree. The one
 * place that knows the rule; reads use it to find what writes stored.
 */
public final class BoundedKey {

    /** Identifiers up to this many characters are their own key. */
    public static final int MAX_PLAIN = 128;

    private BoundedKey() {
    }

    /**
     * An identifier as PostgreSQL text can hold it: U+0000 becomes U+FFFD. Writes store identifiers in this form, and
     * reads look them up in it, so an id sent with a NUL is found by that same id.
     */
    public static String storable(String identifier) {
        return identifier == null || identifier.indexOf('\0') < 0 ? identifier : identifier.replace('\0', '\uFFFD');
    }

    public static String of(String identifier) {
        if (identifier == null) {
            return null;
        }
        identifier = storable(identifier);
        if (identifier.length() <= MAX_PLAIN && !identifier.startsWith("#")) {
            return identifier;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identifier.getBytes(StandardCharsets.UTF_8));
            return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
