package dev.drydock.installer.bundle;

/** Names fixed by the bundle format (version 1). */
public final class BundleFormat {
    /** Format identifier written into and required from every manifest. */
    public static final String FORMAT = "drydock-bundle/v1";
    /** The manifest: the first entry of the tar. */
    public static final String MANIFEST = "bundle-manifest.yaml";
    /** The Ed25519 signature over the manifest's bytes: the second entry. */
    public static final String SIGNATURE = "bundle-manifest.yaml.sig";
    /** Folder of the chart package inside the bundle. */
    public static final String CHART_DIR = "chart/";
    /** Folder of the OCI image layouts, one sub-folder per image. */
    public static final String IMAGES_DIR = "images/";
    /** Folder of the images' CycloneDX SBOMs ({@code <repository with / as _>.cdx.json}). */
    public static final String SBOM_DIR = "sbom/";
    /** Folder of the embedding model files. */
    public static final String MODELS_DIR = "models/";
    /** The Keycloak realm, applied with {@code ./drydock realm apply}. */
    public static final String REALM = "keycloak/drydock-realm.json";
    /** Helm values that pin every image of the chart to the digest in this bundle. */
    public static final String IMAGE_VALUES = "chart/values-images.yaml";

    private BundleFormat() {}
}
