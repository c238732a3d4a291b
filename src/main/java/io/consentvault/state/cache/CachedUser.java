package io.consentvault.state.cache;

import io.consentvault.state.model.ConsentState;

/**
 * One cache entry: the user's state, its answer already serialized, and the answer's ETag, so that a hit writes
 * bytes without building anything. {@link #MISSING} stands for a user with no state (a 404 kept in the cache).
 */
public record CachedUser(ConsentState state, byte[] json, String etag) {

    public static final CachedUser MISSING = new CachedUser(null, null, null);

    public boolean exists() {
        return state != null;
    }

    int weight() {
        return json == null ? 64 : json.length + 160;
    }
}
