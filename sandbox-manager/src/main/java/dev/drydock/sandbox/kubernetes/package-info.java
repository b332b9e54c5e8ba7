/**
 * The Kubernetes backend: one locked-down pod per session, a deny-all NetworkPolicy, a warm pool, a
 * reaper and start-up reconciliation. The only package that knows fabric8.
 */
@NullMarked
package dev.drydock.sandbox.kubernetes;

import org.jspecify.annotations.NullMarked;
