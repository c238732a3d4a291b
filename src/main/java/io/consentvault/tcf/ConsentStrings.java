package io.consentvault.tcf;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.consentvault.tcf.ConsentStringDecoder.Decoded;
import io.consentvault.tcf.ConsentStringDecoder.InvalidConsentString;
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
        this.cache = Caffeine.newBuilder().maximumSize(size).build();
        this.decodes = Counter.builder("consent.strings.decoded").description("consent strings decoded (cache misses)")
                .register(registry);
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
