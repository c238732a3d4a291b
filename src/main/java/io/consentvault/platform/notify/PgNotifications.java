package io.consentvault.platform.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.consentvault.platform.lifecycle.ServiceStart;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * The one LISTEN connection of a replica, shared by every channel (state changes, key changes). It reconnects by
 * itself; each (re)subscription calls the channel's reset handler, because announcements may have been missed while
 * it was away. Handlers run on a Vert.x event loop.
 */
@ApplicationScoped
public class PgNotifications {

    private static final Logger LOG = Logger.getLogger(PgNotifications.class);

    private record Listener(String channel, Consumer<String> handler, Runnable reset) {
    }

    private final List<Listener> listeners = new ArrayList<>();
    private final Vertx vertx;
    private final String url;
    private final String user;
    private final String password;
    private PgSubscriber subscriber;

    public PgNotifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Listens on a channel, from now on (beans are created lazily, so this may come after start). */
    public synchronized void listen(String channel, Consumer<String> handler, Runnable reset) {
        Listener listener = new Listener(channel, handler, reset);
        listeners.add(listener);
        if (subscriber != null) {
            subscribe(listener);
        }
    }

    synchronized void start(@Observes ServiceStart start) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url)
                .setUser(user).setPassword(password);
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> retries < 100_000 ? Math.min(100L * (retries + 1), 2000L) : -1L);
        listeners.forEach(this::subscribe);
        subscriber.connect().onFailure(e -> LOG.warnf("cannot listen for announcements yet: %s", e.getMessage()));
    }

    private void subscribe(Listener l) {
        subscriber.channel(l.channel()).subscribeHandler(subscribed -> {
            LOG.debugf("listening on %s", l.channel());
            l.reset().run();
        }).handler(l.handler()::accept);
    }

    @PreDestroy
    void stop() {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
