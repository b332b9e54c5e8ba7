package dev.drydock.sandbox;

/** The two output streams of a command. */
public enum OutputChannel {
    STDOUT,
    STDERR
}
