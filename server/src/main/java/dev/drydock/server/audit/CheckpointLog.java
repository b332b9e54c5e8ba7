package dev.drydock.server.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoints of a {@code checkpoints.jsonl} file whose signatures verify with the public key,
 * oldest first, and what was wrong with the other lines (a forged or damaged line is reported and
 * skipped: it cannot vouch for anything).
 */
public record CheckpointLog(List<AuditCheckpoint> checkpoints, List<String> warnings) {
    /** The file name under the checkpoint folder. */
    public static final String FILE_NAME = "checkpoints.jsonl";

    public CheckpointLog {
        checkpoints = List.copyOf(checkpoints);
        warnings = List.copyOf(warnings);
    }

    /** No checkpoint at all, with the reason. */
    public static CheckpointLog none(String why) {
        return new CheckpointLog(List.of(), List.of(why));
    }

    /** Reads {@code file}, keeping the lines whose signature {@code key} verifies. */
    public static CheckpointLog read(Path file, CheckpointKey key) {
        List<AuditCheckpoint> valid = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                AuditCheckpoint c;
                try {
                    c = AuditCheckpoint.parse(line);
                } catch (IllegalArgumentException e) {
                    warnings.add("line " + lineNo + " of " + file + " is not a checkpoint (" + e.getMessage()
                            + "); ignored");
                    continue;
                }
                if (!key.verifies(c)) {
                    warnings.add("line " + lineNo + " of " + file + " (record " + c.seq()
                            + ") has a signature that the checkpoint public key " + key.fingerprint()
                            + " does not verify: forged or damaged; ignored");
                    continue;
                }
                valid.add(c);
            }
        } catch (NoSuchFileException e) {
            return none("no signed checkpoints at " + file
                    + ": truncation and rehashing of the newest records cannot be detected");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (valid.isEmpty() && warnings.isEmpty()) {
            warnings.add("no signed checkpoints in " + file
                    + " yet: truncation and rehashing of the newest records cannot be detected");
        }
        return new CheckpointLog(valid, warnings);
    }

    /** The newest valid checkpoint (the last line that verifies), if any. */
    public java.util.Optional<AuditCheckpoint> newest() {
        return checkpoints.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(checkpoints.getLast());
    }
}
