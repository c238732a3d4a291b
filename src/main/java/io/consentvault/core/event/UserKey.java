package io.consentvault.core.event;

/**
 * Key of a user's state and history: the organization and the bounded user key ({@link BoundedKey}). Orders by
 * organization, then user, the order in which batches take their row locks.
 */
public record UserKey(String organizationId, String userKey) implements Comparable<UserKey> {

    @Override
    public int compareTo(UserKey o) {
        int c = organizationId.compareTo(o.organizationId);
        return c != 0 ? c : userKey.compareTo(o.userKey);
    }
}
