package io.consentvault.tenancy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The format of API keys: {@code cv_live_<id>_<secret>}, a 16-character public id and 256 random bits. Only the
 * SHA-256 of the secret is stored; presented secrets are compared with it in constant time. The one place that knows
 * the format.
 */
public final class ApiKeys {

    public static final String PREFIX = "cv_live_";
    static final int ID_LENGTH = 16;
    private static final char[] ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    // a digest per thread: MessageDigest.getInstance looks the provider up on every call, on every request
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ApiKeys() {
    }

    /** A new key: its public id, the full key (shown once), and the hash to store. */
    public record NewKey(String id, String key, String secretHash) {
    }

    public static NewKey generate() {
        StringBuilder id = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(id.toString(), PREFIX + id + "_" + secretText, hash(secretText));
    }

    /** The public id and secret of a presented key, or null when it is not one of ours. */
    public static String[] parse(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() < PREFIX.length() + ID_LENGTH + 2
                || key.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return null;
        }
        return new String[]{key.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH),
                key.substring(PREFIX.length() + ID_LENGTH + 1)};
    }

    /** The hash stored for a secret: hex SHA-256. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    /** A stored hash as the bytes {@link #matches} compares with (decoded once, when keys are loaded). */
    public static byte[] hashBytes(String storedHash) {
        return HexFormat.of().parseHex(storedHash);
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(digest(secret), storedHash);
    }

    /** Constant-time comparison of two tokens. */
    public static boolean sameToken(String presented, String expected) {
        return MessageDigest.isEqual(digest(presented), digest(expected));
    }

    private static byte[] digest(String text) {
        return SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
