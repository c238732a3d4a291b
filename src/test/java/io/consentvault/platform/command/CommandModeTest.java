package io.consentvault.platform.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which command lines run a command, which commands exist, and how a failure is told in one line. */
class CommandModeTest {

    @Test
    void aFirstArgumentThatIsNoOptionNamesACommand() {
        assertTrue(CommandMode.wanted("export", "--org", "acme"));
        assertFalse(CommandMode.wanted(), "no argument: the service");
        assertFalse(CommandMode.wanted("-Dquarkus.http.host=0.0.0.0"), "the native image's entry point: the service");
    }

    @Test
    void aCommandLineIsCheckedBeforeAnythingStarts() {
        // through the command lines the features list in META-INF/services
        assertEquals(Command.DONE, CommandMode.check("export", "--help"), "the usage was asked for");
        assertEquals(Command.USAGE, CommandMode.check("export", "--org", "acme"), "bad arguments");
        assertEquals(Command.USAGE, CommandMode.check("exprot", "--help"), "an unknown command");
        assertEquals(-1, CommandMode.check("export", "--org", "acme", "--date", "2026-01-02", "--to", "file:///tmp/x"),
                "the command may run");
    }

    @Test
    void anUnknownCommandIsABadArgument() throws Exception {
        Command export = new Command() {
            @Override
            public String name() {
                return "export";
            }

            @Override
            public int run(List<String> args) {
                return args.equals(List.of("--org", "acme")) ? 42 : -1;
            }
        };
        CommandMode mode = new CommandMode(List.of(export));
        assertEquals(42, mode.run("export", "--org", "acme"), "the command runs with the arguments after its name");
        assertEquals(Command.USAGE, mode.run("exprot"));
    }

    @Test
    void aFailureInOneLine() {
        // the database's own words, not the wrappers' class names
        assertEquals("FATAL: database \"nope\" does not exist (3D000)", CommandMode.oneLine(new ExecutionException(
                new IllegalStateException("FATAL: database \"nope\" does not exist (3D000)"))));
        // the wrapper that only adds to its cause says more
        assertEquals("Connection refused: /127.0.0.1:1", CommandMode.oneLine(new ExecutionException(
                "io.netty.X: Connection refused: /127.0.0.1:1",
                new IOException("Connection refused: /127.0.0.1:1", new ConnectException("Connection refused")))));
        // a file system failure names its kind as well as the file
        assertEquals("NotDirectoryException: /tmp/f/export-id=a", CommandMode.oneLine(
                new UncheckedIOException(new NotDirectoryException("/tmp/f/export-id=a"))));
        assertEquals("first second", CommandMode.oneLine(new IllegalStateException("first\n  second\n")));
        assertEquals("NullPointerException", CommandMode.oneLine(new NullPointerException()));
    }
}
