package io.quire.desktop.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token storage: the keyring through secret-tool when it is on the PATH, else a 0600 file. */
class TokenStoreTest {
    private static final String FAKE_SECRET_TOOL = """
            #!/bin/sh
            # A stand-in for libsecret's secret-tool: secrets in files next to this script, argv logged.
            dir=$(dirname "$0")
            echo "$@" >> "$dir/argv.log"
            for last; do :; done
            key="$dir/secret-$(printf '%s' "$last" | md5sum | cut -c1-12)"
            case "$1" in
              store) cat > "$key" ;;
              lookup) if [ -f "$key" ]; then cat "$key"; else exit 1; fi ;;
              clear) rm -f "$key" ;;
              *) echo "unknown command $1" >&2; exit 2 ;;
            esac
            """;

    @TempDir
    Path dir;

    @Test
    void withoutSecretTool_tokensGoToAFileOnlyTheUserCanRead() throws Exception {
        Path emptyBin = Files.createDirectories(dir.resolve("bin"));
        ConfigDir config = new ConfigDir(dir.resolve("config"));
        TokenStore store = TokenStore.forUser(config, Map.of("PATH", emptyBin.toString()));

        assertThat(store).isInstanceOf(FileTokens.class);
        assertThat(store.description()).contains("mode 0600").contains("libsecret-tools");
        store.store("https://a.example/", "t-1");
        store.store("https://b.example/", "t-2");

        Path file = config.path().resolve("tokens.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(store.lookup("https://a.example/")).contains("t-1");
        assertThat(store.lookup("https://c.example/")).isEmpty();
        store.remove("https://a.example/");
        assertThat(store.lookup("https://a.example/")).isEmpty();
        assertThat(store.lookup("https://b.example/")).contains("t-2");
    }

    @Test
    void aTokenFileOthersCanRead_isRefused() throws Exception {
        FileTokens store = new FileTokens(dir.resolve("tokens.properties"));
        store.store("https://a.example/", "t-1");
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> store.lookup("https://a.example/"))
                .isInstanceOf(TokenStore.TokenStoreException.class).hasMessageContaining("chmod 600");
    }

    @Test
    void withSecretToolOnThePath_tokensGoToTheKeyring_throughStdin() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("secret-tool");
        Files.writeString(tool, FAKE_SECRET_TOOL);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        ConfigDir config = new ConfigDir(dir.resolve("config"));
        TokenStore store = TokenStore.forUser(config, Map.of("PATH", dir.resolve("nothing") + ":" + bin));

        assertThat(store).isEqualTo(new SecretToolTokens(tool));
        assertThat(store.description()).contains("system keyring");
        assertThat(store.lookup("https://a.example/")).isEmpty();
        store.store("https://a.example/", "s3cret-token");
        assertThat(store.lookup("https://a.example/")).contains("s3cret-token");
        store.remove("https://a.example/");
        assertThat(store.lookup("https://a.example/")).isEmpty();

        assertThat(Files.readString(bin.resolve("argv.log"))).doesNotContain("s3cret-token")
                .contains("store --label=Quire token for https://a.example/ service quire-desktop server "
                        + "https://a.example/");
        assertThat(config.path().resolve("tokens.properties")).doesNotExist();
    }

    @Test
    void aFailingSecretTool_isReported() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("secret-tool");
        Files.writeString(tool, "#!/bin/sh\necho 'Cannot autolaunch D-Bus' >&2\nexit 3\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        SecretToolTokens store = new SecretToolTokens(tool);

        assertThatThrownBy(() -> store.store("https://a.example/", "x"))
                .isInstanceOf(TokenStore.TokenStoreException.class)
                .hasMessageContaining("status 3").hasMessageContaining("Cannot autolaunch D-Bus");
    }

    @Test
    void remoteServers_rememberUrlsWithoutTokens() throws Exception {
        ConfigDir config = new ConfigDir(dir.resolve("config"));
        FileTokens tokens = new FileTokens(config.path().resolve("tokens.properties"));
        RemoteServers servers = new RemoteServers(config, tokens);
        URI server = RemoteServers.parseUrl(" https://quire.example.org ");
        servers.remember(server, "tok");

        assertThat(new RemoteServers(config, tokens).list()).containsExactly(URI.create("https://quire.example.org/"));
        assertThat(Files.readString(config.path().resolve("servers.json"))).doesNotContain("tok\"");
        assertThat(servers.connection(server)).hasValueSatisfying(c -> assertThat(c.token()).isEqualTo("tok"));
        servers.forget(server);
        assertThat(servers.list()).isEmpty();
        assertThat(tokens.lookup(server.toString())).isEmpty();
        assertThatThrownBy(() -> RemoteServers.parseUrl("quire.example.org"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    }
}
