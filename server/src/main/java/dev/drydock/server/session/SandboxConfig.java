package dev.drydock.server.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The sandbox policy of droid sessions and of {@code ./drydock sandbox exec}. sandbox-manager parses
 * these keys itself ({@code SandboxOptions.fromConfig}, which names the key of any invalid value);
 * this mapping documents them with their defaults, and a test holds the two to the same defaults.
 * Sizes take {@code k}, {@code m} or {@code g}; durations are ISO-8601 ({@code PT30M}) or seconds.
 */
@ConfigMapping(prefix = "drydock.sandbox")
public interface SandboxConfig {
    /** Where sandboxes run: `local` (bubblewrap on this machine) or `kubernetes` (a locked-down pod per session). */
    @WithDefault("local")
    String backend();

    /** Lifetime of a sandbox; the reaper deletes it afterwards, whatever it is doing. */
    @WithDefault("PT8H")
    String ttl();

    /** Memory limit of a sandbox (all its processes together). */
    @WithDefault("2g")
    String memory();

    /** CPU limit in thousandths of a core. */
    @WithDefault("2000")
    String cpuMillicores();

    /** CPU time one process may use before it is killed. */
    @WithDefault("PT30M")
    String cpuTime();

    /** Processes a sandbox may run at once (a fork bomb stops here). */
    @WithDefault("512")
    String maxProcesses();

    /** Largest file a process may write. */
    @WithDefault("1g")
    String maxFileSize();

    /** Workspace disk quota: a Kubernetes sandbox's ephemeral-storage limit; locally, enforced by usage accounting (ADR 0008). */
    @WithDefault("10g")
    String ephemeralStorage();

    /** Size of the private `/tmp` of a command. */
    @WithDefault("512m")
    String tmpSize();

    /** Output kept per stream of one command; the rest is cut with a marker. */
    @WithDefault("1m")
    String outputLimit();

    /** The local (bubblewrap) backend. */
    Local local();

    /** The Kubernetes backend. */
    Kubernetes kubernetes();

    /** Keys of the local backend. */
    interface Local {
        /** The bubblewrap binary: a name looked up on PATH, or a path. */
        @WithDefault("bwrap")
        String bwrap();

        /** Folder holding one sub-folder per sandbox; default `<java.io.tmpdir>/drydock-sandboxes`. */
        Optional<String> workRoot();

        /** First host uid given to sandboxes when the server runs as root (each live sandbox gets its own). */
        @WithDefault("200000")
        String uidBase();

        /** Use cgroups (v2, or v1 pids and memory) for process, memory and CPU limits when the host allows it. */
        @WithDefault("true")
        String cgroups();

        /**
         * Start the local backend even when nothing can bound a sandbox's processes: no cgroup pids
         * controller, and the server not root (so no per-sandbox uid for RLIMIT_NPROC). A fork bomb in a
         * sandbox then reaches the whole host; without this switch the backend refuses to start and says why.
         */
        @WithDefault("false")
        String allowUnlimitedProcesses();

        /**
         * Single-machine build environment: sandboxes get the host user's Maven repository and Maven
         * wrapper distributions read-only, a writable home of their own, and package-manager settings
         * generated from the host user's `settings.xml`, `.npmrc` and `pip.conf` without credentials
         * (ADR 0011). Set to `false` to give sandboxes nothing from the host user.
         */
        @WithDefault("true")
        String hostBuildCaches();

        /**
         * Folder of the per-workspace dependency caches (issue #18): one folder per workspace, build tool
         * and hash of its lock or build files, filled by setup steps of sandboxes whose workspace chose a
         * package mirror and bound read-only into later ones. Default: `build-caches` in the appliance's home (`drydock.appliance.home`).
         */
        Optional<String> dependencyCaches();
    }

    /** Keys of the Kubernetes backend. */
    interface Kubernetes {
        /** Namespace the sandbox pods run in. */
        @WithDefault("drydock-sandboxes")
        String namespace();

        /** Sandbox image (it holds the tool runner). */
        @WithDefault("drydock/sandbox:latest")
        String image();

        /** Registry that replaces the image's registry (an air-gapped mirror). */
        Optional<String> registry();

        /** RuntimeClass of sandbox pods (for example gVisor or Kata); none by default. */
        Optional<String> runtimeClass();

        /** Other RuntimeClasses a sandbox spec may ask for, comma-separated. */
        Optional<String> allowedRuntimeClasses();

        /** Image pull secrets of sandbox pods, comma-separated. */
        Optional<String> imagePullSecrets();

        /** Labels of the server's pods, `k=v,k=v`: the only source the NetworkPolicy lets in. */
        @WithDefault("app.kubernetes.io/name=drydock-server")
        String controlSelector();

        /** Namespace of the server's pods. */
        @WithDefault("drydock")
        String controlNamespace();

        /** Port of the in-pod tool runner. */
        @WithDefault("7070")
        String runnerPort();

        /** Allow cluster DNS on this port (53, or 5353 on OpenShift); no DNS when unset. */
        Optional<String> dnsPort();

        /** Internal package mirrors sandboxes may reach, `cidr:port,…`; none by default. */
        Optional<String> mirrors();

        /** Ready sandboxes kept warm. */
        @WithDefault("0")
        String warmPoolSize();

        /** `activeDeadlineSeconds` of sandbox pods. */
        @WithDefault("PT8H")
        String activeDeadline();
    }
}
