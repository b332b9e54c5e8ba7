package dev.drydock.server.portal;

import dev.drydock.server.problem.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A file uploaded to attach to a session, read as text: UTF-8 only (a byte order mark is dropped),
 * refused with a sentence naming the file when it holds a NUL byte (as binary files do) or bytes that
 * are not UTF-8.
 */
final class UploadedText {
    private UploadedText() {}

    static String decode(byte[] bytes, String name) {
        for (byte b : bytes) {
            if (b == 0) {
                throw ProblemException.badRequest(
                        "'" + name + "' is a binary file; only text files (UTF-8) can be attached.");
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest(
                    "'" + name + "' is not UTF-8 text; only text files (UTF-8) can be attached.");
        }
        if (text.isBlank()) {
            throw ProblemException.badRequest("'" + name + "' is empty; attach a file with text in it.");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
