package dev.drydock.cli.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The egress allow-list as the server reads it ({@code DRYDOCK_EGRESS_ALLOWED_HOSTS} / {@code -Ddrydock.egress.allowed-hosts}), for CLI commands. */
final class EgressAllowList {
    private EgressAllowList() {}

    static List<String> hosts(List<String> extra) {
        String configured = System.getProperty(
                "drydock.egress.allowed-hosts",
                System.getenv().getOrDefault("DRYDOCK_EGRESS_ALLOWED_HOSTS", "localhost,127.0.0.1"));
        List<String> hosts = new ArrayList<>(Arrays.stream(configured.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList());
        hosts.addAll(extra);
        return hosts;
    }
}
