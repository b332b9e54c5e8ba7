package dev.drydock.server.egress;

import java.io.IOException;

/** An outbound request to a host outside the allow-list; the request was never sent. */
public final class EgressRefusedException extends IOException {
    private final String host;

    public EgressRefusedException(String host) {
        super("outbound request to host '" + host + "' refused: it is not in drydock.egress.allowed-hosts");
        this.host = host;
    }

    public String host() {
        return host;
    }
}
