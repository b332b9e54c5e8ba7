/**
 * The model promotion gate: a candidate endpoint runs the shipped task fixtures as real code-droid
 * sessions, the report is stored, and routes may only send traffic to an endpoint with a passing
 * report (or an audited override).
 */
@NullMarked
package dev.drydock.server.promotion;

import org.jspecify.annotations.NullMarked;
