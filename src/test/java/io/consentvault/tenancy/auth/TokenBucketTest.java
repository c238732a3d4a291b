package io.consentvault.tenancy.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-key rate limit: a burst passes, the next request does not, and racing threads never take more. */
class TokenBucketTest {

    @Test
    void aFullBucketLetsItsBurstThroughAndNoMore() {
        Authenticator.TokenBucket bucket = new Authenticator.TokenBucket(1, 3);
        assertTrue(bucket.take());
        assertTrue(bucket.take());
        assertTrue(bucket.take());
        assertFalse(bucket.take(), "a fourth request within the same second");
    }

    @Test
    void racingThreadsTakeExactlyTheBurst() throws Exception {
        long start = System.nanoTime();
        Authenticator.TokenBucket bucket = new Authenticator.TokenBucket(1, 5000);
        AtomicInteger passed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 2000; i++) {
                    if (bucket.take()) {
                        passed.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        // one more token a second refills while the threads run
        long refilled = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(passed.get() >= 5000 && passed.get() <= 5000 + refilled,
                "passed " + passed.get() + " of 16000 with a burst of 5000");
    }
}
