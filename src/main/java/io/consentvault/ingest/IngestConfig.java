package io.consentvault.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How events are batched into group commits. Env: {@code CONSENT_INGEST_*}. */
@ConfigMapping(prefix = "consent.ingest")
public interface IngestConfig {

    /**
     * Number of lanes. Events of one (organization, user) always share a lane and keep their arrival order; lanes
     * flush in parallel, each holding at most one open transaction. More lanes mean more, smaller concurrent commits:
     * on 2 cores, 2 lanes ingest faster than 4 or 16 (commits contend); raise it with cores and database capacity.
     */
    @WithDefault("2")
    int lanes();

    /** Largest batch one commit writes. Bigger batches amortise the round trip; 1000 keeps statements small. */
    @WithDefault("1000")
    int batchSize();

    /**
     * Longest time an event waits for company before its lane flushes. While a lane commits, the next batch gathers
     * and flushes as soon as the commit is done; an idle lane flushes as soon as it holds as many events as its last
     * batch (one, after a batch of one), else after this long. (A fixed wait and no other rule, measured on 2 cores: 0
     * gave a lone event's ack in 1.9 ms instead of 4.4 ms, but 16 concurrent clients 2,400 acks/s instead of 2,900.)
     */
    @WithDefault("PT0.002S")
    Duration maxWait();

    /** Events a lane may hold before new ones are refused with 503 + Retry-After. Bounds memory under overload. */
    @WithDefault("20000")
    int laneCapacity();

    /**
     * Bytes a lane may hold (estimated per event from its texts and decisions) before new events are refused with 503
     * + Retry-After: events of up to 1 MiB, or with a TCF string deciding thousands of vendors, would let the count
     * alone hold gigabytes. With the default 2 lanes and {@code flush-max-bytes}, ingest holds at most about 160 MiB
     * (a lane always takes one event, whatever its size).
     */
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize laneMaxBytes();

    /**
     * Bytes one batch may hold (same estimate): a batch of 1000 large events would be merged and encoded at once.
     * Smaller batches of large events cost more round trips and hold less memory.
     */
    @WithDefault("16M")
    io.quarkus.runtime.configuration.MemorySize flushMaxBytes();

    /**
     * How long a batch is retried while the database is away (backoff doubling from 50 ms up to 2 s) before its
     * requests get 503. Requests wait this long at most.
     */
    @WithDefault("PT15S")
    Duration retryFor();

    /** The {@code Retry-After} value, in seconds, sent with 503. */
    @WithDefault("2")
    int retryAfterSeconds();

    /** Most events in one request to the batch endpoint. */
    @WithDefault("1000")
    int maxBatchEvents();

    /**
     * Addresses (exact IPs or CIDR blocks) of reverse proxies whose {@code X-Forwarded-For} is believed. From any
     * other peer the header is ignored and the connection's address is the client IP.
     */
    Optional<List<String>> trustedProxies();

    /**
     * The header in which a trusted edge proxy tells the client's country (for example {@code CloudFront-Viewer-Country}
     * or {@code CF-IPCountry}): believed only on requests whose peer is one of {@link #trustedProxies}. Absent: not
     * read.
     */
    Optional<String> countryHeader();

    /**
     * A country database in the MaxMind DB format (GeoLite2 Country, GeoIP2 Country or City, or any database whose
     * records hold {@code country.iso_code}): the country of the client IP when no trusted header tells it. Absent: not
     * looked up.
     */
    Optional<String> countryDatabase();
}
