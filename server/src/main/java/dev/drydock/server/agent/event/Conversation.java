package dev.drydock.server.agent.event;

import java.util.List;

/** Messages between the person and the model. */
public sealed interface Conversation extends Payload {
    /** A person adds a message to the conversation (the task itself is in {@code SessionStarted}). */
    record UserMessage(String text) implements Conversation {}

    /**
     * Text attached to the session by whoever started it (a pasted ticket or log, an uploaded file)
     * or by the integration that started it (a ticket's description and comments, an alert's labels
     * and runbook). Its author is outside the conversation, so it is untrusted: the model reads it as
     * data, and it taints the context ({@code agent.Taint}). {@code origin} says where it came from in
     * a few words ("pasted", "file", "jira PROJ-12").
     */
    record Attached(String name, String origin, String text) implements Conversation {}

    /** One model reply: free text plus the tool calls it asks for, in order. */
    record ModelReplied(String text, List<ToolCall> calls) implements Conversation {
        public ModelReplied {
            calls = List.copyOf(calls);
        }
    }

    /** The droid asks the person; the session pauses until {@link QuestionAnswered}. */
    record QuestionAsked(String callId, String question, List<String> options) implements Conversation {
        public QuestionAsked {
            options = List.copyOf(options);
        }
    }

    /** The person's answer to a {@link QuestionAsked} with the same call id. */
    record QuestionAnswered(String callId, String answer) implements Conversation {}

    /**
     * One tool call as the model wrote it. {@code arguments} is the raw JSON text, kept verbatim even
     * when malformed.
     */
    record ToolCall(String id, String tool, String arguments) {}
}
