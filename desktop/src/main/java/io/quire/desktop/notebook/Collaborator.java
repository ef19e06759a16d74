package io.quire.desktop.notebook;

import java.util.Objects;
import java.util.Optional;

/**
 * Someone else in a live notebook, as the real-time channel's presence says: plain data for views to draw.
 *
 * @param clientId their connection's id (one person may have several)
 * @param user     who they are (the server's user id; {@code local} for every client of a single-user server)
 * @param cellId   the cell they have selected, if any
 * @param cursor   their caret in that cell's source (UTF-16 index), if they sent one
 * @param colour   a small number picked from the client id, the same in every cell and the toolbar (views map it to
 *                 a colour from their palette)
 */
public record Collaborator(String clientId, String user, Optional<String> cellId, Optional<Integer> cursor,
        int colour) {
    /** How many colours views should have. */
    public static final int COLOURS = 8;

    /** Validates the fields. */
    public Collaborator {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(cursor, "cursor");
        if (colour < 0 || colour >= COLOURS) {
            throw new IllegalArgumentException("colour must be 0 to " + (COLOURS - 1) + ", got " + colour);
        }
    }

    /**
     * The colour a client id gets.
     *
     * @param clientId the id
     * @return 0 to {@link #COLOURS} - 1
     */
    static int colourOf(String clientId) {
        return Math.floorMod(clientId.hashCode(), COLOURS);
    }

    /** @return the name to show: the user and the first characters of the client id (tells two windows apart) */
    public String label() {
        return user + " \u00b7 " + clientId.substring(0, Math.min(4, clientId.length()));
    }
}
