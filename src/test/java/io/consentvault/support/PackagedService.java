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

import io.consentvault.platform.embedded.PostgresCluster;

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
        PostgresCluster pg = TestDatabase.server();
        Map<String, String> env = new java.util.HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.settings().user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        env.put("CONSENT_ADMIN_TOKEN", Api.ADMIN_TOKEN);
        env.putAll(extraEnv);
        return launch(name, env);
    }

    /**
     * The packaged service with only these environment variables (and a free HTTP port), not pointed at the test
     * database: e.g. the embedded default.
     */
    public static PackagedService launch(String name, Map<String, String> env) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run with ./mvnw verify: the packaged service is missing");
        }
        int port = PostgresCluster.freePort();
        Path log = Files.createTempFile("consent-vault-" + name, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(env);
        PackagedService service = new PackagedService(builder.start(), "http://127.0.0.1:" + port, log);
        Poll.until(name + " to be ready", Duration.ofSeconds(60), () -> {
            if (!service.process.isAlive()) {
                throw new AssertionError(name + " exited before it was ready:\n" + service.logTail());
            }
            return service.status("/q/health/ready") == 200;
        });
        return service;
    }

    /** The end of what the service wrote. */
    public String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Creates the organization (if needed) and a key with these scopes, through this service's admin API. */
    public String newKey(String org, java.util.List<String> scopes) {
        send("POST", "/v1/admin/organizations", "{\"id\": \"" + org + "\", \"name\": \"" + org + "\"}",
                Api.ADMIN_TOKEN);
        Answer created = send("POST", "/v1/admin/organizations/" + org + "/keys",
                "{\"name\": \"test\", \"scopes\": [\"" + String.join("\", \"", scopes) + "\"]}", Api.ADMIN_TOKEN);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("no key: " + created);
        }
        int start = created.body().indexOf("\"key\":\"") + 7;
        return created.body().substring(start, created.body().indexOf('"', start));
    }

    /** The status of a GET, or -1 when the service does not answer. */
    public int status(String path) {
        return get(path).statusCode;
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer get(String path, String key) {
        return send("GET", path, null, key);
    }

    public Answer post(String path, String key, String json) {
        return send("POST", path, json, key);
    }

    public Answer send(String method, String path, String json, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                    json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
