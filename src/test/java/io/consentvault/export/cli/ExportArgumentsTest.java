package io.consentvault.export.cli;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arguments of {@code export}, parsed by hand: what runs, what is refused and with which message. */
class ExportArgumentsTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 14);

    static ExportArguments parse(String line) throws ExportArguments.UsageException {
        return ExportArguments.parse(line.isEmpty() ? List.of() : List.of(line.split(" ")), TODAY);
    }

    @Test
    void theThreeOptionsInAnyOrderAndEitherForm() throws Exception {
        ExportArguments a = parse("--to file:///tmp/out --date=2026-03-13 --org acme");
        assertEquals("acme", a.organizationId());
        assertEquals(LocalDate.of(2026, 3, 13), a.date());
        assertEquals("file:///tmp/out", a.to());
        assertFalse(a.help());
        assertEquals(TODAY, parse("--org acme --date 2026-03-14 --to=s3://bucket/prefix").date(), "today is allowed");
    }

    @Test
    void helpWinsOverAnythingElse() throws Exception {
        assertTrue(parse("--help").help());
        assertTrue(parse("-h").help());
        assertTrue(parse("--org acme --frobnicate --help").help());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''|--org is missing",
            "--org acme --date 2026-03-13|--to is missing",
            "--org acme --to file:///x|--date is missing",
            "--org acme --date 2026-03-13 --to file:///x --frobnicate|unknown option --frobnicate",
            "--org acme --date 2026-03-13 --to file:///x -v|unknown option -v",
            "--org acme --date 2026-03-13 --to file:///x extra|unexpected argument 'extra'",
            "--org acme --date 2026-03-13 --to|--to needs a value",
            "--org --date 2026-03-13 --to file:///x|--org needs a value",
            "--org= --date 2026-03-13 --to file:///x|--org is empty",
            "--org a --org b --date 2026-03-13 --to file:///x|--org is given twice",
            "--org acme --date 2026-3-13 --to file:///x|--date must be a day, YYYY-MM-DD: '2026-3-13'",
            "--org acme --date 2026-02-30 --to file:///x|--date must be a day, YYYY-MM-DD: '2026-02-30'",
            "--org acme --date yesterday --to file:///x|--date must be a day, YYYY-MM-DD: 'yesterday'",
            "--org acme --date 2026-03-15 --to file:///x|--date 2026-03-15 is after today (2026-03-14, UTC)"})
    void badArgumentsAreRefusedSayingWhy(String line, String message) {
        ExportArguments.UsageException e = assertThrows(ExportArguments.UsageException.class, () -> parse(line));
        assertEquals(message, e.getMessage());
    }

    @Test
    void theUsageNamesEveryOptionAndTheExitCodes() {
        for (String part : List.of("--org", "--date", "--to", "file:///", "s3://", "QUARKUS_DATASOURCE_REACTIVE_URL",
                "0 exported, 1 the export failed, 2 bad arguments")) {
            assertTrue(ExportArguments.USAGE.contains(part), part);
        }
    }
}
