package io.consentvault.platform.command;

import java.util.List;

/**
 * A one-shot command of the packaged jar, {@code java -jar quarkus-run.jar <name> [arguments]} (see
 * {@link CommandMode}): a CDI bean, run once, on the main thread, after Quarkus started without the service's work.
 * What it prints on standard output is its answer; progress and errors go to standard error.
 */
public interface Command {

    /** Done. */
    int DONE = 0;

    /** The work failed: one line on standard error says why. */
    int FAILED = 1;

    /** Bad arguments: one line says which, then the usage. */
    int USAGE = 2;

    /** The first argument of the command line, which names the command. */
    String name();

    /** Runs with the arguments that follow its name; answers the exit code. */
    int run(List<String> args) throws Exception;
}
