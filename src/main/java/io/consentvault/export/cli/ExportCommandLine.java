package io.consentvault.export.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import io.consentvault.platform.command.CommandLine;

/** The command line of {@code export} ({@link ExportArguments}), checked before the process starts anything. */
public final class ExportCommandLine implements CommandLine {

    @Override
    public String name() {
        return ExportCommand.NAME;
    }

    @Override
    public String usage() {
        return ExportArguments.USAGE;
    }

    @Override
    public boolean asksForUsage(List<String> args) {
        return ExportArguments.parse(args, LocalDate.now(ZoneOffset.UTC)).help();
    }
}
