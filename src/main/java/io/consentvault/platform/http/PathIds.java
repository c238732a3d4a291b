package io.consentvault.platform.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Identifiers in paths taken exactly as sent. The HTTP layer normalises a path before routing (RFC 3986 5.2.4): a
 * segment {@code .} or {@code ..} (also written {@code %2E}) is removed with its parent, so a route can never see a user
 * id {@code ..}, and an empty segment matches no parameter. For the route templates features register, such a path is
 * routed with those segments replaced by a placeholder, and the ids as sent are kept for {@link #get}. Every other path
 * goes through untouched after a scan for {@code .}, {@code %} and {@code //}. Thread-safe; event loop.
 */
@ApplicationScoped
public class PathIds {

    private static final String KEY = "consent.path-ids";
    /** Survives normalisation ({@code %25} is not an unreserved character) and is never a real segment's spelling. */
    private static final String PLACEHOLDER = "%25%2E";

    private final List<String[]> templates = new CopyOnWriteArrayList<>();

    /** A route whose {@code {name}} segments are identifiers, e.g. {@code /v1/consents/users/{user_id}/events}. */
    public void template(String template) {
        templates.add(template.split("/", -1));
    }

    void register(@Observes Router router) {
        router.route().order(-1000).handler(this::route);
    }

    /**
     * The identifier {@code name} of this request as sent: the one kept for a path that had to be rerouted, else
     * {@code routed} (the route's own decoded parameter).
     */
    public static String get(RoutingContext rc, String name, String routed) {
        Map<String, String> kept = rc == null ? null : rc.get(KEY);
        return kept != null && kept.containsKey(name) ? kept.get(name) : routed;
    }

    private void route(RoutingContext rc) {
        String uri = rc.request().uri();
        if (uri == null || !mayNeedRouting(uri) || rc.get(KEY) != null) {
            rc.next();
            return;
        }
        String path = rawPath(uri);
        if (path == null) {
            rc.next();
            return;
        }
        String[] segments = path.split("/", -1);
        for (String[] template : templates) {
            if (template.length != segments.length) {
                continue;
            }
            Map<String, String> ids = new HashMap<>();
            boolean matches = true;
            boolean reroute = false;
            StringBuilder routed = new StringBuilder();
            for (int i = 0; i < template.length && matches; i++) {
                if (i > 0) {
                    routed.append('/');
                }
                if (template[i].startsWith("{")) {
                    String id = decode(segments[i]);
                    if (id == null) {
                        matches = false;
                        break;
                    }
                    ids.put(template[i].substring(1, template[i].length() - 1), id);
                    boolean unroutable = id.isEmpty() || id.equals(".") || id.equals("..");
                    reroute |= unroutable;
                    routed.append(unroutable ? PLACEHOLDER : segments[i]);
                } else {
                    matches = template[i].equals(segments[i]);
                    routed.append(segments[i]);
                }
            }
            if (matches && reroute) {
                rc.put(KEY, ids);
                String query = rc.request().query();
                rc.reroute(rc.request().method(), query == null ? routed.toString() : routed + "?" + query);
                return;
            }
        }
        rc.next();
    }

    /**
     * Whether the path of a URI holds a character that normalisation could act on ({@code .}, {@code %}) or an empty
     * segment; scanned in place, since this runs for every request.
     */
    private static boolean mayNeedRouting(String uri) {
        char previous = 0;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?') {
                return previous == '/';
            }
            if (c == '.' || c == '%' || (c == '/' && previous == '/')) {
                return true;
            }
            previous = c;
        }
        return previous == '/';
    }

    /** The path of a request URI exactly as sent (an absolute URI's path too), without the query. */
    private static String rawPath(String uri) {
        if (uri == null) {
            return null;
        }
        int start = uri.startsWith("/") ? 0 : uri.indexOf('/', uri.indexOf("://") + 3);
        if (start < 0) {
            return null;
        }
        int end = uri.indexOf('?', start);
        return end < 0 ? uri.substring(start) : uri.substring(start, end);
    }

    /** Percent-decoding of one path segment as UTF-8 ({@code +} is a plus); null when it is malformed. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
