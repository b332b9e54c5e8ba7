/** Data-loss prevention: finds secrets in outbound prompts and redacts them or refuses the request. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.dlp;
