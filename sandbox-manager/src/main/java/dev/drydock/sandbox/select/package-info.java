/** Chooses the sandbox backend named by configuration. */
package dev.drydock.sandbox.select;
