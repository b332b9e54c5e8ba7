/**
 * The local backend: each command runs in a fresh bubblewrap sandbox (new user, pid, net, ipc, uts
 * and mount namespaces; read-only host; writable workspace; private tmpfs {@code /tmp}) with
 * cgroup and rlimit limits. The only package that starts host processes (the tool runner aside).
 */
@NullMarked
package dev.drydock.sandbox.bubblewrap;

import org.jspecify.annotations.NullMarked;
