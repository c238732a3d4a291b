package io.consentvault.state;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StateConfigTest {

    private static final long MIB = 1 << 20;

    /** A JVM sized for a 1 GiB pod has a 256 MiB heap: the cache takes 64 MiB of it, not all of it. */
    @Test
    void unsetTheCacheTakesAQuarterOfTheHeap() {
        assertEquals(64 * MIB, StateConfig.bound(Optional.empty(), 256 * MIB));
        assertEquals(1024 * MIB, StateConfig.bound(Optional.empty(), 4096 * MIB));
    }

    @Test
    void setTheOperatorsBoundHolds() {
        assertEquals(300 * MIB, StateConfig.bound(Optional.of(300 * MIB), 256 * MIB));
    }
}
