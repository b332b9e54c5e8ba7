package dev.drydock.search;

import java.util.List;
import java.util.Locale;

/** A deterministic fake embedder: hashed bag of lower-cased words, L2-normalised. */
final class HashingEmbedder implements Embedder {
    private final int dims;
    private final String id;

    HashingEmbedder(String id, int dims) {
        this.id = id;
        this.dims = dims;
    }

    @Override
    public String modelId() {
        return id;
    }

    @Override
    public int dimensions() {
        return dims;
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            float[] v = new float[dims];
            for (String word : texts.get(i).toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (!word.isEmpty()) {
                    v[Math.floorMod(word.hashCode(), dims)] += 1f;
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            if (norm == 0) {
                v[0] = 1f;
                norm = 1;
            }
            for (int d = 0; d < dims; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            out[i] = v;
        }
        return out;
    }
}
