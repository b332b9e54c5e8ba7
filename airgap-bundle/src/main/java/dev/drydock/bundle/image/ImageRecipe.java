package dev.drydock.bundle.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What goes on top of a base image: layers of files, and the image configuration.
 *
 * @param repository the repository the chart names the image by, e.g. {@code drydock/server}
 * @param tag the tag written into the layout's index (informational: the chart pins the digest)
 * @param base the base image
 * @param layers the layers, bottom first (least often changed first, so rebuilds reuse layers)
 * @param entrypoint the container's command
 * @param user numeric {@code uid:gid}
 * @param environment environment variables (replacing the base's of the same name)
 * @param workingDirectory absolute path
 * @param ports exposed TCP ports
 * @param labels OCI labels
 */
public record ImageRecipe(
        String repository,
        String tag,
        BaseImage base,
        List<Layer> layers,
        List<String> entrypoint,
        String user,
        Map<String, String> environment,
        String workingDirectory,
        List<Integer> ports,
        Map<String, String> labels) {

    public ImageRecipe {
        layers = List.copyOf(layers);
        entrypoint = List.copyOf(entrypoint);
        environment = Map.copyOf(environment);
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
        if (!user.matches("[0-9]+:[0-9]+") || user.startsWith("0:")) {
            throw new IllegalArgumentException("image user must be a numeric non-root uid:gid, got " + user);
        }
    }

    /**
     * One layer: files and folders copied to absolute paths in the image (folders recursively, executable
     * files keep their execute bits), plus empty folders to create.
     *
     * @param name layer name (shown in Jib's log and the SBOM)
     * @param copies source on this machine → absolute target path in the image
     * @param emptyDirectories absolute paths of empty folders (mount points of a read-only root filesystem)
     */
    public record Layer(String name, Map<Path, String> copies, List<String> emptyDirectories) {
        public Layer {
            copies = Map.copyOf(copies);
            emptyDirectories = List.copyOf(emptyDirectories);
        }
    }
}
