package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON value already serialised to UTF-8, written into another document as it is (Jackson's
 * {@code RawValue}). The gateway serialises a prompt's messages once, fingerprints exactly those bytes
 * for the audit trail and sends the same bytes to the model: a droid's prompt reaches hundreds of
 * kilobytes, and serialising it a second time for the request body was a large part of the gateway's
 * own cost. Only the unquoted forms are supported: this is a value, never a name or a string.
 */
public final class EncodedJson implements SerializableString {
    private final byte[] utf8;

    public EncodedJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The SHA-256 of these bytes, as lower-case hex. */
    public String sha256() {
        return Hashes.sha256(utf8);
    }

    @Override
    public String getValue() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return utf8.clone();
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + utf8.length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String value = getValue();
        if (offset + value.length() > buffer.length) {
            return -1;
        }
        value.getChars(0, value.length(), buffer, offset);
        return value.length();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (utf8.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(utf8);
        return utf8.length;
    }

    @Override
    public char[] asQuotedChars() {
        throw notAString();
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw notAString();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw notAString();
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw notAString();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw notAString();
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw notAString();
    }

    private static UnsupportedOperationException notAString() {
        return new UnsupportedOperationException("an encoded JSON value is written raw, never quoted");
    }
}
