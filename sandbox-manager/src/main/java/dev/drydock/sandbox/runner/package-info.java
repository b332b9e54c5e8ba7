/**
 * The in-pod tool runner and its wire protocol (see ADR 0002). JDK only ({@code
 * com.sun.net.httpserver}), so the sandbox image needs nothing but a JRE and this module's jar.
 */
@NullMarked
package dev.drydock.sandbox.runner;

import org.jspecify.annotations.NullMarked;
