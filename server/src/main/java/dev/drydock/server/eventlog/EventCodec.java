package dev.drydock.server.eventlog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.event.Unknown;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The only code that knows event JSON. Each payload type has a stable name ({@code
 * "command.finished.v1"}); renaming a Java class never changes stored data. Unknown names decode to
 * {@link Unknown}, so a log written by a newer version still reads. Domain records carry no Jackson
 * annotations: their JSON is their record components.
 */
public final class EventCodec {
    /** Stable type names, in catalogue order. */
    public static final Map<Class<? extends Payload>, String> TYPE_NAMES = names();

    private static final Map<String, Class<? extends Payload>> BY_NAME = byName();
    private final ObjectMapper json;

    public EventCodec() {
        this.json = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    private static Map<Class<? extends Payload>, String> names() {
        Map<Class<? extends Payload>, String> m = new LinkedHashMap<>();
        m.put(Lifecycle.SessionStarted.class, "session.started.v1");
        m.put(Lifecycle.SessionInterrupted.class, "session.interrupted.v1");
        m.put(Lifecycle.SessionResumed.class, "session.resumed.v1");
        m.put(Lifecycle.SessionFinished.class, "session.finished.v1");
        m.put(Conversation.UserMessage.class, "user.message.v1");
        m.put(Conversation.Attached.class, "attachment.added.v1");
        m.put(Conversation.ModelReplied.class, "model.replied.v1");
        m.put(Conversation.QuestionAsked.class, "question.asked.v1");
        m.put(Conversation.QuestionAnswered.class, "question.answered.v1");
        m.put(Action.InvokeTool.class, "tool.invoke.v1");
        m.put(Observation.ToolSucceeded.class, "tool.succeeded.v1");
        m.put(Observation.CommandFinished.class, "command.finished.v1");
        m.put(Observation.FileChanged.class, "file.changed.v1");
        m.put(Observation.ToolFailed.class, "tool.failed.v1");
        m.put(Observation.ActionRejected.class, "action.rejected.v1");
        m.put(Observation.FormatRejected.class, "format.rejected.v1");
        m.put(Oversight.ApprovalRequested.class, "approval.requested.v1");
        m.put(Oversight.ActionApproved.class, "action.approved.v1");
        m.put(Oversight.ActionDenied.class, "action.denied.v1");
        m.put(Oversight.CancelRequested.class, "cancel.requested.v1");
        m.put(Progress.ContextPrepared.class, "context.prepared.v1");
        m.put(Progress.PlanUpdated.class, "plan.updated.v1");
        m.put(Progress.HistoryCondensed.class, "history.condensed.v1");
        m.put(Progress.ArtifactProduced.class, "artifact.produced.v1");
        m.put(Telemetry.ContextMeasured.class, "context.measured.v1");
        m.put(Telemetry.ModelUsage.class, "model.usage.v1");
        m.put(Telemetry.ModelCallFailed.class, "model.call-failed.v1");
        m.put(Telemetry.ClassificationRaised.class, "classification.raised.v1");
        m.put(Telemetry.MirrorRequested.class, "mirror.requested.v1");
        m.put(Telemetry.SetupCompleted.class, "setup.completed.v1");
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Class<? extends Payload>> byName() {
        Map<String, Class<? extends Payload>> m = new LinkedHashMap<>();
        TYPE_NAMES.forEach((k, v) -> m.put(v, k));
        return Collections.unmodifiableMap(m);
    }

    /** The stable name of a payload's type ({@link Unknown} keeps its own). */
    public String typeName(Payload payload) {
        if (payload instanceof Unknown u) {
            return u.type();
        }
        String name = TYPE_NAMES.get(payload.getClass());
        if (name == null) {
            throw new IllegalStateException(
                    "no stable type name for " + payload.getClass().getName() + ": add it to EventCodec.TYPE_NAMES");
        }
        return name;
    }

    /**
     * Field that an encoded payload carries when its text held NUL characters: how many were replaced
     * by U+FFFD. PostgreSQL's jsonb (and text) refuse NUL, and a command's output or a
     * model's reply may hold one; decoding ignores the field.
     */
    public static final String NUL_REPLACED = "nulReplaced";

    private static final String NUL_ESCAPE = "\\u0000";
    private static final String REPLACEMENT_ESCAPE = "\\ufffd";

    /**
     * The payload's JSON object (without the type name). NUL characters in its strings become U+FFFD,
     * and the object then says how many in {@link #NUL_REPLACED}, so the log can store it.
     */
    public String encode(Payload payload) {
        if (payload instanceof Unknown u) {
            return u.json();
        }
        try {
            return withoutNul(json.writeValueAsString(payload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces each JSON escape of NUL (a backslash, then u0000) in a JSON object's strings by the escape
     * of U+FFFD and records the count as the object's first field. Jackson writes NUL only as that
     * escape; text that holds a backslash followed by u0000 is written with the backslash escaped, and
     * the scan steps over every escaped pair.
     */
    static String withoutNul(String object) {
        if (!object.contains(NUL_ESCAPE) || !object.startsWith("{")) {
            return object;
        }
        StringBuilder out = new StringBuilder(object.length() + 24);
        int replaced = 0;
        for (int i = 0; i < object.length(); i++) {
            char c = object.charAt(i);
            if (c == '\\' && i + 1 < object.length()) {
                if (object.startsWith(NUL_ESCAPE, i)) {
                    out.append(REPLACEMENT_ESCAPE);
                    replaced++;
                    i += NUL_ESCAPE.length() - 1;
                } else {
                    out.append(c).append(object.charAt(i + 1));
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        if (replaced == 0) {
            return object;
        }
        String count = "\"" + NUL_REPLACED + "\":" + replaced;
        return "{" + count + "," + out.substring(1);
    }

    /** Decodes a stored payload; unknown type names, and known ones that no longer fit, become {@link Unknown}. */
    public Payload decode(String type, String payloadJson) {
        Class<? extends Payload> cls = BY_NAME.get(type);
        if (cls == null) {
            return new Unknown(type, payloadJson);
        }
        try {
            return json.readValue(payloadJson, cls);
        } catch (IOException e) {
            return new Unknown(type, payloadJson);
        }
    }

    /** The envelope for the API and SSE: {@code {sessionId, seq, at, source, causedBy, type, payload}}, in one pass. */
    public String encodeEvent(Event e) {
        try {
            return "{\"sessionId\":" + json.writeValueAsString(e.sessionId())
                    + ",\"seq\":" + e.seq()
                    + ",\"at\":\"" + e.at() + "\""
                    + ",\"source\":\"" + e.source().name() + "\""
                    + ",\"causedBy\":"
                    + (e.causedBy() == null ? "null" : e.causedBy().toString())
                    + ",\"type\":" + json.writeValueAsString(typeName(e.payload()))
                    + ",\"payload\":" + encode(e.payload()) + "}";
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The envelope as a tree, for embedding in other JSON responses. */
    public JsonNode eventTree(Event e) {
        try {
            return json.readTree(encodeEvent(e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
