package dev.drydock.server.audit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Signs the audit chain's head with a key that is not in the database, at least every minute while
 * the chain grows and at shutdown, and appends each checkpoint to {@code checkpoints.jsonl} under the
 * data folder (fsynced) and to the log category {@value #LOG_CATEGORY} (route it to syslog or a SIEM
 * to keep a copy off the host). Before signing it checks that the chain still holds the last
 * checkpointed record unchanged; if not, it refuses to sign and logs an error, so a truncated or
 * rehashed chain is never blessed.
 */
@ApplicationScoped
public class AuditCheckpoints {
    /** Log category that receives every checkpoint line. */
    public static final String LOG_CATEGORY = "drydock.audit.checkpoint";

    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);
    private static final Logger CHECKPOINT_LOG = Logger.getLogger(LOG_CATEGORY);

    @Inject
    AuditTrail trail;

    @Inject
    AuditConfig config;

    Clock clock = Clock.systemUTC();

    private @Nullable CheckpointKey key;
    private @Nullable AuditCheckpoint last;

    void start(@Observes @Priority(10) StartupEvent event) {
        key();
    }

    @Scheduled(every = "60s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyMinute() {
        outages.run(() -> checkpoint(false));
    }

    private final dev.drydock.server.problem.OutageLog outages =
            new dev.drydock.server.problem.OutageLog(LOG, "audit checkpoints");

    void stop(@Observes ShutdownEvent event) {
        try {
            checkpoint(true);
        } catch (RuntimeException e) {
            LOG.errorf("could not write the shutdown checkpoint of the audit chain: %s", e.getMessage());
        }
    }

    /** The checkpoint file. */
    public Path file() {
        return Path.of(config.checkpointDir()).toAbsolutePath().resolve(CheckpointLog.FILE_NAME);
    }

    /** The valid checkpoints written so far (signatures checked with this server's public key). */
    public CheckpointLog log() {
        return CheckpointLog.read(file(), key());
    }

    /** Recomputes the chain and checks it against the signed checkpoints. */
    public AuditVerification.Result verify() {
        return trail.verify(log());
    }

    /**
     * Signs the current head unless it is the one signed last ({@code force} signs it again).
     *
     * @return the new checkpoint; empty when the head did not change or the chain no longer holds the
     *     last checkpointed record (logged as an error)
     */
    public synchronized Optional<AuditCheckpoint> checkpoint(boolean force) {
        CheckpointKey signer = key();
        AuditCheckpoint previous = last;
        AuditTrail.Head head = trail.head(previous == null ? 0 : previous.seq());
        if (previous != null && previous.seq() > 0) {
            if (head.hashAtCheckpoint().isEmpty()) {
                LOG.errorf(
                        "audit chain truncated: record %d of the signed checkpoint of %s is gone (the chain ends at record %d); not signing. Run 'drydock audit verify'.",
                        previous.seq(), previous.time(), head.seq());
                return Optional.empty();
            }
            if (!head.hashAtCheckpoint().get().equals(previous.headHash())) {
                LOG.errorf(
                        "audit chain rewritten: record %d no longer has the hash signed at %s; not signing. Run 'drydock audit verify'.",
                        previous.seq(), previous.time());
                return Optional.empty();
            }
            if (!force && head.seq() == previous.seq()) {
                return Optional.empty();
            }
        }
        AuditCheckpoint checkpoint = signer.sign(
                head.seq(),
                head.hash(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        append(checkpoint.line());
        CHECKPOINT_LOG.info(checkpoint.line());
        last = checkpoint;
        return Optional.of(checkpoint);
    }

    private synchronized CheckpointKey key() {
        if (key == null) {
            Path keyFile = Path.of(config.checkpointKey()).toAbsolutePath();
            key = CheckpointKey.loadOrCreate(keyFile);
            last = CheckpointLog.read(file(), key).newest().orElse(null);
            LOG.infof("audit checkpoints signed with key %s (%s), written to %s", key.fingerprint(), keyFile, file());
        }
        return key;
    }

    private void append(String line) {
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append an audit checkpoint to " + file + ": " + e.getMessage(), e);
        }
    }
}
