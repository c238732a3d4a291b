package io.consentvault.export.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.export.ExportConfig;
import io.consentvault.export.run.ExportRunner;
import io.consentvault.export.run.ExportRuns;
import io.consentvault.export.write.Destination;
import io.consentvault.export.write.ExportWriter;
import io.consentvault.platform.command.Command;
import io.consentvault.platform.command.CommandMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code java -jar quarkus-run.jar export --org ID --date YYYY-MM-DD --to URI} ({@link ExportArguments}): one export
 * of one organization's UTC day, from the configured database to {@code URI}, written by the same
 * {@link ExportWriter#write(Pool, String, LocalDate, Instant, String, java.util.function.LongConsumer,
 * ExportWriter.Progress) snapshot writer} as the service's runs, with the same cutoff (its start: the events of a
 * past day up to its end, today's up to now). Progress goes to standard error ({@link TerminalProgress}), the
 * manifest's URI to standard output. The export keeps no row in {@code export_runs}: those are the runs of the
 * service's destination, which its replicas take over when one dies; this one lives and dies with the operator's
 * process, and its manifest's {@code run_id} names no run of the API. Runs on the main thread ({@link CommandMode}).
 */
@ApplicationScoped
public class ExportCommand implements Command {

    static final String NAME = "export";

    static final String ORGANIZATION = "SELECT 1 FROM organizations WHERE id = $1";

    private final Pool pool;
    private final ExportConfig config;
    private final ConsentStrings strings;

    public ExportCommand(Pool pool, ExportConfig config, ConsentStrings strings) {
        this.pool = pool;
        this.config = config;
        this.strings = strings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int run(List<String> args) {
        ExportArguments asked;
        try {
            asked = ExportArguments.parse(args, LocalDate.now(ZoneOffset.UTC));
        } catch (ExportArguments.UsageException e) {
            return usage(e.getMessage());
        }
        if (asked.help()) {
            System.out.print(ExportArguments.USAGE);
            return DONE;
        }
        Destination destination;
        try {
            destination = ExportRunner.destination(asked.to(), config.s3Endpoint());
        } catch (IllegalArgumentException e) {
            return usage("--to " + asked.to() + ": " + CommandMode.oneLine(e));
        }
        TerminalProgress progress = new TerminalProgress(System.err, TerminalProgress.stderrIsTerminal(),
                "export " + asked.organizationId() + " " + asked.date(), System::nanoTime);
        try (destination) {
            if (!exists(asked.organizationId())) {
                return usage("--org " + asked.organizationId() + ": no such organization in this database");
            }
            Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MICROS);
            ExportWriter.Result result = new ExportWriter(destination, strings, config.partMaxBytes(),
                    config.fetchRows(), config.gzipLevel()).write(pool, asked.organizationId(), asked.date(), cutoff,
                            ExportRuns.newId(),
                            progress::expected, progress::written);
            progress.finished(result.users(), result.events(), result.bytes());
            System.out.println(destination.uri(result.manifestPath()));
            return DONE;
        } catch (Exception e) {
            progress.failed();
            System.err.println("export failed: " + CommandMode.oneLine(e));
            return FAILED;
        }
    }

    private boolean exists(String organizationId) throws Exception {
        return pool.preparedQuery(ORGANIZATION).execute(Tuple.of(organizationId)).toCompletionStage()
                .toCompletableFuture().get(60, TimeUnit.SECONDS).size() > 0;
    }

    private static int usage(String problem) {
        System.err.println("export: " + problem);
        System.err.print(ExportArguments.USAGE);
        return USAGE;
    }
}
