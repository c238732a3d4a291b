package io.consentvault.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.consentvault.platform.embedded.EmbeddedPostgres;

/**
 * The packaged service ({@code java -jar target/quarkus-app/quarkus-run.jar}) started as its own process on the test
 * database, configured only by environment variables, as an SRE would run it.
 */
public final class PackagedService implements AutoCloseable {

    public final Process process;
    public final String base;
    public final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PackagedService(Process process, String base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    public static PackagedService start(String name, Map<String, String> extraEnv) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run with ./mvnw verify: the packaged service is missing");
        }
        EmbeddedPostgres pg = TestDatabase.server();
        int port = EmbeddedPostgres.freePort();
        Path log = Files.createTempFile("consent-vault-" + name, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", pg.settings().user());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", pg.settings().password());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(extraEnv);
        PackagedService service = new PackagedService(builder.start(), "http://127.0.0.1:" + port, log);
        Poll.until(name + " to be ready", Duration.ofSeconds(60), () -> service.status("/q/health/ready") == 200);
        return service;
    }

    /** The status of a GET, or -1 when the service does not answer. */
    public int status(String path) {
        return get(path).statusCode;
    }

    public Answer get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null);
        }
    }

    public Answer post(String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null);
        }
    }

    /** An HTTP answer. */
    public record Answer(int statusCode, String body) {
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
