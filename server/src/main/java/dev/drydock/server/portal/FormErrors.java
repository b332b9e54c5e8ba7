package dev.drydock.server.portal;

import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A service's refusal of a portal form, shown in the form: each message next to the field it is
 * about (the problem's field errors, or the field its detail starts with), the rest above the form.
 *
 * @param general what is not about one field (shown at the top of the form), or empty
 * @param fields field name → message
 */
public record FormErrors(String general, Map<String, String> fields) {
    /** No error: the form as first shown. */
    public static final FormErrors NONE = new FormErrors("", Map.of());

    /**
     * Places a problem's messages on the form's {@code formFields}; {@code aliases} maps the names a
     * service uses (its JSON fields, its problem types) to the form's.
     */
    static FormErrors of(ProblemException e, List<String> formFields, Map<String, String> aliases) {
        Problem p = e.problem();
        Map<String, String> fields = new LinkedHashMap<>();
        if (p.errors() != null) {
            for (Problem.FieldError f : p.errors()) {
                String field = aliases.getOrDefault(f.field(), f.field());
                if (formFields.contains(field)) {
                    fields.merge(field, f.message(), (a, b) -> a + "; " + b);
                }
            }
            if (!fields.isEmpty() && fields.size() == p.errors().size()) {
                return new FormErrors("", fields);
            }
            if (!fields.isEmpty()) {
                return new FormErrors(p.detail(), fields);
            }
        }
        String byType = aliases.get(p.type().substring(p.type().lastIndexOf(':') + 1));
        if (byType != null && formFields.contains(byType)) {
            return new FormErrors("", Map.of(byType, p.detail()));
        }
        String first = p.detail().split("[ ']", 2)[0].toLowerCase(Locale.ROOT);
        String field = aliases.getOrDefault(first, first);
        if (p.status() < 500 && formFields.contains(field)) {
            return new FormErrors("", Map.of(field, p.detail()));
        }
        return new FormErrors(p.detail(), Map.of());
    }

    /** For a form of one field: a message about no field in particular is shown next to {@code field}. */
    FormErrors onField(String field) {
        return !general.isEmpty() && fields.isEmpty() ? new FormErrors("", Map.of(field, general)) : this;
    }

    public boolean any() {
        return !general.isEmpty() || !fields.isEmpty();
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The message for {@code field}, or empty. */
    public String of(String field) {
        @Nullable String m = fields.get(field);
        return m == null ? "" : m;
    }
}
