package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** The server's volume can be provisioned: the named StorageClass exists, or there is a default one. */
final class StorageClassCheck implements PreflightCheck {
    static final String DEFAULT = "storageclass.kubernetes.io/is-default-class";

    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        if (!settings.persistence()) {
            return CheckResult.pass("storage-class", "persistence disabled: mirrors live in an emptyDir");
        }
        List<StorageClass> classes =
                client.storage().v1().storageClasses().list().getItems();
        if (settings.storageClass().isPresent()) {
            String name = settings.storageClass().get();
            return classes.stream().anyMatch(c -> c.getMetadata().getName().equals(name))
                    ? CheckResult.pass("storage-class", "StorageClass " + name + " exists")
                    : CheckResult.fail(
                            "storage-class", "StorageClass " + name + " does not exist; there are: " + names(classes));
        }
        return classes.stream()
                .filter(c -> "true".equals(annotations(c).get(DEFAULT)))
                .findFirst()
                .map(c -> CheckResult.pass(
                        "storage-class",
                        "default StorageClass " + c.getMetadata().getName()))
                .orElse(CheckResult.fail(
                        "storage-class",
                        "no default StorageClass: set persistence.storageClassName (there are: " + names(classes)
                                + ") or persistence.enabled=false"));
    }

    private static String names(List<StorageClass> classes) {
        return classes.isEmpty()
                ? "none"
                : String.join(
                        ", ",
                        classes.stream().map(c -> c.getMetadata().getName()).toList());
    }

    private static Map<String, String> annotations(StorageClass c) {
        return c.getMetadata().getAnnotations() == null
                ? Map.of()
                : c.getMetadata().getAnnotations();
    }
}
