package io.consentvault.export.write;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.consentvault.core.event.EventItem;
import io.consentvault.core.event.EventRules;
import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.layout.ExportLayout;
import io.consentvault.core.store.EventsTable;
import io.consentvault.core.store.StateTable;
import io.consentvault.core.tcf.ConsentStrings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Writes one organization's export of one UTC day: the users' states and the day's events, read from one snapshot
 * (a repeatable-read transaction, so the two agree) through cursors, a chunk at a time, each row serialized by
 * {@link ExportLayout} and gzipped as it comes into part files of a bounded size; then {@code manifest.json}, last,
 * with the rows, bytes and SHA-256 of every part. Memory does not grow with the rows. Blocking: runs on a worker
 * thread, waiting on the connection's answers.
 */
public final class ExportWriter {

    /** Every user of the organization, as the state table holds them. */
    public static final String USERS = "SELECT " + StateTable.columns("") + " FROM consent_state"
            + " WHERE organization_id = $1";

    /** The events received in [from, to), without their payload, which the layout does not show. */
    public static final String EVENTS = "SELECT " + EventsTable.COLUMNS_WITHOUT_PAYLOAD + " FROM events"
            + " WHERE organization_id = $1 AND received_at >= $2 AND received_at < $3";

    /** How many rows the run will write at most: its users and the day's events (shown-only ones included). */
    public static final String EXPECTED = "SELECT (SELECT count(*) FROM consent_state WHERE organization_id = $1)"
            + " + (SELECT count(*) FROM events WHERE organization_id = $1 AND received_at >= $2 AND received_at < $3)";

    private static final JsonFactory JSON = new JsonFactory();
    private static final long WAIT_SECONDS = 600;
    /**
     * Deflate level 3: on export lines about three times the speed of gzip's default (6) for about a fifth more bytes
     * (zlib, measured on event lines); at 6 compression alone takes most of a core at 100k rows/s.
     */
    public static final int DEFAULT_GZIP_LEVEL = 3;

    /** A file of the export, as the manifest lists it; {@code path} relative to the manifest. */
    public record FileEntry(String path, String kind, long rows, long bytes, String sha256) {
    }

    /** What was written. */
    public record Result(String manifestPath, long users, long events, long bytes, List<FileEntry> files) {
    }

    /** Told as rows are written, at most every few thousand rows. */
    public interface Progress {
        void written(long users, long events, long bytes);
    }

    private final Destination destination;
    private final ConsentStrings strings;
    private final long partMaxBytes;
    private final int fetchRows;
    private final int gzipLevel;

    public ExportWriter(Destination destination, ConsentStrings strings, long partMaxBytes, int fetchRows) {
        this(destination, strings, partMaxBytes, fetchRows, DEFAULT_GZIP_LEVEL);
    }

    /** @param gzipLevel the deflate level of the parts, 1 (fastest) to 9 (smallest) */
    public ExportWriter(Destination destination, ConsentStrings strings, long partMaxBytes, int fetchRows,
            int gzipLevel) {
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("a gzip level is 1 to 9: " + gzipLevel);
        }
        this.destination = destination;
        this.strings = strings;
        this.partMaxBytes = partMaxBytes;
        this.fetchRows = fetchRows;
        this.gzipLevel = gzipLevel;
    }

    /** Where a day's export lives under the destination. */
    public static String directory(String organizationId, LocalDate date) {
        return "export-id=" + organizationId + "/date=" + date;
    }

    /** The number of rows the export of this day at this cutoff writes at most (for the run's percentage). */
    public static long expected(SqlConnection conn, String organizationId, LocalDate date, Instant cutoff)
            throws Exception {
        Instant[] range = range(date, cutoff);
        return await(conn.preparedQuery(EXPECTED).execute(Tuple.of(organizationId, utc(range[0]), utc(range[1]))))
                .iterator().next().getLong(0);
    }

    /**
     * The share of the expected rows written, in percent, to a tenth, below 100 until the run has finished (the rows
     * expected count the events a run leaves out); 0 while nothing is expected.
     */
    public static double percent(long written, long expected) {
        return expected <= 0 ? 0.0 : Math.min(99.9, Math.floor(1000.0 * written / expected) / 10);
    }

    /**
     * Writes the export from a snapshot of its own, taken now (just after {@code cutoff}): a connection of
     * {@code pool} in a repeatable-read, read-only transaction, which tells {@code expected} how many rows it will write
     * at most before it writes any, and is committed once the manifest is written, or rolled back when the export
     * fails (the connection goes back to the pool without it). Every run goes through here, whoever asks for it.
     */
    public Result write(Pool pool, String organizationId, LocalDate date, Instant cutoff, String runId,
            LongConsumer expected, Progress progress) throws Exception {
        SqlConnection snapshot = await(pool.getConnection());
        try {
            try {
                // inside: a BEGIN that was sent but not answered in time is rolled back too
                await(snapshot.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").execute());
                expected.accept(expected(snapshot, organizationId, date, cutoff));
                Result result = write(snapshot, organizationId, date, cutoff, runId, progress);
                await(snapshot.query("COMMIT").execute());
                return result;
            } catch (Exception | Error e) {
                try {
                    snapshot.query("ROLLBACK").execute().toCompletionStage().toCompletableFuture().get(10,
                            TimeUnit.SECONDS);
                } catch (Exception again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
        } finally {
            snapshot.close();
        }
    }

    /**
     * Writes the export on {@code conn}, which must be in a repeatable-read transaction begun at {@code cutoff}: the
     * users' states as that snapshot holds them, and the events received that day before the cutoff, without those
     * whose items are all {@code preference.shown}.
     */
    public Result write(SqlConnection conn, String organizationId, LocalDate date, Instant cutoff, String runId,
            Progress progress) throws Exception {
        String dir = directory(organizationId, date);
        Instant[] range = range(date, cutoff);
        Counts counts = new Counts(progress);
        List<FileEntry> files = new ArrayList<>();
        Parts users = new Parts(dir, "users", counts);
        users.write(() -> read(conn, USERS, Tuple.of(organizationId), row -> {
            JsonGenerator g = users.line();
            ExportLayout.user(g, organizationId, StateTable.state(row));
            users.endLine();
            counts.users++;
        }));
        files.addAll(users.entries);
        Parts events = new Parts(dir, "events", counts);
        events.write(() -> {
            read(conn, EVENTS, Tuple.of(organizationId, utc(range[0]), utc(range[1])), row -> {
                StoredEvent e = EventsTable.read(row);
                List<EventItem> items = EventItem.parse(e.items());
                if (onlyShown(items)) {
                    return;
                }
                JsonGenerator g = events.line();
                ExportLayout.event(g, e, EventRules.decisions(e, items, strings), false);
                events.endLine();
                counts.events++;
            });
        });
        files.addAll(events.entries);
        String manifest = dir + "/manifest.json";
        Destination.Output out = destination.create(manifest);
        try {
            try (JsonGenerator g = JSON.createGenerator(nonClosing(out.stream()))) {
                g.writeStartObject();
                g.writeStringField("organization_id", organizationId);
                g.writeStringField("date", date.toString());
                g.writeStringField("run_id", runId);
                g.writeStringField("cutoff_at", cutoff.toString());
                g.writeNumberField("users", counts.users);
                g.writeNumberField("events", counts.events);
                g.writeArrayFieldStart("files");
                for (FileEntry f : files) {
                    g.writeStartObject();
                    g.writeStringField("path", f.path());
                    g.writeStringField("kind", f.kind());
                    g.writeNumberField("rows", f.rows());
                    g.writeNumberField("bytes", f.bytes());
                    g.writeStringField("sha256", f.sha256());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            out.commit();
        } catch (Exception e) {
            out.abort();
            throw e;
        }
        progress.written(counts.users, counts.events, counts.bytes);
        return new Result(manifest, counts.users, counts.events, counts.bytes, List.copyOf(files));
    }

    /** [start of the day, min(end of the day, cutoff)). */
    static Instant[] range(LocalDate date, Instant cutoff) {
        Instant from = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new Instant[]{from, cutoff.isBefore(to) ? cutoff : to};
    }

    /** Whether every item of the event is {@code preference.shown} (a banner shown: no choice made). */
    static boolean onlyShown(List<EventItem> items) {
        if (items.isEmpty()) {
            return false;
        }
        for (EventItem item : items) {
            if (!"preference.shown".equals(item.action())) {
                return false;
            }
        }
        return true;
    }

    private interface RowHandler {
        void accept(Row row) throws IOException;
    }

    private interface Work {
        void run() throws Exception;
    }

    private void read(SqlConnection conn, String sql, Tuple args, RowHandler handler) throws Exception {
        PreparedStatement statement = await(conn.prepare(sql));
        Cursor cursor = statement.cursor(args);
        try {
            Future<RowSet<Row>> next = cursor.read(fetchRows);
            while (next != null) {
                RowSet<Row> rows = await(next);
                // the next chunk is asked for before this one is written: the database reads while this thread writes
                next = cursor.hasMore() ? cursor.read(fetchRows) : null;
                for (Row row : rows) {
                    handler.accept(row);
                }
            }
        } finally {
            try {
                await(cursor.close());
            } finally {
                await(statement.close());
            }
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Rows and bytes so far, told to the run every few thousand rows. */
    private static final class Counts {
        final Progress progress;
        long users;
        long events;
        long bytes;
        long told;

        Counts(Progress progress) {
            this.progress = progress;
        }

        void maybeTell() {
            if (users + events - told >= 5_000) {
                told = users + events;
                progress.written(users, events, bytes);
            }
        }
    }

    /**
     * The part files of one kind, each closed once it reaches {@link #partMaxBytes}: committed as they fill and when the
     * kind is written, dropped (the open one) when writing it fails.
     */
    private final class Parts implements AutoCloseable {
        final String dir;
        final String kind;
        final Counts counts;
        final List<FileEntry> entries = new ArrayList<>();
        /** The bytes of the kinds written before this one. */
        final long previousKinds;
        int next;
        Part part;

        Parts(String dir, String kind, Counts counts) throws IOException {
            this.dir = dir;
            this.kind = kind;
            this.counts = counts;
            this.previousKinds = counts.bytes;
            // a rerun writes new part files beside the old ones: the manifest it replaces may still be read
            for (String name : destination.list(dir + "/" + kind)) {
                if (name.matches("part-\\d{5,}\\.json\\.gz")) {
                    next = Math.max(next, Integer.parseInt(name.substring(5, name.indexOf('.'))) + 1);
                }
            }
        }

        JsonGenerator line() throws IOException {
            if (part == null) {
                part = new Part(kind + "/" + String.format("part-%05d.json.gz", next++));
            }
            return part.json;
        }

        void endLine() throws IOException {
            part.json.flush();
            part.text.write('\n');
            part.rows++;
            counts.bytes = committedBytes() + part.file.count;
            counts.maybeTell();
            if (part.file.count >= partMaxBytes) {
                finish();
            }
        }

        private long committedBytes() {
            long sum = previousKinds;
            for (FileEntry e : entries) {
                sum += e.bytes();
            }
            return sum;
        }

        private void finish() throws IOException {
            Part p = part;
            part = null;
            entries.add(p.close());
        }

        /** Runs the writing of this kind, then closes it; the open part is dropped if the writing fails. */
        void write(Work work) throws Exception {
            try {
                work.run();
            } catch (Exception | Error e) {
                if (part != null) {
                    part.abort();
                    part = null;
                }
                throw e;
            }
            close();
        }

        @Override
        public void close() throws IOException {
            if (part == null && entries.isEmpty()) {
                line(); // an empty export still has a (empty) part of each kind
            }
            if (part != null) {
                finish();
            }
            counts.bytes = committedBytes();
        }

        /** One part file: JSON lines → gzip → SHA-256 and byte count → the destination. */
        private final class Part {
            final String path;
            final Destination.Output output;
            final Counting file;
            final MessageDigest sha;
            final LevelGzip gzip;
            final OutputStream text;
            final JsonGenerator json;
            long rows;

            Part(String path) throws IOException {
                this.path = path;
                this.output = destination.create(dir + "/" + path);
                try {
                    this.sha = MessageDigest.getInstance("SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                this.file = new Counting(output.stream(), sha);
                this.gzip = new LevelGzip(file, gzipLevel);
                this.text = new BufferedOutputStream(gzip, 64 * 1024);
                this.json = JSON.createGenerator(nonClosing(text));
                json.setRootValueSeparator(null);
            }

            /** Drops what was written: nothing appears under the part's name. */
            void abort() {
                try {
                    output.abort();
                } finally {
                    gzip.release();
                }
            }

            FileEntry close() throws IOException {
                try {
                    json.close();
                    text.flush();
                    gzip.finish();
                    file.flush();
                    output.commit();
                } catch (IOException | RuntimeException e) {
                    output.abort();
                    throw e;
                } finally {
                    gzip.release();
                }
                return new FileEntry(path, kind, rows, file.count, HexFormat.of().formatHex(sha.digest()));
            }
        }
    }

    /** Gzip at a chosen level, whose native deflater is freed as soon as its part is done. */
    private static final class LevelGzip extends GZIPOutputStream {
        LevelGzip(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }

        void release() {
            def.end();
        }
    }

    /** Counts and digests the bytes that reach the file. */
    private static final class Counting extends FilterOutputStream {
        final MessageDigest sha;
        long count;

        Counting(OutputStream out, MessageDigest sha) {
            super(out);
            this.sha = sha;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            sha.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sha.update(b, off, len);
            count += len;
        }
    }

}
