/**
 * API boundary of the sandbox manager: a {@link dev.drydock.sandbox.SandboxBackend} creates {@link
 * dev.drydock.sandbox.Sandbox}es from a {@link dev.drydock.sandbox.SandboxSpec}; a sandbox only runs
 * tools. Changes to the types in this package need an ADR. This package depends on the JDK only.
 */
@NullMarked
package dev.drydock.sandbox;

import org.jspecify.annotations.NullMarked;
