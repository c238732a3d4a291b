package io.consentvault.platform.http;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

import com.maxmind.db.Reader;

import io.vertx.core.http.HttpServerRequest;

/**
 * The country of the connection a request came from (the export layout's {@code last_seen_country}): what a trusted
 * edge proxy says in its country header, else the country of the client IP in a MaxMind DB file, else none. The
 * header is believed only when the peer is a trusted proxy of {@link ClientAddress}; the file is looked up with the
 * full client IP, before privacy truncates or hashes what is stored of it. A lookup reads a memory-mapped file and
 * never blocks on the network. Thread-safe; event loop.
 */
public final class ConnectionCountry implements AutoCloseable {

    private final ClientAddress address;
    private final String header;
    private final Reader database;

    /**
     * @param header the trusted proxies' country header, or null
     * @param database a MaxMind DB file whose records hold {@code country.iso_code}, or null
     * @throws IllegalStateException when the file cannot be read as a MaxMind DB
     */
    public ConnectionCountry(ClientAddress address, String header, String database) {
        this.address = address;
        this.header = header == null || header.isBlank() ? null : header.trim();
        this.database = database == null || database.isBlank() ? null : open(database.trim());
    }

    private static Reader open(String path) {
        try {
            return new Reader(new File(path), Reader.FileMode.MEMORY_MAPPED);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the country database " + path + " is not a readable MaxMind DB file: "
                    + e.getMessage(), e);
        }
    }

    /** The request's country, an ISO 3166-1 alpha-2 code, or null when nothing tells it. */
    public String of(HttpServerRequest request) {
        if (header != null && address.fromTrustedProxy(request)) {
            String told = code(request.getHeader(header));
            if (told != null) {
                return told;
            }
        }
        if (database == null) {
            return null;
        }
        String ip = address.of(request);
        return ip == null ? null : lookup(ip);
    }

    /** The country of an IP in the database; null when it has none (or the IP's family is not in the file). */
    String lookup(String ip) {
        byte[] bytes = ClientAddress.parse(ip);
        if (bytes == null || database == null) {
            return null;
        }
        try {
            Map<?, ?> record = database.get(InetAddress.getByAddress(bytes), Map.class);
            if (record == null) {
                return null;
            }
            String country = isoCode(record.get("country"));
            // an address of an anycast or satellite network has only the country it is registered in
            return country != null ? country : isoCode(record.get("registered_country"));
        } catch (IOException | RuntimeException e) {
            // an IPv6 address in an IPv4-only database, or a damaged record: the country is not known
            return null;
        }
    }

    private static String isoCode(Object country) {
        return country instanceof Map<?, ?> map && map.get("iso_code") instanceof String code ? code(code) : null;
    }

    /**
     * An ISO 3166-1 alpha-2 code in upper case; null for anything else, among them the placeholders proxies send for
     * an unknown origin ({@code XX}) or Tor ({@code T1}).
     */
    static String code(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() != 2) {
            return null;
        }
        char a = Character.toUpperCase(v.charAt(0));
        char b = Character.toUpperCase(v.charAt(1));
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || (a == 'X' && b == 'X')) {
            return null;
        }
        return new String(new char[]{a, b});
    }

    @Override
    public void close() {
        if (database != null) {
            try {
                database.close();
            } catch (IOException ignored) {
                // a memory-mapped file is unmapped with the reader; nothing is written
            }
        }
    }
}
