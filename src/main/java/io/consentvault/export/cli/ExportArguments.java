package io.consentvault.export.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@code export}: {@code --org ID --date YYYY-MM-DD --to URI} (each also as {@code --name=value}, in
 * any order), or {@code --help}. Anything else is refused.
 */
record ExportArguments(String organizationId, LocalDate date, String to, boolean help) {

    static final String USAGE = """
            usage: java -jar quarkus-run.jar export --org ID --date YYYY-MM-DD --to URI

            Exports one organization's UTC day, as the daily export does (the users' latest states and the events
            received that day), from the service's database to URI, then prints the URI of its manifest.
              --org ID            the organization
              --date YYYY-MM-DD   the UTC day, today at most (today: the events received until now)
              --to URI            file:///path or s3://bucket/prefix
            The database is the service's: QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_USERNAME and
            QUARKUS_DATASOURCE_PASSWORD, or the embedded default with CONSENT_EMBEDDED_POSTGRES=true.
            Exit codes: 0 exported, 1 the export failed, 2 bad arguments.
            """;

    private static final ExportArguments HELP = new ExportArguments(null, null, null, true);
    private static final List<String> OPTIONS = List.of("--org", "--date", "--to");

    /** Arguments that cannot run: the message says what is wrong, in one line. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The arguments that follow {@code export}; {@code today} is the UTC day it is. */
    static ExportArguments parse(List<String> args, LocalDate today) {
        if (args.contains("--help") || args.contains("-h")) {
            return HELP;
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (!OPTIONS.contains(name)) {
                throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name
                        : "unexpected argument '" + arg + "'");
            }
            String value;
            if (name.length() < arg.length()) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new UsageException(name + " needs a value");
            }
            if (value.isBlank()) {
                throw new UsageException(name + " is empty");
            }
            if (given.putIfAbsent(name, value) != null) {
                throw new UsageException(name + " is given twice");
            }
        }
        for (String option : OPTIONS) {
            if (!given.containsKey(option)) {
                throw new UsageException(option + " is missing");
            }
        }
        return new ExportArguments(given.get("--org"), day(given.get("--date"), today), given.get("--to"), false);
    }

    private static LocalDate day(String text, LocalDate today) {
        LocalDate date;
        try {
            if (!text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new DateTimeParseException("not YYYY-MM-DD", text, 0);
            }
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException("--date must be a day, YYYY-MM-DD: '" + text + "'");
        }
        if (date.isAfter(today)) {
            throw new UsageException("--date " + date + " is after today (" + today + ", UTC)");
        }
        return date;
    }
}
