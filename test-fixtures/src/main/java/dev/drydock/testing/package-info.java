/** Test doubles of external services, shared by the modules' tests (test scope only). */
@NullMarked
package dev.drydock.testing;

import org.jspecify.annotations.NullMarked;
