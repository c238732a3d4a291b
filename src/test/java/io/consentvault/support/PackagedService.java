package io.consentvault.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.consentvault.platform.embedded.PostgresCluster;

/**
 * The packaged service ({@code java -jar target/quarkus-app/quarkus-run.jar}) started as its own process on the test
 * database, configured only by environment variables, as an SRE would run it. Only for the tests that must hold the
 * process itself: signal it, run two at once, or start it with no database configured. A test that only talks to the
 * service is a {@code @QuarkusIntegrationTest} (see {@link PackagedOnTestDatabase}), which also runs on a native build.
 */
public final class PackagedService extends ServiceClient implements AutoCloseable {

    public final Process process;
    public final Path log;

    private PackagedService(Process process, String base, Path log) {
        super(base);
        this.process = process;
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

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
