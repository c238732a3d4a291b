package io.consentvault.export.model;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One export of one organization's UTC day: what was asked, where it stands, and what it wrote. Created by a request
 * or the schedule; its progress is written by the replica that runs it ({@code ExportRuns}).
 */
@Entity
@Table(name = "export_runs")
public class ExportRun extends PanacheEntityBase {

    public static final String SCHEDULED = "scheduled";
    public static final String ON_DEMAND = "on_demand";
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    @Id
    public String id;

    @Column(name = "organization_id")
    public String organizationId;

    public LocalDate date;

    public String trigger;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "cutoff_at")
    public Instant cutoffAt;

    @Column(name = "users_written")
    public long usersWritten;

    @Column(name = "events_written")
    public long eventsWritten;

    @Column(name = "bytes_written")
    public long bytesWritten;

    @Column(name = "rows_expected")
    public Long rowsExpected;

    public String manifest;

    @Column(name = "error_title")
    public String errorTitle;

    @Column(name = "error_detail")
    public String errorDetail;

    public int attempts;
}
