package io.quire.desktop.home;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Tokens in a properties file only the user can read and write (mode 0600, checked on every read: a file others can
 * read is refused), for systems without a keyring. The file is written to a temporary file created 0600, then
 * moved, so the token is never readable by others even for a moment.
 *
 * @param file the properties file
 */
public record FileTokens(Path file) implements TokenStore {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Validates the field. */
    public FileTokens {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized void store(String server, String token) {
        Objects.requireNonNull(token, "token");
        Properties tokens = read();
        tokens.setProperty(server, token);
        write(tokens);
    }

    @Override
    public synchronized Optional<String> lookup(String server) {
        return Optional.ofNullable(read().getProperty(server));
    }

    @Override
    public synchronized void remove(String server) {
        Properties tokens = read();
        if (tokens.remove(server) != null) {
            write(tokens);
        }
    }

    @Override
    public String description() {
        return "No system keyring found (install libsecret-tools for the Secret Service): tokens are kept in " + file
                + ", readable only by you (mode 0600).";
    }

    private boolean posix() {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private Properties read() {
        Properties tokens = new Properties();
        if (!Files.exists(file)) {
            return tokens;
        }
        try {
            if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                throw new TokenStoreException(file + " has mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
                        + "; it holds tokens and must be rw------- (chmod 600 " + file + ")", null);
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                tokens.load(reader);
            }
            return tokens;
        } catch (IOException e) {
            throw new TokenStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Properties tokens) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            if (posix()) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(temporary);
            }
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                tokens.store(writer, "Quire desktop: server tokens");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TokenStoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
