package dev.drydock.installer.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields fabric8 did not recognise while reading a typed object: it keeps them in
 * {@code additionalProperties} instead of failing, so a misspelt field ({@code imagePullPolicy} as
 * {@code imagePulPolicy}) would otherwise pass unnoticed.
 */
final class UnknownFields {
    private UnknownFields() {}

    static List<String> of(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object o, String path, List<String> found) {
        if (o == null || o instanceof GenericKubernetesResource) {
            return;
        }
        if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) walk(list.get(i), path + "[" + i + "]", found);
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) continue;
            String name = m.getName();
            if (!name.startsWith("get") || name.equals("getClass")) continue;
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
            } else {
                walk(value, path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), found);
            }
        }
    }
}
