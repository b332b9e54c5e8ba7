package dev.drydock.server.problem;

/**
 * A {@link ProblemException} that {@link ProblemMappers} answered, announced as a CDI event: observers
 * pick the kinds they know (the audit side records refusals at a workspace boundary). The problem
 * package does not know who listens.
 */
public record ProblemAnswered(ProblemException problem, String path, String client) {}
