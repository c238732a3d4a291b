package io.consentvault.tenancy.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

/**
 * CORS for web SDKs, per organization. A preflight carries no key, so it is answered for any origin that some
 * organization allows; the real request is then checked against its key's organization ({@link ApiKeyFilter}).
 */
@ApplicationScoped
public class Cors {

    static final String ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match";
    static final String EXPOSE_HEADERS = "Location, ETag, Retry-After, RateLimit, RateLimit-Policy, Idempotent-Replayed";

    private final KeyRegistry registry;

    public Cors(KeyRegistry registry) {
        this.registry = registry;
    }

    void register(@Observes Router router) {
        router.route("/v1/consents/*").order(-90).method(HttpMethod.OPTIONS).handler(rc -> {
            String origin = rc.request().getHeader("Origin");
            if (origin == null || rc.request().getHeader("Access-Control-Request-Method") == null) {
                rc.next();
                return;
            }
            HttpServerResponse response = rc.response().putHeader("Vary", "Origin");
            if (registry.anyAllows(origin)) {
                allow(response, origin);
                response.putHeader("Access-Control-Allow-Methods", "GET, POST, DELETE")
                        .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                        .putHeader("Access-Control-Max-Age", "600");
            }
            response.setStatusCode(204).end();
        });
    }

    static void allow(HttpServerResponse response, String origin) {
        response.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin")
                .putHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
}
