package io.quire.desktop.home;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tokens in the Secret Service keyring (GNOME Keyring, KWallet) through {@code secret-tool} from libsecret-tools:
 * attributes {@code service=quire-desktop} and {@code server=<url>}; the token goes to {@code secret-tool store} on
 * its standard input, never on a command line.
 *
 * @param executable the {@code secret-tool} program
 */
public record SecretToolTokens(Path executable) implements TokenStore {
    private static final String SERVICE = "quire-desktop";
    private static final long WAIT_SECONDS = 30;

    /** Validates the field. */
    public SecretToolTokens {
        Objects.requireNonNull(executable, "executable");
    }

    /**
     * Finds {@code secret-tool} on a PATH.
     *
     * @param path the PATH value
     * @return the executable, or empty when it is not installed
     */
    public static Optional<Path> find(String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "secret-tool");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public void store(String server, String token) {
        Objects.requireNonNull(token, "token");
        run(List.of("store", "--label=Quire token for " + server, "service", SERVICE, "server", server),
                Optional.of(token));
    }

    @Override
    public Optional<String> lookup(String server) {
        Result result = run(List.of("lookup", "service", SERVICE, "server", server), Optional.empty(), 0, 1);
        // secret-tool lookup exits 1 with no output when nothing matches
        return result.status() == 0 && !result.out().isEmpty() ? Optional.of(result.out()) : Optional.empty();
    }

    @Override
    public void remove(String server) {
        run(List.of("clear", "service", SERVICE, "server", server), Optional.empty(), 0, 1);
    }

    @Override
    public String description() {
        return "Tokens are kept in the system keyring (Secret Service, via " + executable + ").";
    }

    private record Result(int status, String out) {
    }

    private Result run(List<String> args, Optional<String> input, int... accepted) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input.isPresent()) {
                    stdin.write(input.get().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // it exited without reading its input: its status and error output below say why
            }
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TokenStoreException("secret-tool " + args.getFirst() + " did not finish within "
                        + WAIT_SECONDS + " s", null);
            }
            int status = process.exitValue();
            boolean ok = accepted.length == 0 ? status == 0 : java.util.Arrays.stream(accepted).anyMatch(a -> a == status);
            if (!ok) {
                throw new TokenStoreException("secret-tool " + args.getFirst() + " failed with status " + status
                        + ": " + new String(err, StandardCharsets.UTF_8).strip(), null);
            }
            return new Result(status, new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new TokenStoreException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenStoreException("interrupted while running secret-tool", e);
        }
    }
}
