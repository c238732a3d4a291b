package io.consentvault.ingest;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.iabtcf.encoder.TCStringEncoder;
import com.iabtcf.utils.BitSetIntIterable;

import io.consentvault.support.Events;
import io.consentvault.support.PackagedOnTestDatabase;
import io.consentvault.support.ServiceClient;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A burst of events whose TCF strings are a few hundred bytes on the wire and thousands of vendor decisions in memory,
 * each string different (no cache can share them), against the packaged artifact with the heap the Kubernetes pod
 * gives it (k8s/deployment.yaml: a 1 GiB limit, of which the JVM takes at most 75% here). Memory is bounded by bytes:
 * every event is stored or refused with 503 (or 400 for a vendor id beyond the Global Vendor List), the heap never
 * runs out, and the service is healthy afterwards. The artifact exits on the first OutOfMemoryError, so a heap that ran
 * out shows as a service that no longer answers, as well as in its log.
 */
@QuarkusIntegrationTest
@TestProfile(LargeConsentStringsIT.PodHeap.class)
class LargeConsentStringsIT {

    static final int SENDERS = 24;
    static final int EACH = 50;

    /** The packaged artifact on the test database, with the pod's heap, logging where this test reads it. */
    public static class PodHeap extends PackagedOnTestDatabase {

        static final Path LOG = Path.of("target", "large-consent-strings-it.log").toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            // passed right after `java`, or after the native binary, which takes -Xmx and -XX: options as well
            config.put("quarkus.test.arg-line", "-Xmx768m -XX:+ExitOnOutOfMemoryError");
            config.put("quarkus.log.file.path", LOG.toString());
            return config;
        }
    }

    @TestHTTPResource("/")
    URL url;

    @Test
    void aBurstOfLargeTcfStringsKeepsTheHeapWithinThePodsLimit() throws Exception {
        ServiceClient service = new ServiceClient(url.toString());
        String org = Events.unique("org-large-tcf");
        String key = service.newKey(org, List.of("events:write"));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger tooHigh = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            done.add(senders.submit(() -> {
                for (int i = 0; i < EACH; i++) {
                    int n = sender * EACH + i;
                    // one in ten names vendor 65535, far beyond any vendor the IAB lists
                    int maxVendor = n % 10 == 0 ? 65_535 : 5_000;
                    if (maxVendor > 5_000) {
                        tooHigh.incrementAndGet();
                    }
                    String tcf = TCStringEncoder.newBuilder().version(2).created(Instant.EPOCH)
                            .lastUpdated(Instant.EPOCH).cmpId(2 + n).cmpVersion(1).consentScreen(1)
                            .consentLanguage("FR").vendorListVersion(150).tcfPolicyVersion(4).publisherCC("FR")
                            .addPurposesConsent(BitSetIntIterable.from(1, 2, 3))
                            .addVendorConsent(BitSetIntIterable.from(1, 1 + n, maxVendor)).encode();
                    String body = """
                            {"organization_id": "%s", "user": {"id": "u-%d"}, "regulation": "tcf",
                             "consent_string": "%s", "events": [{"action": "consent.given", "purpose": "p"}]}
                            """.formatted(org, n, tcf);
                    int status = service.post("/v1/consents/events", key, body).statusCode();
                    statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        senders.shutdown();
        String log = Files.readString(PodHeap.LOG);
        assertFalse(log.contains("java.lang.OutOfMemoryError"), "the heap ran out");
        // the artifact's process is Quarkus's to hold: it still runs if it still answers
        assertNotEquals(-1, service.status("/q/health/live"), "the service is still running");
        assertEquals(200, service.status("/q/health/live"));
        int created = statuses.getOrDefault(201, new AtomicInteger()).get();
        int refused = statuses.getOrDefault(503, new AtomicInteger()).get();
        assertEquals(tooHigh.get(), statuses.getOrDefault(400, new AtomicInteger()).get(), statuses.toString());
        assertEquals(SENDERS * EACH, created + refused + tooHigh.get(), "answers: " + statuses);
        assertEquals(created, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
    }
}
