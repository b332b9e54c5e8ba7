package dev.drydock.cli.session;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of {@code session start --attach}: each read as UTF-8 text and sent as an attachment named
 * after the file ({@code -} reads standard input, named {@code stdin}). A file that is not UTF-8 text
 * (invalid bytes, or a NUL byte as binary files have) is refused here with its name; the server
 * applies its own limits on count and size and says so.
 */
final class AttachedFiles {
    private AttachedFiles() {}

    /** The attachments of {@code files}, in order, as the API's {@code attachments} list. */
    static List<Map<String, String>> read(List<String> files, InputStream stdin) {
        List<Map<String, String>> out = new ArrayList<>();
        boolean stdinRead = false;
        for (String file : files) {
            byte[] bytes;
            String name;
            String origin;
            if (file.equals("-")) {
                if (stdinRead) {
                    throw new CliException(
                            "--attach - can be given once: standard input is read only once", CliExit.USAGE);
                }
                stdinRead = true;
                name = "stdin";
                origin = "standard input";
                try {
                    bytes = stdin.readAllBytes();
                } catch (IOException e) {
                    throw new CliException("cannot read standard input: " + e.getMessage(), CliExit.DATA, e);
                }
            } else {
                Path path = Path.of(file);
                Path fileName = path.getFileName();
                name = fileName == null ? file : fileName.toString();
                origin = "file";
                try {
                    bytes = Files.readAllBytes(path);
                } catch (NoSuchFileException e) {
                    throw new CliException("cannot attach " + file + ": no such file", CliExit.DATA, e);
                } catch (IOException e) {
                    throw new CliException("cannot attach " + file + ": " + e.getMessage(), CliExit.DATA, e);
                }
            }
            Map<String, String> attachment = new LinkedHashMap<>();
            attachment.put("name", name);
            attachment.put("origin", origin);
            attachment.put("text", text(bytes, file.equals("-") ? "standard input" : file));
            out.add(attachment);
        }
        return out;
    }

    /** {@code bytes} as UTF-8 text, or a clear refusal naming {@code what}. */
    static String text(byte[] bytes, String what) {
        for (byte b : bytes) {
            if (b == 0) {
                throw new CliException("cannot attach " + what + ": it is a binary file; attach text (UTF-8) only");
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CliException(
                    "cannot attach " + what + ": it is not UTF-8 text; attach text (UTF-8) only", CliExit.DATA, e);
        }
    }
}
