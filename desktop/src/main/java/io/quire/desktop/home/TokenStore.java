package io.quire.desktop.home;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the tokens of remote servers are kept: the desktop's Secret Service keyring through {@code secret-tool}
 * (libsecret-tools) when it is installed, else a file only the user can read (mode 0600).
 */
public sealed interface TokenStore permits SecretToolTokens, FileTokens {
    /**
     * Stores a server's token, replacing an older one.
     *
     * @param server the server's URL
     * @param token  the token
     * @throws TokenStoreException when it cannot be stored
     */
    void store(String server, String token);

    /**
     * Looks a server's token up.
     *
     * @param server the server's URL
     * @return the token, or empty when none is stored
     * @throws TokenStoreException when the store cannot be read
     */
    Optional<String> lookup(String server);

    /**
     * Removes a server's token; nothing happens when none is stored.
     *
     * @param server the server's URL
     * @throws TokenStoreException when it cannot be removed
     */
    void remove(String server);

    /**
     * Where tokens go, for the user to read in the connect dialog.
     *
     * @return a sentence
     */
    String description();

    /**
     * The keyring when {@code secret-tool} is on the PATH, else the 0600 file in the config folder.
     *
     * @param config the config folder
     * @param env    the environment ({@code PATH} is searched)
     * @return the store
     */
    static TokenStore forUser(ConfigDir config, Map<String, String> env) {
        Optional<Path> tool = SecretToolTokens.find(env.getOrDefault("PATH", ""));
        if (tool.isPresent()) {
            return new SecretToolTokens(tool.get());
        }
        return new FileTokens(config.path().resolve("tokens.properties"));
    }

    /** A token could not be stored, read or removed. */
    final class TokenStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * An exception.
         *
         * @param message what went wrong
         * @param cause   the cause, or null
         */
        public TokenStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
