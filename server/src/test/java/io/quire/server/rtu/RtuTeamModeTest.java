package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.ExecuteTarget;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.server.QuireServer;
import io.quire.server.team.TeamAdmin;
import io.quire.server.v1.FileIds;
import io.quire.store.ResourceRole;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rtu WebSocket in team mode on H2: the store's roles decide per event, another organisation's file is not found.
 */
class RtuTeamModeTest {
    @TempDir
    static Path dir;
    static Store store;
    static QuireServer server;
    static String owner;
    static String viewer;
    static String executor;
    static String memberWithoutGrant;
    static String otherOrg;
    static String ownerReadOnly;
    static final String FILE = FileIds.of("shared.ipynb");
    static final String VIEWED = FileIds.of("viewed.ipynb");

    @BeforeAll
    static void start() throws Exception {
        store = Store.open(StoreConfig.builder("jdbc:h2:mem:rtuteam;DB_CLOSE_DELAY=-1").build());
        TeamAdmin admin = new TeamAdmin(store, Clock.systemUTC());
        TeamAdmin.Bootstrap orgA = admin.initOrganisation("Org A", "alice@a.example");
        owner = orgA.token().secret();
        ownerReadOnly = store.tokens().create(orgA.organisation().id(), orgA.owner().id(), "read only",
                java.util.Set.of(io.quire.server.team.TokenScopes.CONTENTS_READ), Optional.empty(), Optional.empty())
                .secret();
        otherOrg = admin.initOrganisation("Org B", "bob@b.example").token().secret();
        viewer = TeamServers.member(store, orgA.organisation().id(), orgA.project(), "vera@a.example",
                Optional.of(ResourceRole.VIEWER));
        executor = TeamServers.member(store, orgA.organisation().id(), orgA.project(), "eve@a.example",
                Optional.of(ResourceRole.EXECUTOR));
        memberWithoutGrant = TeamServers.member(store, orgA.organisation().id(), orgA.project(), "max@a.example",
                Optional.empty());
        server = TeamServers.start(store, dir, "team");
        TeamServers.save(server, owner, "shared.ipynb", RtuEndpointTest.NOTEBOOK);
        TeamServers.save(server, owner, "viewed.ipynb", RtuEndpointTest.NOTEBOOK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RtuEvent.Subscribed subscribe(RtuSocket socket) {
        return subscribe(socket, FILE);
    }

    static RtuEvent.Subscribed subscribe(RtuSocket socket, String file) {
        socket.send(new RtuEvent.Subscribe(file, OptionalLong.empty()));
        return socket.next(RtuEvent.Subscribed.class);
    }

    static Delta edit(RtuEvent.Subscribed subscribed) {
        return new Delta.EditSource(new DeltaHeader(UUID.randomUUID(), subscribed.logId(), subscribed.user(),
                subscribed.headSeq()), "c1", TextOperation.builder().insert("# ").retain(5).build());
    }

    @Test
    void upgrade_withAnUnknownToken_isRefused() {
        assertThatThrownBy(() -> RtuSocket.connect(server.port(), "quire_nonsense"))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
    }

    @Test
    void viewer_receivesDeltas_butItsOwnAreForbidden() throws Exception {
        try (RtuSocket ownerSocket = RtuSocket.connect(server.port(), owner);
             RtuSocket viewerSocket = RtuSocket.connect(server.port(), viewer)) {
            RtuEvent.Subscribed mine = subscribe(ownerSocket, VIEWED);
            assertThat(mine.role()).isEqualTo("owner");
            RtuEvent.Subscribed theirs = subscribe(viewerSocket, VIEWED);
            assertThat(theirs.role()).isEqualTo("viewer");
            assertThat(theirs.logId()).isEqualTo(mine.logId());
            assertThat(theirs.user()).isNotEqualTo(mine.user());

            Delta delta = edit(theirs);
            viewerSocket.send(new RtuEvent.SendDelta(VIEWED, delta));
            RtuEvent.Rejected rejected = viewerSocket.next(RtuEvent.Rejected.class);
            assertThat(rejected.code()).isEqualTo("forbidden");
            assertThat(rejected.deltaId()).isEqualTo(delta.deltaId());

            Delta allowed = edit(mine);
            ownerSocket.send(new RtuEvent.SendDelta(VIEWED, allowed));
            ownerSocket.next(RtuEvent.DeltaEvent.class);
            ownerSocket.next(RtuEvent.Ack.class);
            assertThat(viewerSocket.next(RtuEvent.DeltaEvent.class).delta().deltaId()).isEqualTo(allowed.deltaId());

            viewerSocket.send(new RtuEvent.SetPresence(VIEWED, Optional.of("c1"), Optional.empty()));
            assertThat(ownerSocket.next(RtuEvent.Presence.class).user()).isEqualTo(theirs.user());

            viewerSocket.send(new RtuEvent.Interrupt(VIEWED));
            viewerSocket.send(new RtuEvent.Restart(VIEWED));
            for (String action : List.of("interrupt", "restart")) {
                RtuEvent.Error refused = viewerSocket.next(RtuEvent.Error.class);
                assertThat(refused.code()).isEqualTo("forbidden");
                assertThat(refused.message()).contains("viewer may not " + action);
            }
        }
    }

    @Test
    void aReadOnlyTokenOfTheOwner_subscribes_butMayNotEditExecuteOrInterrupt() throws Exception {
        try (RtuSocket socket = RtuSocket.connect(server.port(), ownerReadOnly)) {
            RtuEvent.Subscribed subscribed = subscribe(socket, VIEWED);
            assertThat(subscribed.role()).isEqualTo("owner");
            Delta delta = edit(subscribed);
            socket.send(new RtuEvent.SendDelta(VIEWED, delta));
            RtuEvent.Rejected rejected = socket.next(RtuEvent.Rejected.class);
            assertThat(rejected.code()).isEqualTo("insufficient_scope");
            assertThat(rejected.message()).contains("contents:write");
            Delta execute = new Delta.ExecuteRequest(new DeltaHeader(UUID.randomUUID(), subscribed.logId(),
                    subscribed.user(), subscribed.headSeq()), new ExecuteTarget.All());
            socket.send(new RtuEvent.SendDelta(VIEWED, execute));
            assertThat(socket.next(RtuEvent.Rejected.class).message()).contains("kernels:execute");
            socket.send(new RtuEvent.Interrupt(VIEWED));
            assertThat(socket.next(RtuEvent.Error.class).code()).isEqualTo("insufficient_scope");
        }
    }

    @Test
    void executor_mayExecute_butNotEdit() throws Exception {
        try (RtuSocket socket = RtuSocket.connect(server.port(), executor)) {
            RtuEvent.Subscribed subscribed = subscribe(socket);
            assertThat(subscribed.role()).isEqualTo("executor");
            socket.send(new RtuEvent.SendDelta(FILE, edit(subscribed)));
            RtuEvent.Rejected rejected = socket.next(RtuEvent.Rejected.class);
            assertThat(rejected.code()).isEqualTo("forbidden");
            assertThat(rejected.message()).contains("execute");

            Delta execute = new Delta.ExecuteRequest(new DeltaHeader(UUID.randomUUID(), subscribed.logId(),
                    subscribed.user(), subscribed.headSeq()), new ExecuteTarget.Cells(List.of("c1")));
            socket.send(new RtuEvent.SendDelta(FILE, execute));
            assertThat(socket.next(RtuEvent.DeltaEvent.class).delta().deltaId()).isEqualTo(execute.deltaId());
            assertThat(socket.next(RtuEvent.Ack.class).deltaId()).isEqualTo(execute.deltaId());

            socket.executionEvents = true;
            socket.send(new RtuEvent.Interrupt(FILE));
            RtuEvent.Server event;
            do {
                event = socket.next();
            } while (!(event instanceof RtuEvent.KernelControlled));
            RtuEvent.KernelControlled control = (RtuEvent.KernelControlled) event;
            assertThat(control.action()).isEqualTo("interrupt");
            assertThat(control.by()).isEqualTo(subscribed.user());
            assertThat(control.result()).isIn("applied", "no_kernel"); // one node: never forwarded
        }
    }

    @Test
    void anotherOrganisationsFile_andAFileWithoutAGrant_lookExactlyLikeAMissingFile() throws Exception {
        String missing = FileIds.of("missing.ipynb");
        for (String token : List.of(otherOrg, memberWithoutGrant)) {
            try (RtuSocket socket = RtuSocket.connect(server.port(), token)) {
                socket.send(new RtuEvent.Subscribe(FILE, OptionalLong.empty()));
                RtuEvent.Error hidden = socket.next(RtuEvent.Error.class);
                socket.send(new RtuEvent.Subscribe(missing, OptionalLong.empty()));
                RtuEvent.Error absent = socket.next(RtuEvent.Error.class);
                assertThat(hidden.code()).isEqualTo("not_found").isEqualTo(absent.code());
                assertThat(hidden.message().replace(FILE, "ID")).isEqualTo(absent.message().replace(missing, "ID"));
            }
        }
    }

    @Test
    void contentsSave_ofALiveNotebook_becomesDeltasForAnEditor_andAViewersRefusedSaveLeavesNone() throws Exception {
        TeamServers.save(server, owner, "saved.ipynb", RtuEndpointTest.NOTEBOOK);
        String file = FileIds.of("saved.ipynb");
        try (RtuSocket ownerSocket = RtuSocket.connect(server.port(), owner)) {
            RtuEvent.Subscribed subscribed = subscribe(ownerSocket, file);

            TeamServers.save(server, owner, "saved.ipynb", RtuEndpointTest.NOTEBOOK.replace("x = 1", "x = 2"));

            RtuEvent.DeltaEvent delta = ownerSocket.next(RtuEvent.DeltaEvent.class);
            assertThat(delta.delta().delta()).isInstanceOf(Delta.EditSource.class);
            assertThat(delta.delta().delta().header().author()).isEqualTo(subscribed.user());

            java.net.http.HttpResponse<String> refused = RtuSocket.HTTP.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/contents/saved.ipynb"))
                    .header("Authorization", "token " + viewer).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\": \"notebook\", \"content\": "
                            + RtuEndpointTest.NOTEBOOK.replace("x = 1", "x = 3") + "}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isBetween(400, 499);
            ownerSocket.send(new RtuEvent.Ping());
            assertThat(ownerSocket.next()).as("no delta from the refused save").isInstanceOf(RtuEvent.Pong.class);
        }
    }
}
