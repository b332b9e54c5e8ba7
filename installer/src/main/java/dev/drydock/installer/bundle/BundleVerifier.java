package dev.drydock.installer.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Verifies a bundle offline, all or nothing: the manifest is signed by the trusted key, every file
 * it lists is present with its SHA-256 and size, no other file is present, and the tar is byte for
 * byte the canonical tar of those files (so a flipped byte in a header or in padding is caught too).
 * Reads the bundle once, streaming.
 */
public final class BundleVerifier {
    /** Largest manifest or signature accepted (a bundle's manifest is a few KiB). */
    static final int MAX_METADATA_BYTES = 16 << 20;

    private BundleVerifier() {}

    /** What a verified bundle holds. */
    public record Verification(BundleManifest manifest, String keyFingerprint, int files, long bytes) {}

    /** Verifies {@code bundle} against {@code trusted}; throws {@link BundleRejectedException} naming the first problem. */
    public static Verification verify(Path bundle, PublicKey trusted) throws IOException {
        String name = bundle.getFileName().toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(raw, java.nio.charset.StandardCharsets.UTF_8.name());
                ComparingStream canonicalBytes =
                        new ComparingStream(new BufferedInputStream(Files.newInputStream(bundle), 1 << 16));
                CanonicalTar canonical = new CanonicalTar(canonicalBytes)) {
            List<long[]> regions = new ArrayList<>();
            List<String> regionNames = new ArrayList<>();
            byte[] manifestBytes = metadata(
                    tar,
                    BundleFormat.MANIFEST,
                    name,
                    "unsigned or not a Drydock bundle: its first file must be " + BundleFormat.MANIFEST);
            canonical.add(BundleFormat.MANIFEST, manifestBytes);
            mark(tar, regions, regionNames, BundleFormat.MANIFEST);
            byte[] signatureBytes = metadata(
                    tar, BundleFormat.SIGNATURE, name, "unsigned bundle: " + BundleFormat.SIGNATURE + " is missing");
            canonical.add(BundleFormat.SIGNATURE, signatureBytes);
            mark(tar, regions, regionNames, BundleFormat.SIGNATURE);
            BundleSignature.verify(trusted, manifestBytes, signatureBytes);
            BundleManifest manifest = BundleManifest.parse(manifestBytes);

            Map<String, BundleManifest.FileEntry> expected = new LinkedHashMap<>();
            for (BundleManifest.FileEntry f : manifest.files()) {
                checkPath(f.path());
                if (expected.put(f.path(), f) != null) {
                    throw new BundleRejectedException(f.path(), "listed twice in the manifest");
                }
            }
            Set<String> seen = new HashSet<>();
            String previous = "";
            long bytes = manifestBytes.length + signatureBytes.length;
            TarArchiveEntry entry;
            while ((entry = next(tar, name, previous)) != null) {
                String path = entry.getName();
                BundleManifest.FileEntry want = expected.get(path);
                if (want == null) {
                    throw new BundleRejectedException(path, "extra file: not listed in the signed manifest");
                }
                if (!seen.add(path)) {
                    throw new BundleRejectedException(path, "present twice in the bundle");
                }
                if (!entry.isFile()) {
                    throw new BundleRejectedException(path, "not a regular file");
                }
                if (path.compareTo(previous) <= 0) {
                    throw new BundleRejectedException(path, "out of order (files are sorted by path)");
                }
                MessageDigest sha = sha256();
                DigestInputStream content = new DigestInputStream(tar, sha);
                try {
                    canonical.add(path, entry.getSize(), content);
                } catch (IOException e) {
                    throw new BundleRejectedException(path, "truncated or unreadable: " + e.getMessage());
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(want.sha256()) || entry.getSize() != want.size()) {
                    throw new BundleRejectedException(
                            path,
                            "content differs from the signed manifest (sha256 " + actual + ", " + entry.getSize()
                                    + " bytes; expected " + want.sha256() + ", " + want.size() + " bytes)");
                }
                mark(tar, regions, regionNames, path);
                bytes += entry.getSize();
                previous = path;
            }
            for (String path : expected.keySet()) {
                if (!seen.contains(path)) {
                    throw new BundleRejectedException(
                            path, "missing file: listed in the signed manifest but not in the bundle");
                }
            }
            canonical.finish();
            canonicalBytes.flush();
            long mismatch = canonicalBytes.firstMismatch();
            if (mismatch < 0 && !canonicalBytes.atEnd()) {
                mismatch = canonicalBytes.position();
            }
            if (mismatch >= 0) {
                throw new BundleRejectedException(
                        name,
                        "byte " + mismatch + " differs from the canonical bundle layout (tar header or padding "
                                + near(mismatch, regions, regionNames) + ")");
            }
            return new Verification(manifest, BundleKeys.fingerprint(trusted), expected.size(), bytes);
        }
    }

    private static byte[] metadata(TarArchiveInputStream tar, String expectedName, String bundle, String missing) {
        TarArchiveEntry e = next(tar, bundle, "");
        if (e == null || !expectedName.equals(e.getName())) {
            throw new BundleRejectedException(e == null ? expectedName : e.getName(), missing);
        }
        if (e.getSize() > MAX_METADATA_BYTES) {
            throw new BundleRejectedException(expectedName, "larger than " + MAX_METADATA_BYTES + " bytes");
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) e.getSize());
            tar.transferTo(out);
            return out.toByteArray();
        } catch (IOException x) {
            throw new BundleRejectedException(expectedName, "unreadable: " + x.getMessage());
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar, String bundle, String after) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleRejectedException(
                    bundle, "corrupt tar" + (after.isEmpty() ? "" : " after " + after) + ": " + e.getMessage());
        }
    }

    private static void mark(TarArchiveInputStream tar, List<long[]> regions, List<String> names, String path) {
        regions.add(new long[] {tar.getBytesRead()});
        names.add(path);
    }

    private static String near(long offset, List<long[]> regions, List<String> names) {
        for (int i = 0; i < regions.size(); i++) {
            if (offset < regions.get(i)[0]) {
                return "around " + names.get(i);
            }
        }
        return "at the end of the archive";
    }

    static void checkPath(String path) {
        if (path.isEmpty()
                || path.startsWith("/")
                || path.contains("\\")
                || path.endsWith("/")
                || List.of(path.split("/")).stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            throw new BundleRejectedException(path, "not a safe relative path");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An output stream that compares what is written with an input stream, remembering the first difference. */
    private static final class ComparingStream extends OutputStream {
        private final InputStream expected;
        private long position;
        private long firstMismatch = -1;
        private final byte[] buffer = new byte[1 << 16];

        ComparingStream(InputStream expected) {
            this.expected = expected;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int chunk = Math.min(len, buffer.length);
                int n = expected.readNBytes(buffer, 0, chunk);
                for (int i = 0; i < chunk && firstMismatch < 0; i++) {
                    if (i >= n || buffer[i] != b[off + i]) {
                        firstMismatch = position + i;
                    }
                }
                position += chunk;
                off += chunk;
                len -= chunk;
            }
        }

        long firstMismatch() {
            return firstMismatch;
        }

        long position() {
            return position;
        }

        boolean atEnd() throws IOException {
            return expected.read() < 0;
        }

        @Override
        public void close() throws IOException {
            expected.close();
        }
    }
}
