package dev.drydock.server.repository;

import dev.drydock.server.agent.tool.FileTree;
import dev.drydock.server.classification.Classification;
import java.util.List;

/**
 * A {@link FileTree} that remembers the highest classification of the files read through it, so that
 * what is written from them (the project overview) carries their label. Listing a folder reads names,
 * not content, and raises nothing.
 */
final class LabelledTree implements FileTree {
    private final FileTree files;
    private final PathLabels labels;
    private Classification highest;

    LabelledTree(FileTree files, PathLabels labels) {
        this.files = files;
        this.labels = labels;
        this.highest = labels.base();
    }

    Classification highestRead() {
        return highest;
    }

    @Override
    public String read(String path) {
        String text = files.read(path);
        highest = highest.max(labels.of(path));
        return text;
    }

    @Override
    public boolean isFile(String path) {
        return files.isFile(path);
    }

    @Override
    public List<Entry> list(String directory) {
        return files.list(directory);
    }
}
