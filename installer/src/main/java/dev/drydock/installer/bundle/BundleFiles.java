package dev.drydock.installer.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Extracts files of a verified bundle, checking each again against the verified manifest (the tar may have changed since). */
public final class BundleFiles {
    private BundleFiles() {}

    /** Extracts every listed file whose path starts with {@code prefix} into {@code target} (not the manifest and its signature); returns how many. */
    public static int extract(Path bundle, BundleManifest verified, String prefix, Path target) throws IOException {
        Map<String, BundleManifest.FileEntry> expected = verified.files().stream()
                .collect(Collectors.toMap(BundleManifest.FileEntry::path, Function.identity()));
        Path root = target.toAbsolutePath().normalize();
        int count = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(bundle))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String path = e.getName();
                if (!path.startsWith(prefix)
                        || path.equals(BundleFormat.MANIFEST)
                        || path.equals(BundleFormat.SIGNATURE)) {
                    continue;
                }
                BundleManifest.FileEntry want = expected.get(path);
                if (want == null) {
                    throw new BundleRejectedException(path, "extra file: not listed in the signed manifest");
                }
                BundleVerifier.checkPath(path);
                Path out = root.resolve(path).normalize();
                if (!out.startsWith(root)) {
                    throw new BundleRejectedException(path, "not a safe relative path");
                }
                Files.createDirectories(out.getParent());
                var sha = BundleVerifier.sha256();
                // not closed: closing would close the tar stream
                InputStream in = new java.security.DigestInputStream(tar, sha);
                Files.copy(in, out);
                if (!HexFormat.of().formatHex(sha.digest()).equals(want.sha256())) {
                    Files.delete(out);
                    throw new BundleRejectedException(path, "changed since it was verified");
                }
                count++;
            }
        }
        return count;
    }
}
