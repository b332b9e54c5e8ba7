/**
 * The Kubernetes backend: one locked-down pod per session, a deny-all NetworkPolicy, a warm pool, a
 * reaper and start-up reconciliation. The only package that knows fabric8.
 */
package dev.drydock.sandbox.kubernetes;
