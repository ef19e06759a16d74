package io.quire.desktop.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleInstanceTest {
    @TempDir
    Path temp;

    private Path folder() {
        return temp.resolve("quire");
    }

    @Test
    void firstClaim_isPrimaryAndPublishesAnOwnerOnlyAddress() throws Exception {
        var claim = SingleInstance.claim(folder());
        assertThat(claim).isInstanceOf(SingleInstance.Primary.class);
        try (SingleInstance instance = ((SingleInstance.Primary) claim).instance()) {
            Path address = folder().resolve("desktop.instance");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(address))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder()))).isEqualTo("rwx------");
            List<String> lines = Files.readAllLines(address);
            assertThat(lines.get(0)).isEqualTo(Integer.toString(instance.port()));
            assertThat(lines.get(1)).matches("[0-9a-f]{64}");
        }
        assertThat(folder().resolve("desktop.instance")).doesNotExist();
    }

    @Test
    void secondClaim_findsTheRunningInstanceAndHandsItsNotebookOver() throws Exception {
        var primary = (SingleInstance.Primary) SingleInstance.claim(folder());
        try (SingleInstance instance = primary.instance()) {
            var received = new LinkedBlockingQueue<SingleInstance.Request>();
            instance.listen(received::add);

            var second = SingleInstance.claim(folder());
            assertThat(second).isEqualTo(new SingleInstance.Running(folder()));
            Path notebook = temp.resolve("b.ipynb").toAbsolutePath();
            SingleInstance.handOff(folder(), new SingleInstance.Request(Optional.of(notebook)), Duration.ofSeconds(5));
            SingleInstance.handOff(folder(), new SingleInstance.Request(Optional.empty()), Duration.ofSeconds(5));

            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(new SingleInstance.Request(Optional.of(notebook)));
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(new SingleInstance.Request(Optional.empty()));
        }
    }

    @Test
    void handOff_withTheWrongSecretIsRefusedAndNothingIsOpened() throws Exception {
        var primary = (SingleInstance.Primary) SingleInstance.claim(folder());
        try (SingleInstance instance = primary.instance()) {
            var received = new LinkedBlockingQueue<SingleInstance.Request>();
            instance.listen(received::add);
            Files.writeString(folder().resolve("desktop.instance"), instance.port() + "\n" + "00".repeat(32) + "\n");

            assertThatThrownBy(() -> SingleInstance.handOff(folder(),
                    new SingleInstance.Request(Optional.of(temp.resolve("x.ipynb"))), Duration.ZERO))
                    .isInstanceOf(SingleInstance.InstanceException.class)
                    .hasMessageContaining("refused").hasMessageContaining("bad secret");
            assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void afterThePrimaryCloses_theNextClaimIsPrimaryAgain() {
        ((SingleInstance.Primary) SingleInstance.claim(folder())).instance().close();
        var again = SingleInstance.claim(folder());
        assertThat(again).isInstanceOf(SingleInstance.Primary.class);
        ((SingleInstance.Primary) again).instance().close();
    }

    @Test
    void handOff_withoutARunningInstanceSaysItHasNoAddress() {
        assertThatThrownBy(() -> SingleInstance.handOff(folder(), new SingleInstance.Request(Optional.empty()),
                Duration.ZERO))
                .isInstanceOf(SingleInstance.InstanceException.class)
                .hasMessageContaining("has not published its address");
    }

    @Test
    void claim_refusesAFolderOpenToOtherUsers() throws Exception {
        Files.createDirectory(folder(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(folder(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> SingleInstance.claim(folder()))
                .isInstanceOf(SingleInstance.InstanceException.class)
                .hasMessageContaining("open to other users").hasMessageContaining("rwxrwxrwx");
    }

    @Test
    void request_refusesRelativePaths() {
        assertThatThrownBy(() -> new SingleInstance.Request(Optional.of(Path.of("a.ipynb"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }
}
