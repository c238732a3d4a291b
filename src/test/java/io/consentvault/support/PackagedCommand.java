package io.consentvault.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.consentvault.platform.embedded.PostgresCluster;

/**
 * The packaged jar run as a one-shot command ({@code java -jar target/quarkus-app/quarkus-run.jar <command> ...}) as
 * an operator runs it: a process of its own, configured by environment variables only (none inherited from the
 * build), its standard output and error kept apart in files (neither can fill a pipe), waited for until it exits.
 */
public final class PackagedCommand {

    private static final long TIMEOUT_SECONDS = 180;

    private PackagedCommand() {
    }

    /** What the command did. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The last line written on standard error. */
        public String lastErrorLine() {
            List<String> lines = stderr.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** The environment that points a process at the test database, as an SRE configures the service. */
    public static Map<String, String> testDatabase() {
        PostgresCluster pg = TestDatabase.server();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.settings().user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        return env;
    }

    /** Runs {@code java -jar quarkus-run.jar args...} with only these settings in its environment. */
    public static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run with ./mvnw verify: the packaged service is missing");
        }
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("consent-vault-command", ".out");
        Path err = Files.createTempFile("consent-vault-command", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("CONSENT_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the command did not exit within " + TIMEOUT_SECONDS + " s: " + command
                        + "\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
