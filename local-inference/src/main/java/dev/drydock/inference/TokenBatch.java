package dev.drydock.inference;

/**
 * Texts after tokenization, padded to the longest text of this batch: the exact input of one ONNX
 * Runtime call. Arrays are row-major {@code [size, length]}.
 *
 * @param size texts in the batch
 * @param length tokens per row after padding
 * @param inputIds token ids, 0-padded
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param tokenTypeIds segment ids, or an empty array when the model has no {@code token_type_ids}
 * @param positions for each row, the index of its text in the caller's list
 */
record TokenBatch(int size, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] positions) {

    /** Real (unpadded) tokens in the batch. */
    long realTokens() {
        long sum = 0;
        for (long bit : attentionMask) {
            sum += bit;
        }
        return sum;
    }
}
