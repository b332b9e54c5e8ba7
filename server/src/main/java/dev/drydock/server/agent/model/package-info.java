/** The model port ({@link dev.drydock.server.agent.model.LlmModel}) and the one events → prompt function. */
@NullMarked
package dev.drydock.server.agent.model;

import org.jspecify.annotations.NullMarked;
