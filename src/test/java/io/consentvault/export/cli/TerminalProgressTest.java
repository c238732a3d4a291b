package io.consentvault.export.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An export's progress as the operator sees it: redrawn in place on a terminal, a line at a time elsewhere, each
 * throttled by its own period, the start and the end always shown.
 */
class TerminalProgressTest {

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final AtomicLong clock = new AtomicLong(1_000_000_000L);

    String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    void advance(java.time.Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void elsewhereOneLineAtATimeEveryPeriod() {
        TerminalProgress p = new TerminalProgress(out, false, "export acme 2026-03-13", clock::get);
        p.expected(20_000);
        p.written(5_000, 0, 1_500);
        advance(TerminalProgress.LINE_EVERY);
        p.written(9_000, 1_000, 3 * 1024 * 1024);
        p.finished(9_000, 10_500, 7 * 1024 * 1024);
        assertEquals("""
                export acme 2026-03-13   0.0% of 20,000 rows  users 0  events 0  0 B
                export acme 2026-03-13  50.0% of 20,000 rows  users 9,000  events 1,000  3.0 MiB
                export acme 2026-03-13 100.0% of 20,000 rows  users 9,000  events 10,500  7.0 MiB
                """, shown(), "the update within the period is not shown; the end is, at 100%");
        assertEquals(false, shown().contains("\r"));
    }

    @Test
    void onATerminalOneLineRedrawnInPlace() {
        TerminalProgress p = new TerminalProgress(out, true, "export acme 2026-03-13", clock::get);
        p.expected(1_000);
        advance(TerminalProgress.REDRAW_EVERY);
        p.written(123, 0, 1023 * 1024);
        advance(TerminalProgress.REDRAW_EVERY.dividedBy(2));
        p.written(150, 0, 1023 * 1024); // within the period: not drawn
        advance(TerminalProgress.REDRAW_EVERY);
        p.written(200, 0, 1024 * 1024);
        p.finished(300, 600, 1_500_000);
        String zero = "export acme 2026-03-13 [--------------------]   0.0% of 1,000 rows  users 0  events 0  0 B";
        String some = "export acme 2026-03-13 [##------------------]  12.3% of 1,000 rows  users 123  events 0"
                + "  1023.0 KiB";
        String more = "export acme 2026-03-13 [####----------------]  20.0% of 1,000 rows  users 200  events 0"
                + "  1.0 MiB";
        String done = "export acme 2026-03-13 [####################] 100.0% of 1,000 rows  users 300  events 600"
                + "  1.4 MiB";
        // a shorter line blanks what is left of the longer one before it
        assertEquals("\r" + zero + "\r" + some + "\r" + more + "   " + "\r" + done + "\n", shown());
    }

    @Test
    void aFailureEndsTheLineBeingRedrawnAndNothingElse() {
        TerminalProgress p = new TerminalProgress(out, true, "export acme 2026-03-13", clock::get);
        p.expected(10);
        p.failed();
        assertEquals(true, shown().endsWith(" 0 B\n"), shown());

        bytes.reset();
        TerminalProgress lines = new TerminalProgress(out, false, "export acme 2026-03-13", clock::get);
        lines.expected(10);
        lines.failed();
        assertEquals("export acme 2026-03-13   0.0% of 10 rows  users 0  events 0  0 B\n", shown());
    }

    @Test
    void bytesAsPeopleReadThem() {
        assertEquals("1023 B", TerminalProgress.bytes(1023));
        assertEquals("1.0 KiB", TerminalProgress.bytes(1024));
        assertEquals("1.5 GiB", TerminalProgress.bytes(3L * 1024 * 1024 * 1024 / 2));
    }
}
