package dev.drydock.search.index;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The file key ({@link IndexSchema#KEY}) of every document of one reader, read once: a query then
 * maps hundreds of hits to files with array lookups instead of a doc-values iterator (and a
 * decompressed terms block) per hit. Also finds the file document of a key. Immutable once built;
 * valid for the reader it was built from.
 */
public final class DocKeys {
    private final int[] docBases;
    private final int[][] ordOfDoc;
    private final String[][] keyOfOrd;
    private final Map<String, Integer> fileDocs;

    private DocKeys(int[] docBases, int[][] ordOfDoc, String[][] keyOfOrd, Map<String, Integer> fileDocs) {
        this.docBases = docBases;
        this.ordOfDoc = ordOfDoc;
        this.keyOfOrd = keyOfOrd;
        this.fileDocs = fileDocs;
    }

    /** Reads the keys of every document of {@code reader} (one pass over each segment's doc values). */
    public static DocKeys load(DirectoryReader reader) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        int[] bases = new int[leaves.size()];
        int[][] ords = new int[leaves.size()][];
        String[][] keys = new String[leaves.size()][];
        Map<String, Integer> files = new HashMap<>();
        for (int i = 0; i < leaves.size(); i++) {
            LeafReaderContext leaf = leaves.get(i);
            LeafReader r = leaf.reader();
            bases[i] = leaf.docBase;
            int[] ordOfDoc = new int[r.maxDoc()];
            java.util.Arrays.fill(ordOfDoc, -1);
            SortedDocValues dv = r.getSortedDocValues(IndexSchema.KEY);
            String[] keyOfOrd = new String[dv == null ? 0 : dv.getValueCount()];
            if (dv != null) {
                TermsEnum terms = dv.termsEnum();
                for (int ord = 0; ord < keyOfOrd.length; ord++) {
                    BytesRef term = terms.next();
                    keyOfOrd[ord] = term == null ? "" : term.utf8ToString();
                }
                for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
                    ordOfDoc[doc] = dv.ordValue();
                }
            }
            PostingsEnum fileDocsOfLeaf =
                    r.postings(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE), PostingsEnum.NONE);
            if (fileDocsOfLeaf != null) {
                var live = r.getLiveDocs();
                for (int doc = fileDocsOfLeaf.nextDoc();
                        doc != DocIdSetIterator.NO_MORE_DOCS;
                        doc = fileDocsOfLeaf.nextDoc()) {
                    if ((live == null || live.get(doc)) && ordOfDoc[doc] >= 0) {
                        files.put(keyOfOrd[ordOfDoc[doc]], leaf.docBase + doc);
                    }
                }
            }
            ords[i] = ordOfDoc;
            keys[i] = keyOfOrd;
        }
        return new DocKeys(bases, ords, keys, Map.copyOf(files));
    }

    /** The key of a document (global doc id), or null when it has none. */
    public @Nullable String key(int doc) {
        int leaf = leafOf(doc);
        int ord = ordOfDoc[leaf][doc - docBases[leaf]];
        return ord < 0 ? null : keyOfOrd[leaf][ord];
    }

    /** The global doc id of the live file document of {@code key}, or -1. */
    public int fileDoc(String key) {
        Integer doc = fileDocs.get(key);
        return doc == null ? -1 : doc;
    }

    private int leafOf(int doc) {
        int low = 0;
        int high = docBases.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (docBases[mid] <= doc) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
