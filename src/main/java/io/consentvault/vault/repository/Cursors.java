package io.consentvault.vault.repository;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.consentvault.platform.lifecycle.ServiceStart;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Signs the vault's cursors, so that a client can neither forge nor alter one: a cursor is its content, URL-safe
 * base64, a dot, and an HMAC-SHA256 of the content under a key every replica reads from the database
 * ({@code vault_cursor_keys}), so that a cursor given by one replica works on any. The content says where the next
 * page starts and what query it continues; it is not secret, only sealed. Thread-safe.
 */
@ApplicationScoped
public class Cursors {

    private final Pool pool;
    private volatile SecretKeySpec key;

    public Cursors(Pool pool) {
        this.pool = pool;
    }

    void onStart(@Observes ServiceStart start) {
        key();
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            String secret = pool.query("SELECT secret FROM vault_cursor_keys WHERE id = 1").execute()
                    .map(rows -> rows.iterator().next().getString(0)).await().atMost(Duration.ofSeconds(30));
            k = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            key = k;
        }
        return k;
    }

    /** The sealed cursor of this content. */
    public String seal(String content) {
        byte[] raw = content.getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(raw));
    }

    /** The content of a cursor this service sealed; null for any other text. */
    public String open(String cursor) {
        try {
            int dot = cursor.indexOf('.');
            if (dot <= 0) {
                return null;
            }
            byte[] raw = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            byte[] given = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
            return MessageDigest.isEqual(mac(raw), given) ? new String(raw, StandardCharsets.UTF_8) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] mac(byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return mac.doFinal(raw);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
