package io.consentvault.export.run;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.consentvault.export.ExportConfig;
import io.consentvault.platform.lifecycle.ServiceStart;
import io.quarkus.scheduler.Scheduled;

/**
 * The daily export of the previous UTC day for every organization ({@code consent.export.schedule}, cron, UTC). At
 * each firing, and at start-up, every day owed since an organization's last scheduled run is queued (a replica that
 * was down catches up), each date once whichever replica queues it; then the runner takes them.
 */
@ApplicationScoped
public class ExportSchedule {

    private static final Logger LOG = Logger.getLogger(ExportSchedule.class);

    private final ExportRuns runs;
    private final ExportRunner runner;
    private final ExportConfig config;

    public ExportSchedule(ExportRuns runs, ExportRunner runner, ExportConfig config) {
        this.runs = runs;
        this.runner = runner;
        this.config = config;
    }

    void onStart(@Observes ServiceStart start) {
        catchUp(ZonedDateTime.now(ZoneOffset.UTC));
    }

    @Scheduled(cron = "{consent.export.schedule}", timeZone = "UTC", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        catchUp(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** Queues every day owed as of {@code now}: the days before the schedule's last firing. */
    void catchUp(ZonedDateTime now) {
        if (config.destination().isEmpty() || off(config.schedule())) {
            return;
        }
        lastDayOwed(config.schedule(), now).ifPresent(day -> runs.queueOwed(day, config.catchUpDays())
                .onSuccess(queued -> {
                    if (queued > 0) {
                        LOG.infof("%d scheduled export runs queued (through %s)", queued, day);
                    }
                    runner.wake();
                }).onFailure(e -> LOG.warnf("scheduled exports could not be queued: %s", e.toString())));
    }

    static boolean off(String schedule) {
        return schedule.isBlank() || schedule.equalsIgnoreCase("off") || schedule.equalsIgnoreCase("disabled");
    }

    /** The day before the schedule's last firing at or before {@code now}: the last day it owes. */
    static Optional<LocalDate> lastDayOwed(String schedule, ZonedDateTime now) {
        ExecutionTime times = ExecutionTime
                .forCron(new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ)).parse(schedule));
        ZonedDateTime at = now.plusNanos(1);
        return times.lastExecution(at).map(last -> last.withZoneSameInstant(ZoneOffset.UTC).toLocalDate().minusDays(1));
    }
}
