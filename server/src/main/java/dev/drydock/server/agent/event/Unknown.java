package dev.drydock.server.agent.event;

/** An event of a type this version does not know, kept verbatim (written by a newer version). */
public record Unknown(String type, String json) implements Payload {}
