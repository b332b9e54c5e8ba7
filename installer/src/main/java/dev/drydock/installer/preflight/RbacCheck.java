package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The installing user may create what the chart creates, and holds every permission the chart's
 * Role grants in the sandbox namespace (Kubernetes refuses to let anyone grant more than they
 * have). Asked with SelfSubjectAccessReviews, so nothing is created.
 */
final class RbacCheck implements PreflightCheck {
    /** One permission: verb on group/resource, in the release namespace, the sandbox namespace, or cluster-wide. */
    record Permission(String scope, String group, String resource, String verb) {
        static final String RELEASE = "release";
        static final String SANDBOX = "sandbox";
        static final String CLUSTER = "cluster";

        String describe(PreflightSettings s) {
            String where = switch (scope) {
                case RELEASE -> " in " + s.namespace();
                case SANDBOX -> " in " + s.sandboxNamespace();
                default -> " (cluster)";
            };
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + where;
        }
    }

    static final List<Permission> REQUIRED = required();

    private static List<Permission> required() {
        List<Permission> p = new ArrayList<>();
        String r = Permission.RELEASE;
        String s = Permission.SANDBOX;
        for (String[] gr : new String[][] {
            {"apps", "deployments"},
            {"", "services"},
            {"", "configmaps"},
            {"", "secrets"},
            {"", "serviceaccounts"},
            {"", "persistentvolumeclaims"},
            {"", "pods"},
            {"networking.k8s.io", "networkpolicies"},
            {"policy", "poddisruptionbudgets"}
        }) {
            p.add(new Permission(r, gr[0], gr[1], "create"));
        }
        p.add(new Permission(Permission.CLUSTER, "", "namespaces", "create"));
        p.add(new Permission(s, "rbac.authorization.k8s.io", "roles", "create"));
        p.add(new Permission(s, "rbac.authorization.k8s.io", "rolebindings", "create"));
        // What the chart's Role grants the server: the installer must hold it to grant it.
        for (String verb : List.of("get", "list", "watch", "create", "patch", "delete"))
            p.add(new Permission(s, "", "pods", verb));
        for (String verb : List.of("get", "list", "create", "delete")) p.add(new Permission(s, "", "secrets", verb));
        for (String verb : List.of("create", "get", "update"))
            p.add(new Permission(s, "networking.k8s.io", "networkpolicies", verb));
        return List.copyOf(p);
    }

    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        List<String> denied = new ArrayList<>();
        for (Permission p : REQUIRED) {
            String namespace = switch (p.scope()) {
                case Permission.RELEASE -> settings.namespace();
                case Permission.SANDBOX -> settings.sandboxNamespace();
                default -> null;
            };
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withNamespace(namespace)
                    .withGroup(p.group())
                    .withResource(p.resource())
                    .withVerb(p.verb())
                    .endResourceAttributes()
                    .endSpec()
                    .build();
            SelfSubjectAccessReview answer =
                    client.authorization().v1().selfSubjectAccessReview().create(review);
            if (answer.getStatus() == null
                    || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
                denied.add(p.describe(settings));
            }
        }
        if (denied.isEmpty()) {
            return CheckResult.pass(
                    "rbac", "you may create everything the chart creates (" + REQUIRED.size() + " access reviews)");
        }
        return CheckResult.fail("rbac", "you may not: " + String.join("; ", denied));
    }
}
