package io.consentvault.export.write;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.consentvault.export.run.ExportRunner;
import io.consentvault.support.Events;
import io.consentvault.support.S3Server;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 destination against a real S3-compatible server ({@link S3Server}): a file larger than a part goes up as a
 * multipart upload while it is written and appears whole only once committed; a small one is one object; an aborted
 * one leaves nothing; listing sees the names directly under a directory; bad settings are errors that say what is
 * wrong.
 */
class S3DestinationTest {

    static final String BUCKET = "consent-unit";

    static S3Client reader;

    @BeforeAll
    static void server() {
        reader = S3Server.client(S3Server.endpoint());
        S3Server.bucket(reader, BUCKET);
    }

    @AfterAll
    static void closeReader() {
        reader.close();
    }

    /** A destination under a prefix of its own, opened as the runner opens it but with parts of S3's least size. */
    static S3Destination under(String prefix) {
        return opened("s3://" + BUCKET + "/" + prefix);
    }

    static S3Destination opened(String uri) {
        return S3Destination.open(URI.create(uri), Optional.of(S3Server.endpoint().toString()),
                S3Destination.MIN_PART_SIZE);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes in uneven pieces, single bytes among them, as a gzip stream does. */
    static void write(OutputStream out, byte[] bytes) throws IOException {
        int at = 0;
        int piece = 1;
        while (at < bytes.length) {
            if (piece % 7 == 0) {
                out.write(bytes[at++]);
            } else {
                int n = Math.min(bytes.length - at, piece * 4099);
                out.write(bytes, at, n);
                at += n;
            }
            piece = piece % 300 + 1;
        }
    }

    static List<String> keys(String prefix) {
        return reader.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key)
                .toList();
    }

    static List<String> uploadsInProgress(String prefix) {
        return reader.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().stream()
                .map(u -> u.key()).toList();
    }

    @Test
    void aFileOfSeveralPartsIsSentWhileWrittenAndAppearsWholeOnlyOnCommit() throws Exception {
        String prefix = Events.unique("multi");
        byte[] bytes = random(2 * S3Destination.MIN_PART_SIZE + 12_345, 1);
        try (S3Destination s3 = under(prefix)) {
            Destination.Output out = s3.create("d/users/part-00000.json.gz");
            write(out.stream(), bytes);
            assertEquals(List.of(prefix + "/d/users/part-00000.json.gz"), uploadsInProgress(prefix),
                    "two full parts are sent before the file ends");
            assertEquals(List.of(), keys(prefix), "nothing under the name before the commit");
            out.commit();

            assertArrayEquals(bytes, reader.getObjectAsBytes(r -> r.bucket(BUCKET)
                    .key(prefix + "/d/users/part-00000.json.gz")).asByteArray());
            assertTrue(reader.headObject(r -> r.bucket(BUCKET).key(prefix + "/d/users/part-00000.json.gz")).eTag()
                    .endsWith("-3\""), "three parts");
            assertEquals(List.of(), uploadsInProgress(prefix));
            assertEquals(List.of("part-00000.json.gz"), s3.list("d/users"));
        }
    }

    @Test
    void aFileThatFitsInOnePartIsOneObject() throws Exception {
        String prefix = Events.unique("small");
        byte[] bytes = random(70_001, 2);
        try (S3Destination s3 = under(prefix)) {
            Destination.Output out = s3.create("manifest.json");
            write(out.stream(), bytes);
            assertEquals(List.of(), uploadsInProgress(prefix), "no multipart upload for a file of one part");
            assertEquals(List.of(), keys(prefix));
            out.commit();
            assertArrayEquals(bytes, reader.getObjectAsBytes(r -> r.bucket(BUCKET).key(prefix + "/manifest.json"))
                    .asByteArray());
            assertFalse(reader.headObject(r -> r.bucket(BUCKET).key(prefix + "/manifest.json")).eTag().contains("-"),
                    "a plain object, not a multipart one");
        }
    }

    @Test
    void anEmptyFileAndAFileOfExactlyOnePartAreWhole() throws Exception {
        String prefix = Events.unique("edges");
        byte[] exact = random(S3Destination.MIN_PART_SIZE, 3);
        try (S3Destination s3 = under(prefix)) {
            s3.create("empty").commit();
            Destination.Output out = s3.create("exact");
            write(out.stream(), exact);
            out.commit();
            assertArrayEquals(new byte[0], reader.getObjectAsBytes(r -> r.bucket(BUCKET).key(prefix + "/empty"))
                    .asByteArray());
            assertArrayEquals(exact, reader.getObjectAsBytes(r -> r.bucket(BUCKET).key(prefix + "/exact"))
                    .asByteArray());
        }
    }

    @Test
    void anAbortedFileLeavesNothingVisible() throws Exception {
        String prefix = Events.unique("abort");
        try (S3Destination s3 = under(prefix)) {
            Destination.Output big = s3.create("d/big");
            write(big.stream(), random(S3Destination.MIN_PART_SIZE + 1_000, 4));
            assertEquals(List.of(prefix + "/d/big"), uploadsInProgress(prefix));
            big.abort();
            Destination.Output small = s3.create("d/small");
            write(small.stream(), random(1_000, 5));
            small.abort();

            assertEquals(List.of(), uploadsInProgress(prefix), "the multipart upload is aborted");
            assertEquals(List.of(), keys(prefix));
            assertEquals(List.of(), s3.list("d"));
            assertThrows(NoSuchKeyException.class, () -> reader.getObject(r -> r.bucket(BUCKET)
                    .key(prefix + "/d/big")));
            assertThrows(IOException.class, () -> big.stream().write(1), "an aborted file takes nothing more");
        }
    }

    @Test
    void aFileThatCannotBeStoredFailsItsCommitAndTakesNothingMore() throws Exception {
        try (S3Destination s3 = opened("s3://no-such-bucket/p")) {
            Destination.Output out = s3.create("f");
            out.stream().write(new byte[]{1, 2, 3});
            IOException failed = assertThrows(IOException.class, out::commit);
            assertTrue(failed.getMessage().startsWith("s3://no-such-bucket/p/f could not be written"),
                    failed.getMessage());
            assertThrows(IOException.class, out::commit);
            out.abort();
        }
    }

    @Test
    void listNamesTheFilesDirectlyUnderADirectory() throws Exception {
        String prefix = Events.unique("list");
        try (S3Destination s3 = under(prefix)) {
            for (String path : List.of("d/a", "d/b", "d/sub/c", "dx/e", "f")) {
                Destination.Output out = s3.create(path);
                out.stream().write(path.getBytes());
                out.commit();
            }
            assertEquals(List.of("a", "b"), s3.list("d").stream().sorted().toList());
            assertEquals(List.of("c"), s3.list("d/sub"));
            assertEquals(List.of(), s3.list("none"));
        }
    }

    @Test
    void aFileIsNamedByItsS3Uri() {
        try (S3Destination s3 = under("exports/daily")) {
            assertEquals("s3://" + BUCKET + "/exports/daily/export-id=o/date=2026-01-02/manifest.json",
                    s3.uri("export-id=o/date=2026-01-02/manifest.json"));
        }
        try (S3Destination s3 = opened("s3://" + BUCKET)) {
            assertEquals("s3://" + BUCKET + "/d/f", s3.uri("d/f"));
        }
    }

    @Test
    void aDestinationIsReadFromItsUri() {
        assertEquals(new S3Destination.Location("bucket", "a/b"),
                S3Destination.Location.of(URI.create("s3://bucket/a/b/")));
        assertEquals(new S3Destination.Location("bucket", ""), S3Destination.Location.of(URI.create("s3://bucket")));
    }

    @Test
    void aBadDestinationSettingIsAnErrorThatSaysWhatIsWrong() {
        Optional<String> none = Optional.empty();
        for (String[] bad : new String[][]{
                {"ftp://host/dir", "is file:///path or s3://bucket/prefix"},
                {"/plain/path", "is file:///path or s3://bucket/prefix"},
                {"s3:///prefix", "names its bucket"},
                {"s3://bucket/prefix?versioning=on", "has no query"},
                {"file://host/dir", "is file:///path"},
                {"s3://bucket/a b", "is not a URI"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExportRunner.check(bad[0], none), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains(bad[0]), e.getMessage());
        }
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
                () -> ExportRunner.check("s3://AKIAEXAMPLE:s3cr3t@bucket/prefix", none));
        assertTrue(secret.getMessage().contains("carries no credentials")
                && !secret.getMessage().contains("s3cr3t") && !secret.getMessage().contains("AKIAEXAMPLE"),
                secret.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportRunner.check("s3://bucket/p", Optional.of("localhost:9000")));
        assertTrue(e.getMessage().contains("http(s)://host[:port]"), e.getMessage());
        ExportRunner.check("s3://bucket/p", Optional.of("http://127.0.0.1:9000"));
        ExportRunner.check("file:///var/exports", none);
    }
}
