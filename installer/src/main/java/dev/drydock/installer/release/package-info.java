/**
 * {@code install render | install | upgrade}: the values of a release (files, flags, a short
 * questionnaire), the exact Helm invocation, and the redacted support bundle written when it fails.
 */
package dev.drydock.installer.release;
