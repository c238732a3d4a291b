package io.consentvault.ingest;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.consentvault.platform.embedded.EmbeddedPostgres;
import io.consentvault.support.Burst;
import io.consentvault.support.Events;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service (java -jar target/quarkus-app/quarkus-run.jar, configured only by environment variables) is
 * stopped in the middle of a burst, by SIGTERM and by SIGKILL: every event it acknowledged is stored.
 */
class ShutdownIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void noAcknowledgedEventIsLostWhenTheServiceStopsMidBurst(String signal) throws Exception {
        EmbeddedPostgres pg = TestDatabase.server();
        int port = EmbeddedPostgres.freePort();
        Path log = Files.createTempFile("consent-vault-" + signal, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", pg.settings().user());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", pg.settings().password());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process service = builder.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        try {
            Poll.until("the packaged service to be ready", Duration.ofSeconds(60), () -> ready(http, base));

            String org = Events.unique("org-" + signal.toLowerCase());
            Set<String> acknowledged;
            try (Burst burst = Burst.start(base, org, 16, 5000)) {
                Poll.until("part of the burst acknowledged", Duration.ofSeconds(60),
                        () -> burst.acknowledged.size() >= 500);
                if ("SIGTERM".equals(signal)) {
                    service.destroy();
                } else {
                    service.destroyForcibly();
                }
                assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service exits");
                burst.await();
                acknowledged = burst.acknowledged;
            }

            for (String id : acknowledged) {
                assertEquals(1, TestDatabase.count(
                        "SELECT count(*) FROM events WHERE organization_id = ? AND id = ?", org, id),
                        "acknowledged event " + id + " after " + signal);
            }
            if ("SIGTERM".equals(signal)) {
                String output = Files.readString(log);
                assertTrue(output.contains("queued events flushed"), "the drain ran:\n" + tail(output));
            }
        } finally {
            service.destroyForcibly();
        }
    }

    private static boolean ready(HttpClient http, String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    static {
        // the packaged service must exist: failsafe runs after the package phase
        if (!new File("target/quarkus-app/quarkus-run.jar").exists()) {
            throw new IllegalStateException("run with ./mvnw verify: the packaged service is missing");
        }
    }
}
