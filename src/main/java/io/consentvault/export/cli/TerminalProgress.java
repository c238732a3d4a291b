package io.consentvault.export.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import io.consentvault.export.write.ExportWriter;

/**
 * An export's progress on standard error: the rows written (users, events), the bytes, and the percentage of the rows
 * expected. On a terminal one line redrawn in place ({@code \r}) with a bar, at most every {@link #REDRAW_EVERY};
 * otherwise (a pipe, a file, a CI log) the same facts as a line of their own every {@link #LINE_EVERY}. The first
 * state and the last are always shown. Called from the one thread that runs the export.
 */
final class TerminalProgress {

    static final Duration REDRAW_EVERY = Duration.ofMillis(200);
    static final Duration LINE_EVERY = Duration.ofSeconds(10);
    private static final int BAR = 20;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final LongSupplier nanoTime;
    private long expected;
    private long shownAt;
    private int shownLength;
    private boolean lineOpen;

    /** {@code terminal}: whether {@code out} is a terminal; {@code nanoTime}: the clock of the throttling. */
    TerminalProgress(PrintStream out, boolean terminal, String label, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.nanoTime = nanoTime;
    }

    /** Whether standard error is a terminal (Linux: where its descriptor points; elsewhere: whether a console is). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /** The rows the export expects to write at most; shows the start. */
    void expected(long rows) {
        expected = rows;
        show(0, 0, 0, false, true);
    }

    /** Rows and bytes written so far. */
    void written(long users, long events, long bytes) {
        show(users, events, bytes, false, false);
    }

    /** The export is complete: its totals, at 100%. */
    void finished(long users, long events, long bytes) {
        show(users, events, bytes, true, true);
    }

    /** The export failed: ends the line being redrawn, so that what follows starts on a line of its own. */
    void failed() {
        if (lineOpen) {
            out.println();
            out.flush();
            lineOpen = false;
        }
    }

    private void show(long users, long events, long bytes, boolean done, boolean always) {
        long now = nanoTime.getAsLong();
        if (!always && now - shownAt < (terminal ? REDRAW_EVERY : LINE_EVERY).toNanos()) {
            return;
        }
        shownAt = now;
        double percent = done ? 100.0 : ExportWriter.percent(users + events, expected);
        String facts = String.format(Locale.ROOT, "%5.1f%% of %,d rows  users %,d  events %,d  %s", percent, expected,
                users, events, bytes(bytes));
        if (terminal) {
            int filled = (int) (percent / 100 * BAR);
            String line = label + " [" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + facts;
            // spaces over what is left of a longer line drawn before
            out.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
            shownLength = line.length();
            lineOpen = !done;
            if (done) {
                out.println();
            }
        } else {
            out.println(label + " " + facts);
        }
        out.flush();
    }

    /** A byte count as people read it: B, KiB, MiB, GiB. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
