package dev.drydock.installer.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The one way bundle tars are written: regular files only, in the order given, with fixed mode,
 * owner and modification time, POSIX (PAX) headers for long names. The builder writes bundles with
 * it, and the verifier rewrites what it reads with it to prove that not one byte of the tar
 * (headers and padding included) differs from the canonical form.
 */
public final class CanonicalTar implements Closeable {
    /** Modification time of every entry (a fixed instant, so builds are reproducible). */
    public static final FileTime MTIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

    private final TarArchiveOutputStream out;

    public CanonicalTar(OutputStream target) {
        this.out = new TarArchiveOutputStream(target, StandardCharsets.UTF_8.name());
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        out.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Adds one regular file; {@code content} must yield exactly {@code size} bytes. */
    public void add(String path, long size, InputStream content) throws IOException {
        out.putArchiveEntry(entry(path, size));
        long copied = content.transferTo(out);
        if (copied != size) {
            throw new IOException(path + ": expected " + size + " bytes, got " + copied);
        }
        out.closeArchiveEntry();
    }

    /** Adds one regular file from memory. */
    public void add(String path, byte[] content) throws IOException {
        add(path, content.length, new java.io.ByteArrayInputStream(content));
    }

    /** Writes the end-of-archive records. */
    public void finish() throws IOException {
        out.finish();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static TarArchiveEntry entry(String path, long size) {
        TarArchiveEntry e = new TarArchiveEntry(path, true);
        e.setSize(size);
        e.setMode(0100644);
        e.setLastModifiedTime(MTIME);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        return e;
    }
}
