package io.consentvault.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * HTTP to a running service at {@link #base}: the artifact a {@code @QuarkusIntegrationTest} launched, or a
 * {@link PackagedService} process. Safe to share between threads. An answer of status -1 means the service did not
 * answer at all.
 */
public class ServiceClient {

    public final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ServiceClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Creates the organization (if needed) and a key with these scopes, through this service's admin API. */
    public String newKey(String org, List<String> scopes) {
        send("POST", "/v1/admin/organizations", "{\"id\": \"" + org + "\", \"name\": \"" + org + "\"}",
                Api.ADMIN_TOKEN);
        Answer created = send("POST", "/v1/admin/organizations/" + org + "/keys",
                "{\"name\": \"test\", \"scopes\": [\"" + String.join("\", \"", scopes) + "\"]}", Api.ADMIN_TOKEN);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("no key: " + created);
        }
        int start = created.body().indexOf("\"key\":\"") + 7;
        return created.body().substring(start, created.body().indexOf('"', start));
    }

    /** The status of a GET, or -1 when the service does not answer. */
    public int status(String path) {
        return get(path).statusCode;
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer get(String path, String key) {
        return send("GET", path, null, key);
    }

    public Answer post(String path, String key, String json) {
        return send("POST", path, json, key);
    }

    public Answer send(String method, String path, String json, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                    json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null);
        }
    }

    /** An HTTP answer. */
    public record Answer(int statusCode, String body) {
    }
}
