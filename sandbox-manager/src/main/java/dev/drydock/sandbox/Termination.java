package dev.drydock.sandbox;

/** How a command ended. */
public sealed interface Termination {
    /** The status line the operator command prints last: {@code exit=N}, {@code exit=timeout}, {@code exit=killed:REASON}. */
    String statusLine();

    /** The command exited by itself (a signal death is reported as 128 + signal, like a shell). */
    record Exited(int code) implements Termination {
        @Override
        public String statusLine() {
            return "exit=" + code;
        }
    }

    /** The wall-clock timeout expired and the whole process tree was killed. */
    record TimedOut() implements Termination {
        @Override
        public String statusLine() {
            return "exit=timeout";
        }
    }

    /**
     * The sandbox ended the command for a reason other than its timeout: {@code memory}, {@code
     * cpu-time}, {@code file-size}, {@code disk-quota}, {@code destroyed}, {@code runner-lost}.
     */
    record Killed(String reason) implements Termination {
        @Override
        public String statusLine() {
            return "exit=killed:" + reason;
        }
    }
}
