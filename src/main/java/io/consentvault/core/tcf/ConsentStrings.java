package io.consentvault.core.tcf;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.consentvault.core.tcf.ConsentStringDecoder.Decoded;
import io.consentvault.core.tcf.ConsentStringDecoder.InvalidConsentString;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Decodes each distinct consent string once: many users send the very same string ("accept all" on one site), so the
 * answers (and refusals) are kept in a bounded cache keyed by regulation and string. Thread-safe; called on event
 * loops (a decode takes microseconds).
 */
@ApplicationScoped
public class ConsentStrings {

    private final Cache<String, Object> cache;
    private final Counter decodes;

    public ConsentStrings(@ConfigProperty(name = "consent.tcf.cache-size", defaultValue = "10000") long size,
            MeterRegistry registry) {
        // bounded by count and by the decisions held: a string can decide thousands of vendors (~100 bytes each)
        this.cache = Caffeine.newBuilder().maximumWeight(Math.max(size, 1)).weigher(ConsentStrings::weight).build();
        this.decodes = Counter.builder("consent.strings.decoded").description("consent strings decoded (cache misses)")
                .register(registry);
    }

    /**
     * An entry's weight: one, plus one per 64 decisions (about 6 KB of heap). The default 10,000 holds 10,000 strings
     * of a few dozen decisions, or about 120 strings of 5,000 vendors: some 60 MB at most, whatever the strings.
     */
    private static int weight(String key, Object value) {
        int decisions = value instanceof Decoded d
                ? d.decisions().purposes().size() + d.decisions().vendors().size()
                : 0;
        return 1 + (decisions + key.length() / 8) / 64;
    }

    /** The decoded string, null when the regulation carries no string we decode. */
    public Decoded decode(String regulation, String value) throws InvalidConsentString {
        if (value == null || !("tcf".equals(regulation) || "gpp".equals(regulation))) {
            return null;
        }
        Object cached = cache.get(regulation + ':' + value, key -> {
            decodes.increment();
            try {
                return ConsentStringDecoder.decode(regulation, value);
            } catch (InvalidConsentString e) {
                return e; // refusals are cached too: a flood of one bad string costs one decode
            }
        });
        if (cached instanceof InvalidConsentString e) {
            throw e;
        }
        return (Decoded) cached;
    }
}
