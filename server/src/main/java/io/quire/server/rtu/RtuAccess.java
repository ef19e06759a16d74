package io.quire.server.rtu;

import io.helidon.webserver.http.ServerRequest;
import io.quire.collab.CellIds;
import io.quire.contents.ContentsManager;
import io.quire.contents.SaveRequest;
import io.quire.notebook.Notebook;
import io.quire.server.team.Caller;
import io.quire.server.team.TeamAdmin;
import io.quire.server.team.TeamMode;
import io.quire.server.v1.FileIds;
import io.quire.store.EntryType;
import io.quire.store.FileEntry;
import io.quire.store.FileId;
import io.quire.store.OrgId;
import io.quire.store.ProjectId;
import io.quire.store.ResourceRef;
import io.quire.store.ResourceRole;
import io.quire.store.SaveOptions;
import io.quire.store.Store;
import io.quire.store.StoreException;
import io.quire.store.UserId;
import io.quire.store.VersionContent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who may use the real-time channel and which files they reach with which role. Two implementations, chosen with the
 * server's mode: {@link #singleUser} (the server token; every notebook under the root, as owner) and {@link #team}
 * (the store's API tokens; the caller's organisation's default project, the store's effective roles).
 */
public interface RtuAccess {

    /**
     * Someone authenticated on the channel.
     *
     * @param author the author their deltas must carry (a user id, or {@code local} in single-user mode)
     * @param caller the team-mode caller, if any
     */
    record User(String author, Optional<Caller> caller) {
        /** Validates the fields. */
        public User {
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(caller, "caller");
        }
    }

    /**
     * A file a user may subscribe to.
     *
     * @param logId     the id of its delta log
     * @param role      the user's role on it
     * @param initial   the document a new log starts from (its current content, with cell ids added where missing)
     * @param writeback where the log's document is written (decision 0029)
     */
    record File(UUID logId, ResourceRole role, Supplier<Notebook> initial, Writeback writeback) {
        /** Validates the fields. */
        public File {
            Objects.requireNonNull(logId, "logId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(writeback, "writeback");
        }
    }

    /**
     * Checks a token presented on the WebSocket upgrade.
     *
     * @param token the token ({@code ""} when none)
     * @return the user, or empty when the token is not valid
     */
    Optional<User> authenticate(String token);

    /**
     * Resolves a v1 file id for a user.
     *
     * @param user   the user
     * @param fileId the v1 file id
     * @return the file, or empty when there is no such notebook or the user may not see it (one answer for both)
     */
    Optional<File> open(User user, String fileId);

    /**
     * The user an HTTP request that passed the server's authentication acts as (saves through the contents APIs
     * become deltas by this author).
     *
     * @param request the request
     * @return the user, or empty when the request carries no caller
     */
    Optional<User> user(ServerRequest request);

    /**
     * Single-user mode: the server's shared token, and the notebooks of the contents root. A file's log id is a
     * name-based UUID of its API path ({@code UUID.nameUUIDFromBytes("quire-fs:" + path)}), like its v1 id derived
     * from the path: a renamed file starts a new log. The log's document is written to the file; which seq produced
     * which {@code last_modified} is remembered in memory, like the log itself (the last 64 writes per file).
     *
     * @param token    the server token
     * @param contents the contents root
     * @return the access rule
     */
    static RtuAccess singleUser(String token, ContentsManager contents) {
        Objects.requireNonNull(contents, "contents");
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        User local = new User("local", Optional.empty());
        Map<String, Writeback> homes = new ConcurrentHashMap<>();
        return new RtuAccess() {
            @Override
            public Optional<User> authenticate(String presented) {
                return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                        ? Optional.of(local) : Optional.empty();
            }

            @Override
            public Optional<User> user(ServerRequest request) {
                return Optional.of(local); // the token filter let it through
            }

            @Override
            public Optional<File> open(User user, String fileId) {
                Optional<String> path = FileIds.path(fileId);
                if (path.isEmpty() || !contents.exists(path.get())) {
                    return Optional.empty();
                }
                UUID logId = UUID.nameUUIDFromBytes(("quire-fs:" + path.get()).getBytes(StandardCharsets.UTF_8));
                return Optional.of(new File(logId, ResourceRole.OWNER, () -> CellIds.ensure(contents.notebook(path.get())
                        .orElseThrow(() -> new NotANotebookException("'" + path.get() + "' is not a notebook"))),
                        homes.computeIfAbsent(path.get(), p -> new FileWriteback(contents, p))));
            }
        };
    }

    /**
     * Team mode: the store's API tokens; files of the caller's organisation's default project, by path as the v1
     * files API names them; the log id is the store's file id. A file of another organisation is simply not in the
     * caller's project.
     *
     * @param team team mode
     * @return the access rule
     */
    static RtuAccess team(TeamMode team) {
        Objects.requireNonNull(team, "team");
        Store store = team.store();
        return new RtuAccess() {
            @Override
            public Optional<User> authenticate(String presented) {
                if (presented.isEmpty()) {
                    return Optional.empty();
                }
                return team.authenticate(presented).map(caller -> new User(caller.user().toString(),
                        Optional.of(caller)));
            }

            @Override
            public Optional<User> user(ServerRequest request) {
                return Caller.of(request).map(caller -> new User(caller.user().toString(), Optional.of(caller)));
            }

            @Override
            public Optional<File> open(User user, String fileId) {
                Caller caller = user.caller().orElseThrow(() -> new IllegalArgumentException("not a team caller"));
                Optional<String> path = FileIds.path(fileId);
                if (path.isEmpty()) {
                    return Optional.empty();
                }
                try {
                    ProjectId project = TeamAdmin.defaultProject(store, caller.organisation());
                    Optional<FileEntry> entry = store.files().find(caller.organisation(), project, path.get())
                            .filter(found -> found.type() == EntryType.NOTEBOOK);
                    if (entry.isEmpty()) {
                        return Optional.empty();
                    }
                    FileEntry file = entry.get();
                    return store.permissions().effectiveRole(caller.organisation(), caller.user(),
                            ResourceRef.file(file.id())).map(role -> new File(file.id().value(), role, () -> {
                                VersionContent head = store.files().readHead(caller.organisation(), file.id());
                                if (!(head instanceof VersionContent.NotebookBody body)) {
                                    throw new NotANotebookException("'" + file.path() + "' is not a notebook");
                                }
                                return CellIds.ensure(body.notebook());
                            }, new VersionWriteback(store, caller.organisation(), file.id())));
                } catch (StoreException e) {
                    if (e instanceof io.quire.store.StoreNotFoundException
                            || e instanceof io.quire.store.StoreBadRequestException) {
                        return Optional.empty();
                    }
                    throw e;
                }
            }
        };
    }

    /**
     * Single-user mode: the log's document is written to the file; the seqs written are remembered in this process
     * (the log itself is in memory too). Callers serialise writes of one file.
     */
    final class FileWriteback implements Writeback {
        private static final int KEPT = 64;
        private final ContentsManager contents;
        private final String path;
        private volatile Optional<Long> written = Optional.empty();
        private final Map<Instant, Long> seqs = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @java.io.Serial
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Instant, Long> eldest) {
                        return size() > KEPT;
                    }
                });

        FileWriteback(ContentsManager contents, String path) {
            this.contents = contents;
            this.path = path;
        }

        @Override
        public Optional<Long> written() {
            return written;
        }

        @Override
        public Optional<Long> seqOf(Instant lastModified) {
            return Optional.ofNullable(seqs.get(lastModified));
        }

        @Override
        public void changedOutside() {
            written = Optional.empty();
        }

        @Override
        public Optional<Instant> write(Notebook document, long seq, Optional<String> author) {
            if (written.isPresent() && written.get() >= seq) {
                return Optional.empty();
            }
            Instant at = contents.save(path, SaveRequest.notebook(document)).lastModified();
            seqs.put(at, seq);
            written = Optional.of(seq);
            return Optional.of(at);
        }
    }

    /**
     * Team mode: the log's document becomes a new version that records its seq; the database refuses a seq the file's
     * versions already reached ({@code FileRepository.saveNotebookFromLog}), so nodes need not agree beforehand.
     */
    final class VersionWriteback implements Writeback {
        private final Store store;
        private final OrgId org;
        private final FileId file;

        VersionWriteback(Store store, OrgId org, FileId file) {
            this.store = store;
            this.org = org;
            this.file = file;
        }

        @Override
        public Optional<Long> written() {
            return store.versions().lastLogSeq(org, file);
        }

        @Override
        public Optional<Long> seqOf(Instant lastModified) {
            return store.versions().logSeqAt(org, file, lastModified);
        }

        @Override
        public Optional<Instant> write(Notebook document, long seq, Optional<String> author) {
            return store.files().saveNotebookFromLog(org, file, document, author.flatMap(VersionWriteback::userId),
                    seq, SaveOptions.none()).map(saved -> saved.version().createdAt());
        }

        private static Optional<UserId> userId(String author) {
            try {
                return Optional.of(new UserId(UUID.fromString(author)));
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // not a person of the store (the kernel): the head's author
            }
        }
    }

    /** A file id that names something other than a notebook. */
    final class NotANotebookException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message which file
         */
        public NotANotebookException(String message) {
            super(message);
        }
    }
}
