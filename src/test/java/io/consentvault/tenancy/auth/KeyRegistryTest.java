package io.consentvault.tenancy.auth;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.notify.PgNotifications;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The key registry's reloads against the real tables. Reloads overlap (an announcement, a reconnection and the minute
 * timer can each start one), and their answers can come back in any order: the snapshot kept is the one of the reload
 * that started last, so an answer read before a revocation never brings the revoked key back.
 */
@QuarkusTest
class KeyRegistryTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Test
    void aReloadThatFinishesAfterALaterOneNeverBringsBackARevokedKey() throws Exception {
        String org = Events.unique("org-reload");
        Api.createOrganization(org);
        String revoked = newKeyId(org);
        String kept = newKeyId(org);

        Promise<Void> read = Promise.promise();
        Promise<Void> release = Promise.promise();
        // a registry of its own (no announcements reach it), on the service's pool
        KeyRegistry registry = new KeyRegistry(holdingFirstKeysAnswer(pool, read, release.future()),
                new PgNotifications(vertx, "unused", "unused", "unused"));

        // the first reload reads the keys while both are live; its answer is held back
        Future<Void> older = registry.reload();
        await(read.future());
        Api.admin().when().delete("/v1/admin/keys/" + revoked).then().statusCode(204);
        // a later reload reads the revocation and finishes first
        await(registry.reload());
        assertNull(registry.key(revoked));
        assertNotNull(registry.key(kept));

        // the first reload finishes last, with the key still live in what it read
        release.complete();
        await(older);
        assertNull(registry.key(revoked), "an older snapshot was installed over a newer one");
        assertNotNull(registry.key(kept));

        // and the registry still takes the snapshots of reloads started after
        String added = newKeyId(org);
        await(registry.reload());
        assertNotNull(registry.key(added));
        assertNull(registry.key(revoked));
    }

    private static String newKeyId(String org) {
        return Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", "reload", "scopes", List.of("events:write")))
                .when().post("/v1/admin/organizations/" + org + "/keys").then().statusCode(201).extract().path("id");
    }

    private static void await(Future<?> future) throws Exception {
        future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * {@code pool}, except for the first key query sent through it: that one runs at once, completes {@code read} when
     * its rows have come back, and hands them on only once {@code release} completes.
     */
    private static Pool holdingFirstKeysAnswer(Pool pool, Promise<Void> read, Future<Void> release) {
        AtomicBoolean first = new AtomicBoolean(true);
        ClassLoader loader = KeyRegistryTest.class.getClassLoader();
        return (Pool) Proxy.newProxyInstance(loader, new Class<?>[]{Pool.class}, (p, method, args) -> {
            if (method.getName().equals("query") && KeyRegistry.KEYS.equals(args[0])
                    && first.compareAndSet(true, false)) {
                Query<RowSet<Row>> query = pool.query(KeyRegistry.KEYS);
                return Proxy.newProxyInstance(loader, new Class<?>[]{Query.class}, (q, m, a) -> {
                    if (m.getName().equals("execute") && (a == null || a.length == 0)) {
                        return query.execute().onSuccess(rows -> read.tryComplete()).compose(rows -> release.map(rows));
                    }
                    return m.invoke(query, a);
                });
            }
            return method.invoke(pool, args);
        });
    }
}
