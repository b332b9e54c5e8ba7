package dev.drydock.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes tiny ONNX models for tests, in protobuf by hand (no ONNX tooling needed), plus model
 * folders around them and around the shipped model.
 *
 * <p>The "echo" encoder outputs, for each token, the vector {@code [input_id, attention_mask
 * (, token_type_id)]} as floats, so pooling results can be computed by hand.
 */
final class TinyOnnxModels {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private TinyOnnxModels() {}

    /** An echo encoder with inputs input_ids, attention_mask and, if asked, token_type_ids. */
    static byte[] echoEncoder(boolean withTokenTypes) {
        List<String> inputs = withTokenTypes
                ? List.of("input_ids", "attention_mask", "token_type_ids")
                : List.of("input_ids", "attention_mask");
        Proto graph = new Proto().string(2, "echo");
        Proto axes = new Proto().int64(1, 1).int64(2, INT64).string(8, "axes").bytes(7, packed(2));
        graph.message(5, axes);
        Proto concat = new Proto();
        for (String input : inputs) {
            graph.message(1, node("Cast", List.of(input), input + "_f").message(5, intAttribute("to", FLOAT)));
            graph.message(1, node("Unsqueeze", List.of(input + "_f", "axes"), input + "_3"));
            concat.string(1, input + "_3");
            graph.message(11, valueInfo(input, INT64, "batch", "tokens"));
        }
        concat.string(2, "last_hidden_state").string(4, "Concat").message(5, intAttribute("axis", 2));
        graph.message(1, concat);
        graph.message(12, valueInfo("last_hidden_state", FLOAT, "batch", "tokens", "hidden"));
        return model(graph);
    }

    /** A model whose only input is called {@code tokens}: not BERT-style. */
    static byte[] wrongInputs() {
        Proto graph = new Proto().string(2, "wrong");
        graph.message(1, node("Identity", List.of("tokens"), "out"));
        graph.message(11, valueInfo("tokens", INT64, "batch", "tokens"));
        graph.message(12, valueInfo("out", INT64, "batch", "tokens"));
        return model(graph);
    }

    /** Writes a model folder. */
    static Path folder(Path dir, byte[] onnx, byte[] tokenizerJson, String settings) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), onnx);
        Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
        Files.writeString(dir.resolve("drydock-model.properties"), settings);
        return dir;
    }

    /** The shipped model's ONNX file, from the carrier jar. */
    static byte[] shippedOnnx() throws IOException {
        return resource("all-minilm-l6-v2-q.onnx");
    }

    /** The shipped model's tokenizer.json, from the carrier jar. */
    static byte[] shippedTokenizer() throws IOException {
        return resource("all-minilm-l6-v2-q-tokenizer.json");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TinyOnnxModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] model(Proto graph) {
        Proto opset = new Proto().string(1, "").int64(2, 13);
        return new Proto()
                .int64(1, 7)
                .string(2, "drydock-tests")
                .message(7, graph)
                .message(8, opset)
                .toByteArray();
    }

    private static Proto node(String op, List<String> inputs, String output) {
        Proto node = new Proto();
        inputs.forEach(input -> node.string(1, input));
        return node.string(2, output).string(4, op);
    }

    private static Proto intAttribute(String name, long value) {
        return new Proto().string(1, name).int64(3, value).int64(20, 2);
    }

    private static Proto valueInfo(String name, int elementType, String... dims) {
        Proto shape = new Proto();
        for (String dim : dims) {
            shape.message(1, new Proto().string(2, dim));
        }
        Proto tensor = new Proto().int64(1, elementType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    private static byte[] packed(long... values) {
        Proto packed = new Proto();
        for (long value : values) {
            packed.varint(value);
        }
        return packed.toByteArray();
    }

    /** Just enough of the protobuf wire format: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto int64(int field, long value) {
            varint((long) field << 3);
            return varint(value);
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.toByteArray());
        }

        Proto bytes(int field, byte[] value) {
            varint(((long) field << 3) | 2);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto varint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                out.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            out.write((int) rest);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
