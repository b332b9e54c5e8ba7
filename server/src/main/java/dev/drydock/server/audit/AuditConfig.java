package dev.drydock.server.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the audit chain's signed checkpoints and their signing key live (outside the database). */
@ConfigMapping(prefix = "drydock.audit")
public interface AuditConfig {

    /**
     * Folder of the signed checkpoints ({@code checkpoints.jsonl}, one JSON line per checkpoint of the
     * chain head); under the appliance's data folder unless set. Ship this file off the host (syslog,
     * SIEM, a write-once store) so that someone who controls the host cannot rewrite it either.
     */
    @WithDefault("${drydock.appliance.home}/audit")
    String checkpointDir();

    /**
     * The Ed25519 private key that signs checkpoints (PKCS#8, base64; owner-only), generated on first
     * start; the public key is written beside it as {@code <file>.pub}. Keep it out of the database and
     * its backups.
     */
    @WithDefault("${drydock.audit.checkpoint-dir}/checkpoint-key")
    String checkpointKey();
}
