package dev.drydock.server.egress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** The egress allow-list ({@code drydock.egress.*}). */
@ConfigMapping(prefix = "drydock.egress")
public interface EgressConfig {
    /**
     * Hosts the server may send HTTP requests to: exact names or {@code *.suffix} patterns. Model
     * endpoint hosts are added automatically. The default allows only the machine itself.
     */
    @WithDefault("localhost,127.0.0.1")
    List<String> allowedHosts();
}
