package io.consentvault.core.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Server event ids: RFC 9562 version 7 UUIDs, time-ordered so new ids land at the right edge of an index. */
public final class Uuid7 {

    private Uuid7() {
    }

    public static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
