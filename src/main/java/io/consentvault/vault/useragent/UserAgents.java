package io.consentvault.vault.useragent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import nl.basjes.parse.useragent.AgentField;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

import static nl.basjes.parse.useragent.UserAgent.AGENT_NAME;
import static nl.basjes.parse.useragent.UserAgent.AGENT_VERSION;
import static nl.basjes.parse.useragent.UserAgent.DEVICE_CLASS;
import static nl.basjes.parse.useragent.UserAgent.DEVICE_NAME;
import static nl.basjes.parse.useragent.UserAgent.OPERATING_SYSTEM_NAME;
import static nl.basjes.parse.useragent.UserAgent.OPERATING_SYSTEM_VERSION;

/**
 * Parses a stored user agent into browser, OS and device when a record is shown (never on ingest), with Yauaa, the
 * maintained choice (ua-parser's Java port and its patterns have had no release since 2023). Measured on this machine:
 * Yauaa holds about 104 MB of heap once built (ua-parser 1 MB) and takes about 4.5 s of CPU to build (ua-parser
 * 0.3 s); a warm parse takes about 0.6 ms (ua-parser 2 ms, 36 ms on 2,000 characters of garbage), and it reports frozen
 * and shortened browser strings honestly. So the analyzer is built on the first record view, once, on a worker thread,
 * and every parse runs on a worker thread, never on an event loop. Yauaa's placeholders ({@code Unknown}, {@code ??})
 * and its verdict on junk ({@code Hacker}) become nulls.
 */
@ApplicationScoped
public class UserAgents {

    /** A parsed user agent; a part that cannot be told is null. */
    @RegisterForReflection
    public record UserAgent(String browser, String browserVersion, String os, String osVersion, String device) {
    }

    private static final UserAgent NONE = new UserAgent(null, null, null, null, null);

    private final AtomicReference<CompletableFuture<UserAgentAnalyzer>> analyzer = new AtomicReference<>();

    /** Built once, by the first caller, on a worker thread; a failed build is tried again by the next call. */
    CompletableFuture<UserAgentAnalyzer> analyzer() {
        CompletableFuture<UserAgentAnalyzer> mine = new CompletableFuture<>();
        if (!analyzer.compareAndSet(null, mine)) {
            return analyzer.get();
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                mine.complete(UserAgentAnalyzer.newBuilder()
                        .withFields(AGENT_NAME, AGENT_VERSION, OPERATING_SYSTEM_NAME, OPERATING_SYSTEM_VERSION,
                                DEVICE_CLASS, DEVICE_NAME)
                        .withCache(1000).immediateInitialization().dropTests().hideMatcherLoadStats().build());
            } catch (Throwable t) {
                analyzer.set(null);
                mine.completeExceptionally(t);
            }
        });
        return mine;
    }

    /** The parts of a user agent (all null for none), parsed on a worker thread. */
    public Uni<UserAgent> parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return Uni.createFrom().item(NONE);
        }
        return Uni.createFrom().completionStage(this::analyzer).emitOn(Infrastructure.getDefaultWorkerPool())
                .map(a -> of(a.parse(userAgent)));
    }

    static UserAgent of(nl.basjes.parse.useragent.UserAgent r) {
        if ("Hacker".equals(r.getValue(DEVICE_CLASS))) { // junk, over-long or empty input
            return NONE;
        }
        return new UserAgent(value(r, AGENT_NAME), value(r, AGENT_VERSION), value(r, OPERATING_SYSTEM_NAME),
                value(r, OPERATING_SYSTEM_VERSION), value(r, DEVICE_NAME));
    }

    private static String value(nl.basjes.parse.useragent.UserAgent r, String field) {
        AgentField f = r.get(field);
        String v = f.getValue();
        return f.isDefaultValue() || v == null || v.isEmpty() || "??".equals(v) || "Unknown".equals(v) ? null : v;
    }
}
