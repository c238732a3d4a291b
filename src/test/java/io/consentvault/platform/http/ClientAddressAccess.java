package io.consentvault.platform.http;

/** Opens ClientAddress's package-private helpers to tests in other packages. */
public final class ClientAddressAccess {

    private ClientAddressAccess() {
    }

    public static byte[] parse(String ip) {
        return ClientAddress.parse(ip);
    }

    public static String truncate(String ip) {
        return ClientAddress.truncate(ip);
    }
}
