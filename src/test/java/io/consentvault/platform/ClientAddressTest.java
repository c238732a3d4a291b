package io.consentvault.platform;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.http.ClientAddressAccess;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Truncated client addresses keep the network, not the device. */
class ClientAddressTest {

    @Test
    void ipv4KeepsItsSlash24AndIpv6ItsSlash48() {
        assertEquals("203.0.113.0", ClientAddressAccess.truncate("203.0.113.77"));
        assertEquals("2001:db8:abcd:0:0:0:0:0", ClientAddressAccess.truncate("2001:db8:abcd:1234::1"));
    }
}
