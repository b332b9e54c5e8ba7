/**
 * {@code ./drydock login|logout} and the signed-in HTTP client that commands use against a remote
 * Drydock server: OAuth 2.0 device authorization grant (RFC 8628) with the realm's public CLI client.
 */
@NullMarked
package dev.drydock.cli.login;

import org.jspecify.annotations.NullMarked;
