package io.consentvault.platform.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * The directory of PostgreSQL programs the embedded server runs from.
 * <p>
 * It is {@code CONSENT_POSTGRES_BIN} (a directory, or {@code shipped}), else the machine's newest
 * {@code /usr/lib/postgresql/N/bin} that has {@code postgres} and {@code initdb}, else the PostgreSQL distribution
 * shipped through Maven, unpacked once into {@code ~/.cache/consent-vault/postgres-<version>} (under
 * {@code /var/cache/consent-vault} when another user runs the server, who must read it) and reused while its
 * {@code .complete} marker is there.
 * <p>
 * Located by {@link PostgresCluster#start} on its caller's thread; never from an event loop.
 */
final class PostgresBinaries {

    private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);
    private static final String SHIPPED_ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String SHIPPED_VERSION = "15.10.0";

    private final Path dir;

    private PostgresBinaries(Path dir) {
        this.dir = dir;
    }

    /**
     * Finds the programs, unpacking the shipped ones if need be; {@code sharedWithOtherUser} when the server runs as
     * another user, who must be able to read what is unpacked.
     */
    static PostgresBinaries locate(boolean sharedWithOtherUser) {
        return new PostgresBinaries(locateDirectory(sharedWithOtherUser));
    }

    Path dir() {
        return dir;
    }

    /** A program of this installation ({@code initdb}, {@code pg_ctl}, {@code pg_dump}, ...). */
    Path program(String name) {
        return dir.resolve(name);
    }

    private static Path locateDirectory(boolean sharedWithOtherUser) {
        String explicit = System.getProperty("consent.postgres.bin", System.getenv("CONSENT_POSTGRES_BIN"));
        if ("shipped".equals(explicit)) {
            return extractShippedDistribution(sharedWithOtherUser);
        }
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path system = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(system)) {
            try (Stream<Path> versions = Files.list(system)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("postgres"))
                                && Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(PostgresBinaries::majorVersion));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                LOG.debugf("cannot list %s: %s", system, e.getMessage());
            }
        }
        return extractShippedDistribution(sharedWithOtherUser);
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Path extractShippedDistribution(boolean sharedWithOtherUser) {
        Path base = sharedWithOtherUser
                ? Path.of("/var/cache/consent-vault")
                : Path.of(System.getProperty("user.home"), ".cache", "consent-vault");
        Path target = base.resolve("postgres-" + SHIPPED_VERSION);
        Path marker = target.resolve(".complete");
        if (Files.exists(marker)) {
            return target.resolve("bin");
        }
        try (InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(SHIPPED_ARCHIVE)) {
            if (archive == null) {
                throw new IllegalStateException("no PostgreSQL on this machine and no shipped distribution on the"
                        + " class path; install PostgreSQL or set CONSENT_POSTGRES_BIN");
            }
            LOG.infof("extracting the shipped PostgreSQL %s into %s", SHIPPED_VERSION, target);
            Files.createDirectories(target);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZInputStream(new BufferedInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path out = target.resolve(entry.getName()).normalize();
                    if (!out.startsWith(target)) {
                        throw new IOException("archive entry escapes the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.deleteIfExists(out);
                        Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        boolean executable = (entry.getMode() & 0100) != 0;
                        out.toFile().setReadable(true, false);
                        out.toFile().setExecutable(executable, false);
                    }
                }
            }
            for (Path p = target; p != null && !p.equals(base.getParent()); p = p.getParent()) {
                p.toFile().setExecutable(true, false);
                p.toFile().setReadable(true, false);
            }
            try (Stream<Path> all = Files.walk(target)) {
                all.filter(Files::isDirectory).forEach(d -> {
                    d.toFile().setExecutable(true, false);
                    d.toFile().setReadable(true, false);
                });
            }
            Files.createFile(marker);
            return target.resolve("bin");
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the shipped PostgreSQL: " + e.getMessage(), e);
        }
    }
}
