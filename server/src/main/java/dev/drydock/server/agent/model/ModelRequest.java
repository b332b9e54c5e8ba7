package dev.drydock.server.agent.model;

import dev.drydock.server.agent.PersistentList;
import dev.drydock.server.agent.tool.ToolSpec;
import java.util.List;

/** What one model call sends: the conversation, the tools on offer and the route (model alias). */
public record ModelRequest(String route, List<Message> messages, List<ToolSpec> tools) {
    public ModelRequest {
        messages = PersistentList.immutable(messages);
        tools = List.copyOf(tools);
    }
}
