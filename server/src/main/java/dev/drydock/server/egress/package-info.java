/** The egress allow-list: every outbound HTTP request of the server goes through one guard that refuses unlisted hosts. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.egress;
