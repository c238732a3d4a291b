package io.consentvault.core.tcf;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.iabtcf.utils.BitSetIntIterable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Not a test: a benchmark of consent-string decoding, with and without the cache, on strings shaped like real ones
 * (all purposes, a few hundred vendors). Run it with
 * {@code ./mvnw -q test-compile exec:java -Dexec.mainClass=io.consentvault.core.tcf.DecodeBenchmark -Dexec.classpathScope=test}.
 */
public final class DecodeBenchmark {

    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Random random = new Random(1);
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // 50 sites, each with its "accept all" string
            BitSetIntIterable.Builder vendors = BitSetIntIterable.newBuilder();
            for (int v = 1; v <= 1200; v++) {
                if (random.nextInt(3) > 0) {
                    vendors.add(v);
                }
            }
            strings.add(ConsentStringDecoderTest.tcf(4).addPurposesConsent(BitSetIntIterable.from(1, 2, 3, 4, 5, 6, 7,
                    8, 9, 10, 11)).addPurposesLITransparency(BitSetIntIterable.from(2, 7, 9, 10))
                    .addVendorConsent(vendors.build()).addVendorLegitimateInterest(vendors.build()).encode());
        }
        ConsentStrings cached = new ConsentStrings(10_000, new SimpleMeterRegistry());
        for (int round = 0; round < 5; round++) {
            int n = 20_000;
            long t0 = System.nanoTime();
            long sink = 0;
            for (int i = 0; i < n; i++) {
                sink += ConsentStringDecoder.decode("tcf", strings.get(i % strings.size())).decisions().vendors()
                        .size();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n * 50; i++) {
                sink += cached.decode("tcf", strings.get(i % strings.size())).decisions().vendors().size();
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: uncached %.1f us/decode, cached %.3f us/decode (%d)%n", round,
                    (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / (n * 50.0), sink);
        }
    }
}
