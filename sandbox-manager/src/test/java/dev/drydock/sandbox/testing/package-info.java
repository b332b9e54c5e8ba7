/** Test fixtures shared by the sandbox-manager tests. */
package dev.drydock.sandbox.testing;
