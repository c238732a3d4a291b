package io.consentvault.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of single-event posts with client ids from several senders at once, recording which ids were acknowledged
 * (200/201), refused (503) or answered otherwise. A sender stops when the service stops answering.
 */
public final class Burst implements AutoCloseable {

    public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    public final Set<String> refused = ConcurrentHashMap.newKeySet();
    public final AtomicInteger unexpected = new AtomicInteger();
    public final AtomicInteger unreachable = new AtomicInteger();

    private final ExecutorService senders;
    private final List<Future<?>> running = new ArrayList<>();

    private Burst(int senders) {
        this.senders = Executors.newFixedThreadPool(senders);
    }

    /** Starts {@code senders} senders posting {@code each} events of {@code org} to {@code base}, with {@code key}. */
    public static Burst start(String base, String org, String key, int senders, int each) {
        return start(base, org, key, senders, each, false);
    }

    /**
     * The same; with {@code stopOnRefusal}, a sender stops at its first 503 (as a load balancer stops sending to a
     * replica that is shutting down).
     */
    public static Burst start(String base, String org, String key, int senders, int each, boolean stopOnRefusal) {
        Burst burst = new Burst(senders);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int t = 0; t < senders; t++) {
            int sender = t;
            burst.running.add(burst.senders.submit(() -> {
                for (int i = 0; i < each; i++) {
                    String id = "ev-" + sender + "-" + i;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/consents/events"))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    Events.eventWithId(org, "user-" + sender + "-" + (i % 7), id)))
                            .build();
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 201 || status == 200) {
                            burst.acknowledged.add(id);
                        } else if (status == 503) {
                            burst.refused.add(id);
                            if (stopOnRefusal) {
                                return null;
                            }
                        } else {
                            burst.unexpected.incrementAndGet();
                        }
                    } catch (IOException e) {
                        burst.unreachable.incrementAndGet();
                        return null; // the service is gone
                    }
                }
                return null;
            }));
        }
        return burst;
    }

    /** Waits for every sender to finish. */
    public void await() throws Exception {
        for (Future<?> sender : running) {
            sender.get(120, TimeUnit.SECONDS);
        }
    }

    /** Interrupts the senders (their requests in flight are abandoned) and waits until they have stopped. */
    public void stopNow() throws InterruptedException {
        senders.shutdownNow();
        senders.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
