package io.consentvault.platform.command;

import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import jakarta.inject.Singleton;

import io.quarkus.arc.All;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The packaged jar run as a one-shot command rather than as the service: the entry point calls {@link #check} and
 * {@link #prepare} before anything starts, then runs Quarkus in command mode with this application and {@link #exit}
 * as its exit handler. The process does none of the service's work (no HTTP listener, no scheduled job, no migration,
 * no {@code ServiceStart}); the {@link Command} named by the first argument runs on the main thread, and its answer is
 * the exit code.
 */
@Singleton
@Unremovable
public class CommandMode implements QuarkusApplication {

    /** The command this process runs; absent when it is the service. Set by {@link #prepare} only. */
    public static final String PROPERTY = "consent.command";

    private final List<Command> commands;

    public CommandMode(@All List<Command> commands) {
        this.commands = commands;
    }

    /**
     * Whether the command line names a command. The service takes no argument but JVM options (the native image's
     * entry point passes {@code -D...}), so any other first argument is a command's name.
     */
    public static boolean wanted(String... args) {
        return args.length > 0 && !args[0].startsWith("-");
    }

    /**
     * Checks a command line before anything starts ({@link CommandLine}): answers the exit code when the process is
     * to stop here (the usage was asked for: {@link Command#DONE}; an unknown command or bad arguments, said on
     * standard error: {@link Command#USAGE}), or -1 when the command may run.
     */
    public static int check(String... args) {
        String name = args[0];
        List<String> names = new ArrayList<>();
        for (CommandLine line : ServiceLoader.load(CommandLine.class, CommandMode.class.getClassLoader())) {
            names.add(line.name());
            if (!line.name().equals(name)) {
                continue;
            }
            try {
                if (line.asksForUsage(List.of(args).subList(1, args.length))) {
                    System.out.print(line.usage());
                    return Command.DONE;
                }
                return -1;
            } catch (IllegalArgumentException e) {
                System.err.println(name + ": " + e.getMessage());
                System.err.print(line.usage());
                return Command.USAGE;
            }
        }
        System.err.println(unknown(name, names));
        return Command.USAGE;
    }

    /** Configures the process for the command {@code name}; called before Quarkus starts. */
    public static void prepare(String name) {
        System.setProperty(PROPERTY, name);
        // none of the service's work; a command reads the schema the service migrates, it does not change it
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.scheduler.enabled", "false");
        System.setProperty("quarkus.flyway.migrate-at-start", "false");
        // Hibernate would connect at start to check the server's version: a wrong database is the command's to report
        System.setProperty("quarkus.hibernate-orm.database.start-offline", "true");
        // standard output carries the command's answer only
        System.setProperty("quarkus.log.console.stderr", "true");
        System.setProperty("quarkus.banner.enabled", "false");
        if (System.getProperty("quarkus.log.level") == null && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            System.setProperty("quarkus.log.level", "ERROR");
        }
    }

    @Override
    public int run(String... args) throws Exception {
        String name = args[0];
        for (Command command : commands) {
            if (command.name().equals(name)) {
                return command.run(List.of(args).subList(1, args.length));
            }
        }
        System.err.println(unknown(name, commands.stream().map(Command::name).toList()));
        return Command.USAGE;
    }

    private static String unknown(String name, List<String> names) {
        return "unknown command '" + name + "'; the commands are: "
                + String.join(", ", names.stream().sorted().toList())
                + " (with no argument the jar runs the service)";
    }

    /**
     * The exit handler of a command's process. Given a handler, Quarkus reports nothing itself: a start that failed,
     * or a command that threw, is told here in one line.
     */
    public static void exit(int code, Throwable failure) {
        if (failure != null) {
            System.err.println(System.getProperty(PROPERTY, "command") + " failed: " + oneLine(failure));
        }
        System.exit(code);
    }

    /**
     * What went wrong, in one line: the innermost cause that says something, or the one around it when that only adds
     * to it ({@code Connection refused: /127.0.0.1:5432} around {@code Connection refused}), with the file a file
     * system refused.
     */
    public static String oneLine(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t) && chain.size() < 32; t = t.getCause()) {
            chain.add(t);
        }
        int said = -1;
        for (int i = chain.size() - 1; i >= 0 && said < 0; i--) {
            if (chain.get(i).getMessage() != null && !chain.get(i).getMessage().isBlank()) {
                said = i;
            }
        }
        if (said < 0) {
            return chain.get(chain.size() - 1).getClass().getSimpleName();
        }
        while (said > 0 && chain.get(said - 1).getMessage() != null
                && chain.get(said - 1).getMessage().startsWith(chain.get(said).getMessage())) {
            said--;
        }
        Throwable t = chain.get(said);
        String message = t instanceof FileSystemException
                ? t.getClass().getSimpleName() + ": " + t.getMessage()
                : t.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
