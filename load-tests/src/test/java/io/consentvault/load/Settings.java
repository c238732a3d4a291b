package io.consentvault.load;

/**
 * Every parameter of the simulations, a system property with its default (listed in load-tests/README.md too).
 */
final class Settings {

    /** -DbaseUrl: the service. */
    static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:8080");
    /** -Dkey: an API key with events:write and consents:read. */
    static final String KEY = System.getProperty("key", "");
    /** -Dorg: the key's organization. */
    static final String ORG = System.getProperty("org", "demo");
    /** -Dpopulation: users the events and lookups are drawn from. */
    static final int POPULATION = Integer.getInteger("population", 10_000);
    /** -DbaseRate: SDK users posting an event, per second, before and after the spike. */
    static final double BASE_RATE = Double.parseDouble(System.getProperty("baseRate", "200"));
    /** -DspikeFactor: how many times the base rate the spike reaches. */
    static final double SPIKE_FACTOR = Double.parseDouble(System.getProperty("spikeFactor", "10"));
    /** -DrampSeconds / -DholdSeconds / -DspikeSeconds: the shape of the burst. */
    static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 10);
    static final int HOLD_SECONDS = Integer.getInteger("holdSeconds", 20);
    static final int SPIKE_SECONDS = Integer.getInteger("spikeSeconds", 10);
    /** -DretryShare: the share of posts sent twice with the same Idempotency-Key (a flaky network). */
    static final double RETRY_SHARE = Double.parseDouble(System.getProperty("retryShare", "0.05"));
    /** -DlookupRate: lookups per second in EdgeLookup and Mixed. */
    static final double LOOKUP_RATE = Double.parseDouble(System.getProperty("lookupRate", "1000"));
    /** -DwarmupSeconds: every simulation first runs its traffic this long, outside the p99 assertion. */
    static final int WARMUP_SECONDS = Integer.getInteger("warmupSeconds", 15);
    /** -DlookupSeconds: how long EdgeLookup and Mixed are measured. */
    static final int LOOKUP_SECONDS = Integer.getInteger("lookupSeconds", 30);
    /** -DunknownShare: the share of lookups for users that do not exist. */
    static final double UNKNOWN_SHARE = Double.parseDouble(System.getProperty("unknownShare", "0.05"));
    /** -DbatchRate: batch uploads per second in Mixed. */
    static final double BATCH_RATE = Double.parseDouble(System.getProperty("batchRate", "1"));
    /** -Dp99Millis: the p99 response time every simulation asserts. */
    static final int P99_MILLIS = Integer.getInteger("p99Millis", 200);

    private Settings() {
    }
}
