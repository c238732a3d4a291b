package io.consentvault.platform.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.consentvault.support.CountryDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The connection's country over real HTTP (a Vert.x server, requests from 127.0.0.1) and a real MaxMind DB file: a
 * trusted proxy's header first, then the client IP in the database, and a header from anyone else ignored.
 */
class ConnectionCountryTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Path database;
    static Vertx vertx;

    @BeforeAll
    static void writeDatabase() throws Exception {
        database = new CountryDatabase().network("198.51.100.0/24", "FR").network("203.0.113.128/25", "JP")
                .network("127.0.0.0/8", "ZZ").write(dir.resolve("countries.mmdb"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theDatabaseGivesTheCountryOfEachNetworkAndNothingOutsideThem() {
        try (ConnectionCountry country = new ConnectionCountry(new ClientAddress(List.of(), ClientAddress.Storage.FULL,
                null), null, database.toString())) {
            assertEquals("FR", country.lookup("198.51.100.7"));
            assertEquals("FR", country.lookup("198.51.100.255"));
            assertEquals("JP", country.lookup("203.0.113.200"));
            assertNull(country.lookup("203.0.113.100"), "the lower half of that block is not in the file");
            assertNull(country.lookup("192.0.2.1"));
            assertNull(country.lookup("2001:db8::1"), "an IPv6 address in an IPv4-only file is not known");
            assertNull(country.lookup("not an ip"));
        }
    }

    @Test
    void onlyTwoLetterCodesAreCountries() {
        assertEquals("BE", ConnectionCountry.code("be"));
        assertEquals("DE", ConnectionCountry.code(" DE "));
        assertNull(ConnectionCountry.code("XX"), "Cloudflare's unknown");
        assertNull(ConnectionCountry.code("T1"), "Cloudflare's Tor");
        assertNull(ConnectionCountry.code("FRA"));
        assertNull(ConnectionCountry.code(""));
        assertNull(ConnectionCountry.code(null));
    }

    @Test
    void aFileThatIsNotADatabaseStopsTheStart() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database");
        ClientAddress address = new ClientAddress(List.of(), ClientAddress.Storage.FULL, null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ConnectionCountry(address, null, junk.toString()));
        assertEquals(true, e.getMessage().contains(junk.toString()), e.getMessage());
    }

    @Test
    void aTrustedProxysHeaderWinsThenTheForwardedClientIpIsLookedUp() throws Exception {
        ClientAddress trusting = new ClientAddress(List.of("127.0.0.1/32"), ClientAddress.Storage.NONE, null);
        try (ConnectionCountry country = new ConnectionCountry(trusting, "CF-IPCountry", database.toString())) {
            int port = serve(country);
            assertEquals("BE", ask(port, "CF-IPCountry", "be", "X-Forwarded-For", "198.51.100.7"));
            assertEquals("FR", ask(port, "X-Forwarded-For", "198.51.100.7"), "no header: the client IP's country,"
                    + " whatever privacy keeps of the address");
            assertEquals("FR", ask(port, "CF-IPCountry", "XX", "X-Forwarded-For", "198.51.100.7"));
            assertEquals("ZZ", ask(port), "no proxy header: the peer itself");
        }
    }

    @Test
    void aHeaderFromAnUntrustedPeerIsIgnored() throws Exception {
        ClientAddress untrusting = new ClientAddress(List.of("10.0.0.0/8"), ClientAddress.Storage.FULL, null);
        try (ConnectionCountry country = new ConnectionCountry(untrusting, "CF-IPCountry", null)) {
            int port = serve(country);
            assertEquals("none", ask(port, "CF-IPCountry", "BE", "X-Forwarded-For", "198.51.100.7"));
        }
        try (ConnectionCountry country = new ConnectionCountry(untrusting, "CF-IPCountry", database.toString())) {
            int port = serve(country);
            assertEquals("ZZ", ask(port, "CF-IPCountry", "BE", "X-Forwarded-For", "198.51.100.7"),
                    "the peer's own address, not the one it claims");
        }
    }

    /** A server answering each request with its country ("none" for null); its port. */
    private static int serve(ConnectionCountry country) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            String c = country.of(request);
            request.response().end(c == null ? "none" : c);
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private static String ask(int port, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
