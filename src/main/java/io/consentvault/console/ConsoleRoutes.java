package io.consentvault.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * The console is static files under {@code META-INF/resources/console/} (a page, ES modules, a stylesheet), served by
 * Quarkus at {@code /console/}; this route sends {@code /console} there, so that the page's relative addresses resolve
 * under it. The console's headers (a strict Content-Security-Policy and others) are set in
 * {@code application.properties}, {@code quarkus.http.filter.console}. Event loop.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String HOME = "/console/";

    void register(@Observes Router router) {
        // a route's path matches with and without its trailing slash: only the bare one is sent on
        router.route("/console").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> {
            if (rc.request().path().equals("/console")) {
                rc.response().setStatusCode(301).putHeader("Location", HOME).end();
            } else {
                rc.next();
            }
        });
    }
}
