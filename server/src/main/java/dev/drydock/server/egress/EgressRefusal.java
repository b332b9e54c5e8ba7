package dev.drydock.server.egress;

import java.time.Instant;

/** A refused outbound request: which host, which URL (without query), for what, when. */
public record EgressRefusal(String host, String url, String purpose, Instant at) {}
