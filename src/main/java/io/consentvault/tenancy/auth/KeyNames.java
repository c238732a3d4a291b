package io.consentvault.tenancy.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The name an organization gave one of its keys, revoked or not (a record keeps the key that sent its event, and the
 * key may be revoked since). Non-blocking.
 */
@ApplicationScoped
public class KeyNames {

    static final String NAME = "SELECT name FROM api_keys WHERE id = $1 AND organization_id = $2";

    private final Pool pool;

    public KeyNames(Pool pool) {
        this.pool = pool;
    }

    /** The key's name; empty when the organization has no such key. */
    public Uni<Optional<String>> name(String organizationId, String keyId) {
        if (keyId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery(NAME).execute(Tuple.of(keyId, organizationId)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.ofNullable(it.next().getString(0)) : Optional.empty();
        });
    }
}
