package io.consentvault.platform;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.http.ClientAddressAccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Truncated client addresses keep the network, not the device. */
class ClientAddressTest {

    @Test
    void onlyIpLiteralsAreReadAndNoNameIsEverLookedUp() {
        assertArrayEquals(new byte[]{(byte) 203, 0, 113, 7}, ClientAddressAccess.parse("203.0.113.7"));
        assertEquals(16, ClientAddressAccess.parse("2001:db8::1").length);
        // legacy shorthand forms and names: never believed, never resolved on the event loop
        for (String notALiteral : List.of("10.1", "1", "0", "0177.0.0.1", "127.000.0.1", "1.2.3.4.5", "256.1.1.1",
                "cafe", "beef.cafe", "localhost", "1.2.3.", ".1.2.3", "1..2.3")) {
            assertNull(ClientAddressAccess.parse(notALiteral), notALiteral);
        }
    }

    @Test
    void ipv4KeepsItsSlash24AndIpv6ItsSlash48() {
        assertEquals("203.0.113.0", ClientAddressAccess.truncate("203.0.113.77"));
        assertEquals("2001:db8:abcd:0:0:0:0:0", ClientAddressAccess.truncate("2001:db8:abcd:1234::1"));
    }
}
