package dev.drydock.server.droid;

import io.quarkus.qute.Engine;
import java.util.Map;

/** Renders prompt template files (Qute syntax: {@code {task}}, {@code {#for}}…) with a session's values. */
public final class PromptTemplates {
    private static final Engine ENGINE = Engine.builder().addDefaults().build();

    private PromptTemplates() {}

    public static String render(String template, Map<String, Object> data) {
        var t = ENGINE.parse(template);
        var instance = t.instance();
        data.forEach(instance::data);
        return instance.render();
    }
}
