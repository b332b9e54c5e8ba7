package dev.drydock.server.ticket;

/**
 * A ticket server answered with an error or could not be reached.
 *
 * @param status the HTTP status it answered, 0 when there was no answer (down, refused by the egress
 *     allow-list)
 */
public final class TicketException extends Exception {
    private final int status;
    private final boolean hostNotAllowed;

    public TicketException(int status, String message) {
        this(status, message, false);
    }

    TicketException(int status, String message, boolean hostNotAllowed) {
        super(message);
        this.status = status;
        this.hostNotAllowed = hostNotAllowed;
    }

    public int status() {
        return status;
    }

    /** The server's host is not on the egress allow-list. */
    public boolean hostNotAllowed() {
        return hostNotAllowed;
    }
}
