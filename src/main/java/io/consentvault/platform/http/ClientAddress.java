package io.consentvault.platform.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client IP of a request, as proof of consent. {@code X-Forwarded-For} is believed only when the connection comes
 * from a configured trusted proxy; then the address is the right-most one in the header that is not itself a trusted
 * proxy. What is kept of it is a setting ({@link Storage}). Its settings are passed in by the feature that configures
 * it. Thread-safe; event loop.
 */
public class ClientAddress {

    /** What is stored of the client IP. */
    public enum Storage {
        /** the address as seen: the strongest proof */
        FULL,
        /** IPv4 to its /24, IPv6 to its /48: locates the network, not the device */
        TRUNCATED,
        /** an HMAC of the address with a secret: proves a match without revealing it */
        HASHED,
        /** nothing */
        NONE
    }

    private final List<Cidr> trusted;
    private final Storage storage;
    private final javax.crypto.spec.SecretKeySpec hashKey;

    /**
     * @param trustedProxies addresses or CIDR blocks of the proxies whose {@code X-Forwarded-For} is believed
     * @param hashSecret the secret of {@link Storage#HASHED} (required then)
     * @throws IllegalArgumentException when {@code HASHED} has no secret, or a proxy is not an address or block
     */
    public ClientAddress(List<String> trustedProxies, Storage storage, String hashSecret) {
        this.storage = storage;
        if (storage == Storage.HASHED && (hashSecret == null || hashSecret.isBlank())) {
            throw new IllegalArgumentException("hashed client addresses need a secret");
        }
        this.hashKey = hashSecret == null
                ? null
                : new javax.crypto.spec.SecretKeySpec(
                        hashSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256");
        List<Cidr> cidrs = new ArrayList<>();
        trustedProxies.forEach(s -> cidrs.add(Cidr.parse(s.trim())));
        this.trusted = List.copyOf(cidrs);
    }

    /** The client IP of the request as it is to be stored (full, truncated, hashed, or null). */
    public String stored(HttpServerRequest request) {
        String ip = of(request);
        if (ip == null) {
            return null;
        }
        return switch (storage) {
            case FULL -> ip;
            case NONE -> null;
            case TRUNCATED -> truncate(ip);
            case HASHED -> hash(ip);
        };
    }

    static String truncate(String ip) {
        byte[] address = parse(ip);
        if (address == null) {
            return null;
        }
        int keep = address.length == 4 ? 3 : 6;
        for (int i = keep; i < address.length; i++) {
            address[i] = 0;
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private String hash(String ip) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            byte[] digest = mac.doFinal(ip.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "hmac:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the request's peer is a trusted proxy, whose headers about the client are believed. */
    public boolean fromTrustedProxy(HttpServerRequest request) {
        String peer = peer(request);
        return peer != null && !trusted.isEmpty() && isTrusted(peer);
    }

    private static String peer(HttpServerRequest request) {
        SocketAddress remote = request.connection() != null
                ? request.connection().remoteAddress()
                : request.remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

    /** The client IP of a request: the peer, or what a trusted proxy says. */
    public String of(HttpServerRequest request) {
        String peer = peer(request);
        if (peer == null || trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        // several header lines are one list, in order (RFC 9110 5.3)
        List<String> lines = request.headers().getAll("X-Forwarded-For");
        String forwarded = lines.size() == 1 ? lines.get(0) : String.join(",", lines);
        if (forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            byte[] address = parse(hop);
            if (address == null) {
                return peer;
            }
            if (i == 0 || !isTrusted(address)) {
                return canonical(address);
            }
        }
        return peer;
    }

    private boolean isTrusted(String ip) {
        byte[] address = parse(ip);
        return address != null && isTrusted(address);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String canonical(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Parses an IP literal and nothing else, never resolving a name (this runs on the event loop): IPv4 only as four
     * decimal numbers (no {@code 10.1}, {@code 0177.0.0.1} or other legacy forms, which a proxy never writes), IPv6 in
     * any standard form (a text with a colon is never looked up as a name).
     */
    static byte[] parse(String ip) {
        if (ip.isEmpty() || ip.length() > 45) {
            return null;
        }
        if (ip.indexOf(':') < 0) {
            return ipv4(ip);
        }
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String ip) {
        byte[] address = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= ip.length(); i++) {
            char c = i == ip.length() ? '.' : ip.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 4 || (digits > 1 && ip.charAt(i - digits) == '0')) {
                    return null;
                }
                address[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
                digits++;
            } else {
                return null;
            }
        }
        return part == 4 ? address : null;
    }

    record Cidr(byte[] network, int bits) {
        static Cidr parse(String spec) {
            int slash = spec.indexOf('/');
            byte[] address = ClientAddress.parse(slash < 0 ? spec : spec.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("consent.ingest.trusted-proxies: not an IP or CIDR: " + spec);
            }
            int bits = slash < 0 ? address.length * 8 : Integer.parseInt(spec.substring(slash + 1));
            return new Cidr(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest);
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
