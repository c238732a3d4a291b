package io.consentvault.platform.http;

/** Opens ClientAddress's package-private helpers to tests in other packages. */
public final class ClientAddressAccess {

    private ClientAddressAccess() {
    }

    public static String truncate(String ip) {
        return ClientAddress.truncate(ip);
    }
}
