package io.consentvault.export.write;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where an export's files go. A file is invisible under its name until it is complete: {@link #create} writes it
 * aside, and {@link Output#commit} makes it appear whole (a reader trusting the manifest never sees a partial file).
 * Paths are relative to the destination, with {@code /}. Used by one run at a time, on the runner's thread, and closed
 * when the run ends.
 */
public interface Destination extends AutoCloseable {

    /** A new file at {@code path}, invisible until committed. */
    Output create(String path) throws IOException;

    /** The names of the files directly under {@code dir} (none when it does not exist). */
    java.util.List<String> list(String dir) throws IOException;

    /** How a file is named to a reader: a URI. */
    String uri(String path);

    /** Releases what the destination holds (an S3 client); nothing to release for a directory. */
    @Override
    default void close() {
    }

    /** A file being written. */
    interface Output {

        OutputStream stream();

        /** Makes the file appear, whole and durable, under its name. */
        void commit() throws IOException;

        /** Drops what was written. */
        void abort();
    }
}
