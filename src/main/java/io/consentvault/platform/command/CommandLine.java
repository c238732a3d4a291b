package io.consentvault.platform.command;

import java.util.List;

/**
 * What a {@link Command} accepts, checked by the entry point before anything starts (Quarkus, an embedded database,
 * a connection), so that {@code --help} and bad arguments are answered at once, with no database configured. The
 * entry point knows no feature: a feature lists its command lines in
 * {@code META-INF/services/io.consentvault.platform.command.CommandLine} ({@link java.util.ServiceLoader}; native
 * images register those too). An implementation has a public constructor without parameters.
 */
public interface CommandLine {

    /** The first argument, which names the command (the {@link Command#name()} of its command). */
    String name();

    /** How to call the command: printed on standard output when asked for, on standard error after bad arguments. */
    String usage();

    /**
     * Checks the arguments that follow the name: true when they ask for the usage, false when the command may run.
     *
     * @throws IllegalArgumentException saying in one line what is wrong with them
     */
    boolean asksForUsage(List<String> args);
}
