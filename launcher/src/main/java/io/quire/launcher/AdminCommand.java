package io.quire.launcher;

import io.quire.server.team.StoreSettings;
import io.quire.server.team.TeamAdmin;
import io.quire.store.ApiToken;
import io.quire.store.CreatedToken;
import io.quire.store.Store;
import io.quire.store.StoreException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quire admin}: operator tasks on the team server's store (the {@code store:} section of {@code --config}, or
 * {@code QUIRE_STORE_*}): bootstrap an organisation, make and revoke API tokens, set a user's password for
 * password sign-in. Tokens are printed once; a password is read from the console (or standard input), never from the
 * command line, and never printed.
 */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        versionProvider = QuireCommand.Version.class,
        description = {
            "Administer a team server's store (the 'store:' section of --config, or QUIRE_STORE_URL, _USER, _PASSWORD).",
            "Tokens are shown once: keep them safe. Passwords are read from the console or standard input, never from"
                    + " the command line."},
        subcommands = {AdminCommand.InitOrg.class, AdminCommand.CreateToken.class, AdminCommand.RevokeToken.class,
            AdminCommand.SetPassword.class})
final class AdminCommand implements Runnable {
    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "A YAML configuration file with a 'store:' section.")
    Path configFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the store, runs a task, closes it; bad configuration is exit 2, a refused task exit 1. */
    private static int withStore(AdminCommand admin, CommandLine.Model.CommandSpec spec, Task task) {
        PrintWriter err = spec.commandLine().getErr();
        Optional<StoreSettings> settings;
        try {
            settings = StoreSettings.load(Optional.ofNullable(admin.configFile), System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("quire admin: " + e.getMessage());
            return 2;
        }
        if (settings.isEmpty()) {
            err.println("quire admin: no store configured: give --config FILE with a 'store:' section, or set"
                    + " QUIRE_STORE_URL");
            return 2;
        }
        try (Store store = Store.open(settings.get().storeConfig().build())) {
            task.run(new TeamAdmin(store, Clock.systemUTC()), spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (StoreException | IllegalArgumentException e) {
            err.println("quire admin: " + e.getMessage());
            return 1;
        }
    }

    @FunctionalInterface
    private interface Task {
        void run(TeamAdmin admin, PrintWriter out);
    }

    /** {@code quire admin init-org NAME --owner-email E}. */
    @Command(name = "init-org", mixinStandardHelpOptions = true,
            description = "Create an organisation, its owner (without a password) and the owner's first API token.")
    static final class InitOrg implements Callable<Integer> {
        @CommandLine.ParentCommand
        private AdminCommand parent;
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "The organisation's name.")
        private String name;
        @Option(names = "--owner-email", required = true, paramLabel = "E", description = "The owner's e-mail address.")
        private String ownerEmail;

        @Override
        public Integer call() {
            return withStore(parent, spec, (admin, out) -> {
                TeamAdmin.Bootstrap made = admin.initOrganisation(name, ownerEmail);
                out.println("Organisation '" + made.organisation().name() + "' (" + made.organisation().slug()
                        + ") created; owner " + made.owner().email() + ".");
                out.println("API token (shown once):");
                out.println(made.token().secret());
            });
        }
    }

    /** {@code quire admin create-token --email E [--org SLUG] [--expires 30d] [--scope S,...]}. */
    @Command(name = "create-token", mixinStandardHelpOptions = true, description = "Make an API token for a user.")
    static final class CreateToken implements Callable<Integer> {
        @CommandLine.ParentCommand
        private AdminCommand parent;
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;
        @Option(names = "--email", required = true, paramLabel = "E", description = "The user's e-mail address.")
        private String email;
        @Option(names = "--org", paramLabel = "SLUG",
                description = "The organisation the token acts in (needed when the user belongs to several).")
        private String org;
        @Option(names = "--expires", paramLabel = "DURATION",
                description = "How long the token works, such as 30d, 12h or 90m (default: until revoked).")
        private String expires;
        @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
                description = "Limit the token to these scopes (repeat or comma-separate): contents:read,"
                        + " contents:write, kernels:read, kernels:execute (default: everything the user may do).")
        private java.util.List<String> scopes = new java.util.ArrayList<>();

        @Override
        public Integer call() {
            return withStore(parent, spec, (admin, out) -> {
                CreatedToken token = admin.createToken(email, Optional.ofNullable(org),
                        Optional.ofNullable(expires).map(TeamAdmin::duration), java.util.Set.copyOf(scopes));
                out.println("API token " + token.token().prefix() + " for " + email
                        + token.token().expiresAt().map(at -> ", expires " + at).orElse("") + " (shown once):");
                out.println(token.secret());
            });
        }
    }

    /** {@code quire admin revoke-token PREFIX}. */
    @Command(name = "revoke-token", mixinStandardHelpOptions = true, description = "Revoke an API token.")
    static final class RevokeToken implements Callable<Integer> {
        @CommandLine.ParentCommand
        private AdminCommand parent;
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "PREFIX",
                description = "The token's prefix (the 12 hex digits after 'quire_').")
        private String prefix;

        @Override
        public Integer call() {
            return withStore(parent, spec, (admin, out) -> {
                ApiToken revoked = admin.revokeToken(prefix);
                out.println("API token " + revoked.prefix() + " revoked.");
            });
        }
    }

    /** {@code quire admin set-password --email E}: the password comes from the console, or from standard input. */
    @Command(name = "set-password", mixinStandardHelpOptions = true,
            description = {"Set a user's password for password sign-in (POST /api/v1/auth/login); unlocks the account.",
                "Reads the password from the console (asked twice), or its first line from standard input when there"
                        + " is no console (e.g. piped from a secret store). Never from the command line."})
    static final class SetPassword implements Callable<Integer> {
        @CommandLine.ParentCommand
        private AdminCommand parent;
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;
        @Option(names = "--email", required = true, paramLabel = "E", description = "The user's e-mail address.")
        private String email;

        @Override
        public Integer call() {
            Optional<String> password;
            try {
                password = readPassword();
            } catch (IOException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("quire admin: " + e.getMessage());
                return 2;
            }
            if (password.isEmpty()) {
                spec.commandLine().getErr().println("quire admin: no password given (standard input was empty)");
                return 2;
            }
            return withStore(parent, spec, (admin, out) -> {
                admin.setPassword(email, password.get());
                out.println("Password of " + email + " set; the account is unlocked.");
            });
        }

        private static Optional<String> readPassword() throws IOException {
            Console console = System.console();
            if (console != null && console.isTerminal()) {
                char[] first = console.readPassword("New password: ");
                char[] second = console.readPassword("Repeat it: ");
                if (first == null || second == null) {
                    return Optional.empty();
                }
                if (!java.util.Arrays.equals(first, second)) {
                    throw new IllegalArgumentException("the two passwords differ; nothing was changed");
                }
                return Optional.of(new String(first));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return Optional.ofNullable(in.readLine()).filter(line -> !line.isEmpty());
        }
    }
}
