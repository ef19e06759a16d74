package io.quire.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A client of Quire's v1 API ({@code /api/v1}): files by id, notebook content, server-side runs, kernel sessions,
 * executions of cells on the server, kernel specs; and of a kernel's channels WebSocket ({@link KernelChannels}).
 *
 * <pre>{@code
 * QuireClient quire = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:8888/")).token(token).build();
 * FileInfo file = quire.fileByPath("reports/daily.ipynb");
 * Run run = quire.startRun(file.id(), RunOptions.builder().parameter("day", "2026-11-26").build());
 * Run done = quire.awaitRun(run.id(), Duration.ofMinutes(10));
 *
 * KernelSession session = quire.createSession(file.id());
 * Execution execution = quire.executeAll(session.id());
 * Execution finished = quire.awaitExecution(execution.id(), Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Every method sends one request (except {@link #awaitRun} and {@link #awaitExecution}, which poll, and
 * {@link #kernelChannels}, which opens a WebSocket) and throws {@link QuireApiException}
 * for an error response, {@link QuireTransportException} when no response arrived, and {@link QuireException} when
 * the response cannot be read. Ids are opaque strings: pass them back as they came. Instances are immutable and
 * thread-safe; share one per server.
 */
public final class QuireClient {
    private static final String V1 = "api/v1/";

    private final URI baseUrl;
    private final Optional<String> token;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration firstPoll;
    private final Duration maxPoll;

    private QuireClient(Builder builder) {
        String base = builder.baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = builder.token;
        this.http = builder.http.orElseGet(() -> HttpClient.newBuilder().connectTimeout(builder.requestTimeout).build());
        this.requestTimeout = builder.requestTimeout;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.firstPoll = builder.firstPoll;
        this.maxPoll = builder.maxPoll;
    }

    /**
     * A builder; {@link Builder#baseUrl(URI)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The server this client talks to.
     *
     * @return the base URL, ending in {@code /}
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Looks a file up by its path.
     *
     * @param path the path relative to the server's root, {@code /}-separated, such as {@code reports/daily.ipynb}
     * @return the file
     * @throws QuireApiException 404 if there is no such file, 403 for a path the server refuses
     */
    public FileInfo fileByPath(String path) {
        Objects.requireNonNull(path, "path");
        return FileInfo.create(send("GET", V1 + "files?path=" + encode(path), Optional.empty()));
    }

    /**
     * Reads a file resource by id.
     *
     * @param id the file's id
     * @return the file
     * @throws QuireApiException 404 if there is no such file
     */
    public FileInfo file(String id) {
        return FileInfo.create(send("GET", V1 + "files/" + segment(id), Optional.empty()));
    }

    /**
     * Reads a notebook's JSON (nbformat 4).
     *
     * @param id the notebook's file id
     * @return the notebook as a JSON tree; for a file that is not a notebook, an object with {@code format}
     *         ({@code text} or {@code base64}), {@code mimetype} and {@code content}
     * @throws QuireApiException 404 if there is no such file, 400 for a notebook the server cannot read
     */
    public JsonNode notebook(String id) {
        return send("GET", V1 + "files/" + segment(id) + "/content", Optional.empty());
    }

    /**
     * Reads a notebook's metadata and only its first cells, with how many cells it has: the server reads no further
     * into the file than it must, so this is quick even for a notebook of many megabytes.
     *
     * @param id    the notebook's file id
     * @param cells how many of its first cells to read (0 to 10,000)
     * @return the head
     * @throws IllegalArgumentException when {@code cells} is out of range
     * @throws QuireApiException        404 if there is no such file, 400 for a file that is not a notebook or one
     *                                  the server cannot read
     */
    public NotebookHead notebookHead(String id, int cells) {
        if (cells < 0 || cells > 10_000) {
            throw new IllegalArgumentException("cells must be from 0 to 10,000, got " + cells);
        }
        HttpResponse<byte[]> response = exchange("GET", V1 + "files/" + segment(id) + "/content?cells=" + cells,
                Optional.empty());
        String what = "GET " + response.request().uri().getRawPath();
        String total = response.headers().firstValue("Quire-Cells-Total")
                .orElseThrow(() -> new QuireException(what + " answered without Quire-Cells-Total"));
        try {
            JsonNode json = Wire.JSON.readTree(response.body());
            if (!(json instanceof ObjectNode notebook) || !notebook.path("cells").isArray()) {
                throw new QuireException(what + " answered without a notebook");
            }
            return new NotebookHead(notebook, Integer.parseInt(total));
        } catch (IOException e) {
            throw new QuireException(what + " answered with a body that is not JSON: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new QuireException(what + " answered Quire-Cells-Total '" + total + "'", e);
        }
    }

    /**
     * Replaces a notebook's content. The server validates it and writes it atomically.
     *
     * @param id       the notebook's file id
     * @param notebook the notebook JSON (nbformat 4)
     * @return the file after the save
     * @throws QuireApiException 400 naming the JSON path of the problem when the notebook is malformed, 404 if there
     *                           is no such file
     */
    public FileInfo saveNotebook(String id, JsonNode notebook) {
        Objects.requireNonNull(notebook, "notebook");
        return FileInfo.create(send("PUT", V1 + "files/" + segment(id) + "/content", Optional.of(notebook)));
    }

    /**
     * Creates a notebook at a path that holds no file yet, through the server's Jupyter contents API
     * ({@code PUT /api/contents/{path}}), since the v1 API has no file creation.
     *
     * @param path     the new file's path relative to the server's root, {@code /}-separated, ending in
     *                 {@code .ipynb}
     * @param notebook the notebook JSON (nbformat 4)
     * @return the new file
     * @throws IllegalArgumentException when the path is empty or does not end in {@code .ipynb}
     * @throws QuireException           when a file already exists at the path
     * @throws QuireApiException        400 for a malformed notebook, 403 for a path the server refuses
     */
    public FileInfo createNotebook(String path, JsonNode notebook) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(notebook, "notebook");
        String clean = path.startsWith("/") ? path.substring(1) : path;
        if (clean.isEmpty() || !clean.endsWith(".ipynb")) {
            throw new IllegalArgumentException("a notebook path must end in .ipynb, got '" + path + "'");
        }
        try {
            fileByPath(clean);
            throw new QuireException("a file already exists at " + clean);
        } catch (QuireApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("type", "notebook");
        body.put("format", "json");
        body.set("content", notebook);
        StringBuilder encoded = new StringBuilder("api/contents");
        for (String part : clean.split("/")) {
            encoded.append('/').append(encode(part));
        }
        send("PUT", encoded.toString(), Optional.of(body));
        return fileByPath(clean);
    }

    /**
     * Has the server write a notebook that is edited live (on the real-time channel, {@code /api/v1/rtu}) to its
     * file as the file's log has it now. The v1 API has no call for that, so this reads the file through the Jupyter
     * contents API and saves the same content back naming the version it read ({@code last_modified}): the server
     * turns a save of a live notebook into the deltas from that version to what was sent, which are none here, and
     * then writes the file from the log (decision 0019, "Whole-notebook saves of a live notebook"). Nothing anyone
     * typed is replaced, unlike a save of the caller's own copy, whose changes may be in the log already. On a
     * notebook without a live log the file is written back unchanged.
     *
     * @param path the notebook's path relative to the server's root
     * @return the file after the write
     * @throws QuireApiException 404 when there is no such file, 403 when the caller may not write it
     * @throws QuireException    when the file is not a notebook
     */
    public FileInfo writeLiveNotebook(String path) {
        Objects.requireNonNull(path, "path");
        String clean = path.startsWith("/") ? path.substring(1) : path;
        StringBuilder encoded = new StringBuilder("api/contents");
        for (String part : clean.split("/")) {
            encoded.append('/').append(encode(part));
        }
        JsonNode model = send("GET", encoded + "?type=notebook&content=1", Optional.empty());
        if (!"notebook".equals(model.path("type").asText()) || !model.path("content").isObject()) {
            throw new QuireException(clean + " is not a notebook");
        }
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("type", "notebook");
        body.put("format", "json");
        body.set("content", model.get("content"));
        body.set("last_modified", model.get("last_modified"));
        send("PUT", encoded.toString(), Optional.of(body));
        return fileByPath(clean);
    }

    /**
     * Lists a file's versions, newest first. Versions need a server with the database store (team mode).
     *
     * @param fileId the file's id
     * @return the versions
     * @throws QuireApiException 404 if there is no such file, or with code {@code versions_unavailable} on a server
     *                           that keeps files on the filesystem
     */
    public List<FileVersion> versions(String fileId) {
        return list(send("GET", versionsPath(fileId), Optional.empty()), FileVersion::create);
    }

    /**
     * Reads a version of a file with its content.
     *
     * @param fileId    the file's id
     * @param versionId the version's id
     * @return the version and what it holds
     * @throws QuireApiException 404 if there is no such file, or code {@code no_version} if the file has no such
     *                           version
     */
    public FileVersionContent version(String fileId, String versionId) {
        return FileVersionContent.create(send("GET", versionsPath(fileId) + "/" + segment(versionId),
                Optional.empty()));
    }

    /**
     * Compares two versions of a file, cell by cell.
     *
     * @param fileId        the file's id
     * @param fromVersionId the older side
     * @param toVersionId   the newer side
     * @return what changed from the first to the second
     * @throws QuireApiException 404 if there is no such file, or code {@code no_version} if either is not one of
     *                           its versions
     */
    public VersionDiff diff(String fileId, String fromVersionId, String toVersionId) {
        return VersionDiff.create(send("GET", versionsPath(fileId) + "/" + segment(toVersionId) + "/diff?from="
                + segment(fromVersionId), Optional.empty()));
    }

    /**
     * Restores a version of a file: the server adds a new version with its content, which becomes the file's
     * content (no version is removed).
     *
     * @param fileId    the file's id
     * @param versionId the version to restore
     * @return the new version
     * @throws QuireApiException 403 without the editor role on the file, 404 if there is no such file or version
     */
    public FileVersion restore(String fileId, String versionId) {
        return FileVersion.create(send("POST", versionsPath(fileId) + "/" + segment(versionId) + "/restore",
                Optional.empty()));
    }

    /**
     * Names a version of a file, or removes its name.
     *
     * @param fileId    the file's id
     * @param versionId the version
     * @param name      the name (1 to 200 characters), or empty to remove it
     * @return the version as named
     * @throws QuireApiException 400 for a malformed name, 403 without the editor role on the file, 404 if there is
     *                           no such file or version
     */
    public FileVersion nameVersion(String fileId, String versionId, Optional<String> name) {
        Objects.requireNonNull(name, "name");
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("name", name.orElse(null));
        return FileVersion.create(send("PATCH", versionsPath(fileId) + "/" + segment(versionId), Optional.of(body)));
    }

    /**
     * Reads a file as it was at a time: the content of its latest version saved at or before then.
     *
     * @param fileId the file's id
     * @param time   the time
     * @return the notebook's JSON, or for other files an object with {@code format}, {@code mimetype} and
     *         {@code content}
     * @throws QuireApiException 404 with code {@code no_version} if the file had no version yet, or
     *                           {@code versions_unavailable} on a server without the database store
     */
    public JsonNode contentAsOf(String fileId, Instant time) {
        Objects.requireNonNull(time, "time");
        return send("GET", V1 + "files/" + segment(fileId) + "/content?as_of=" + encode(time.toString()),
                Optional.empty());
    }

    private static String versionsPath(String fileId) {
        return V1 + "files/" + segment(fileId) + "/versions";
    }

    /**
     * Starts a run of a whole notebook on the server. The server saves outputs into the notebook as the run goes,
     * whether or not anyone polls.
     *
     * @param fileId  the notebook's file id
     * @param options kernel, parameters and timeout
     * @return the run, usually {@link RunStatus#QUEUED}
     * @throws QuireApiException 404 if there is no such file; 400 for an unknown kernel, bad parameters, or a file
     *                           that is not a notebook; 409 while another run of the same notebook is going
     */
    public Run startRun(String fileId, RunOptions options) {
        Objects.requireNonNull(options, "options");
        return Run.create(send("POST", V1 + "files/" + segment(fileId) + "/runs", Optional.of(options.toJson())));
    }

    /**
     * Reads a run.
     *
     * @param runId the run's id
     * @return the run
     * @throws QuireApiException 404 if there is no such run
     */
    public Run run(String runId) {
        return Run.create(send("GET", V1 + "runs/" + segment(runId), Optional.empty()));
    }

    /**
     * Lists the runs of a notebook, oldest first.
     *
     * @param fileId the notebook's file id
     * @return the runs
     * @throws QuireApiException 404 if there is no such file
     */
    public List<Run> runs(String fileId) {
        return list(send("GET", V1 + "files/" + segment(fileId) + "/runs", Optional.empty()), Run::create);
    }

    /**
     * Asks a run to stop: the kernel is interrupted and the run ends {@link RunStatus#INTERRUPTED} after the current
     * cell. Cancelling a finished run changes nothing.
     *
     * @param runId the run's id
     * @return the run as it stands (it may still be running for a moment)
     * @throws QuireApiException 404 if there is no such run
     */
    public Run cancelRun(String runId) {
        return Run.create(send("POST", V1 + "runs/" + segment(runId) + "/cancel", Optional.empty()));
    }

    /**
     * Polls a run until it finishes, waiting longer between polls as time goes on (from the first poll interval,
     * doubling, up to the maximum; see {@link Builder#pollIntervals}).
     *
     * @param runId   the run's id
     * @param timeout how long to wait at most
     * @return the finished run
     * @throws QuireTimeoutException    if the run did not finish in time (it goes on on the server)
     * @throws QuireTransportException  if the thread is interrupted while waiting
     * @throws QuireApiException        404 if there is no such run
     */
    public Run awaitRun(String runId, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return poll(() -> run(runId), Run::isFinished, timeout, "run " + runId, run -> new QuireTimeoutException(
                "run " + runId + " did not finish within " + timeout + " (status " + run.status().wireName() + ", "
                        + run.cellsDone() + "/" + run.cellsTotal() + " cells)", run));
    }

    /**
     * Opens the kernel session of a notebook: a kernel of the notebook's own kernel spec (its
     * {@code metadata.kernelspec.name}) when the server has it, else of the server's default. A notebook has one
     * session: when it already has one (also one a Jupyter client opened), that session is returned.
     *
     * @param fileId the notebook's file id
     * @return the session, its kernel ready
     * @throws QuireApiException 404 if there is no such file; 400 if it is not a notebook
     */
    public KernelSession createSession(String fileId) {
        return KernelSession.create(send("POST", V1 + "files/" + segment(fileId) + "/sessions",
                Optional.of(Wire.JSON.createObjectNode())));
    }

    /**
     * Opens the kernel session of a notebook with a kernel of a given spec, or returns its existing session when that
     * runs the same spec.
     *
     * @param fileId     the notebook's file id
     * @param kernelSpec a kernel spec name (see {@link #kernelSpecs()})
     * @return the session
     * @throws QuireApiException 404 if there is no such file; 400 for an unknown spec or a file that is not a
     *                           notebook; 409 ({@code session_exists}) when the notebook has a session with another
     *                           spec
     */
    public KernelSession createSession(String fileId, String kernelSpec) {
        Objects.requireNonNull(kernelSpec, "kernelSpec");
        return KernelSession.create(send("POST", V1 + "files/" + segment(fileId) + "/sessions",
                Optional.of(Wire.JSON.createObjectNode().put("kernel_spec", kernelSpec))));
    }

    /**
     * Lists the notebook sessions, oldest first.
     *
     * @return the sessions
     */
    public List<KernelSession> sessions() {
        return list(send("GET", V1 + "sessions", Optional.empty()), KernelSession::create);
    }

    /**
     * Reads a session.
     *
     * @param sessionId the session's id
     * @return the session
     * @throws QuireApiException 404 if there is no such session
     */
    public KernelSession session(String sessionId) {
        return KernelSession.create(send("GET", V1 + "sessions/" + segment(sessionId), Optional.empty()));
    }

    /**
     * Ends a session: its executions are cancelled and its kernel is shut down.
     *
     * @param sessionId the session's id
     * @throws QuireApiException 404 if there is no such session
     */
    public void deleteSession(String sessionId) {
        sendWithoutBody("DELETE", V1 + "sessions/" + segment(sessionId));
    }

    /**
     * Interrupts what the session's kernel is running; the running cell fails with the kernel's interrupt error.
     *
     * @param sessionId the session's id
     * @return the session
     * @throws QuireApiException 404 if there is no such session; 409 if its kernel is dead
     */
    public KernelSession interruptSession(String sessionId) {
        return KernelSession.create(send("POST", V1 + "sessions/" + segment(sessionId) + "/interrupt",
                Optional.empty()));
    }

    /**
     * Restarts the session's kernel (its state is lost); the session's executions are cancelled first.
     *
     * @param sessionId the session's id
     * @return the session after the restart
     * @throws QuireApiException 404 if there is no such session
     */
    public KernelSession restartSession(String sessionId) {
        return KernelSession.create(send("POST", V1 + "sessions/" + segment(sessionId) + "/restart",
                Optional.empty()));
    }

    /**
     * Executes one cell of the session's notebook on the server. Executions of a session run in the order they were
     * accepted; outputs are saved into the notebook whether or not this client stays connected.
     *
     * @param sessionId the session's id
     * @param cellId    the cell's nbformat id
     * @return the queued execution
     * @throws QuireApiException 404 if there is no such session; 409 ({@code cell_not_found}, {@code not_code_cell})
     *                           when the notebook has no such code cell
     */
    public Execution execute(String sessionId, String cellId) {
        Objects.requireNonNull(cellId, "cellId");
        return startExecution(sessionId, Wire.JSON.createObjectNode().put("cell_id", cellId));
    }

    /**
     * Executes cells of the session's notebook on the server, in the given order (see {@link #execute(String,
     * String)}); the first failing cell stops the execution.
     *
     * @param sessionId the session's id
     * @param cellIds   the cells' nbformat ids, at least one, no repeats
     * @return the queued execution
     * @throws QuireApiException 404 if there is no such session; 409 when the notebook lacks one of the code cells;
     *                           400 for an empty list or a repeated id
     */
    public Execution execute(String sessionId, List<String> cellIds) {
        Objects.requireNonNull(cellIds, "cellIds");
        ObjectNode body = Wire.JSON.createObjectNode();
        ArrayNode ids = body.putArray("cell_ids");
        cellIds.forEach(ids::add);
        return startExecution(sessionId, body);
    }

    /**
     * Executes every code cell of the session's notebook on the server, in notebook order (see
     * {@link #execute(String, String)}).
     *
     * @param sessionId the session's id
     * @return the queued execution
     * @throws QuireApiException 404 if there is no such session
     */
    public Execution executeAll(String sessionId) {
        return startExecution(sessionId, Wire.JSON.createObjectNode().put("all", true));
    }

    private Execution startExecution(String sessionId, ObjectNode body) {
        return Execution.create(send("POST", V1 + "sessions/" + segment(sessionId) + "/executions",
                Optional.of(body)));
    }

    /**
     * Reads an execution, with each cell's outputs as captured on the server so far.
     *
     * @param executionId the execution's id
     * @return the execution
     * @throws QuireApiException 404 if there is no such execution (or it finished long ago and was forgotten)
     */
    public Execution execution(String executionId) {
        return Execution.create(send("GET", V1 + "executions/" + segment(executionId), Optional.empty()));
    }

    /**
     * Cancels an execution: a queued one never runs; a running one has its kernel interrupted and no further cell
     * runs. Cancelling a finished execution changes nothing.
     *
     * @param executionId the execution's id
     * @return the execution as it stands (a running one may still be running for a moment)
     * @throws QuireApiException 404 if there is no such execution
     */
    public Execution cancelExecution(String executionId) {
        return Execution.create(send("POST", V1 + "executions/" + segment(executionId) + "/cancel",
                Optional.empty()));
    }

    /**
     * Polls an execution until it finishes, with the backoff of {@link #awaitRun}.
     *
     * @param executionId the execution's id
     * @param timeout     how long to wait at most
     * @return the finished execution, with its outputs
     * @throws QuireTimeoutException   if it did not finish in time (it goes on on the server)
     * @throws QuireTransportException if the thread is interrupted while waiting
     * @throws QuireApiException       404 if there is no such execution
     */
    public Execution awaitExecution(String executionId, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return poll(() -> execution(executionId), Execution::isFinished, timeout, "execution " + executionId,
                execution -> new QuireTimeoutException("execution " + executionId + " did not finish within "
                        + timeout + " (status " + execution.status().wireName() + ")", execution));
    }

    /**
     * Connects to a kernel's channels WebSocket ({@code /api/kernels/{id}/channels}) with a new client session id.
     *
     * @param kernelId the kernel's id, such as {@link KernelSession#kernelId()}
     * @return the open connection; close it when done
     * @throws QuireApiException       when the server refuses (404 for an unknown kernel, 401/403 for the token)
     * @throws QuireTransportException when the connection fails
     */
    public KernelChannels kernelChannels(String kernelId) {
        return kernelChannels(kernelId, UUID.randomUUID().toString());
    }

    /**
     * Connects to a kernel's channels WebSocket as a given client session: a connection that comes back with the
     * session id of one that dropped gets the messages the server buffered meanwhile.
     *
     * @param kernelId  the kernel's id
     * @param sessionId the Jupyter client session id
     * @return the open connection; close it when done
     * @throws QuireApiException       when the server refuses (404 for an unknown kernel, 401/403 for the token)
     * @throws QuireTransportException when the connection fails
     */
    public KernelChannels kernelChannels(String kernelId, String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return KernelChannels.connect(http, baseUrl, token, kernelId, sessionId, requestTimeout);
    }

    /**
     * Connects to the channels of a session's kernel.
     *
     * @param session the session
     * @return the open connection; close it when done
     * @throws QuireApiException       when the server refuses
     * @throws QuireTransportException when the connection fails
     */
    public KernelChannels kernelChannels(KernelSession session) {
        return kernelChannels(Objects.requireNonNull(session, "session").kernelId());
    }

    private <T> T poll(Supplier<T> read, Predicate<T> finished, Duration timeout, String what,
            Function<T, QuireTimeoutException> late) {
        Instant deadline = clock.instant().plus(timeout);
        Duration delay = firstPoll;
        while (true) {
            T current = read.get();
            if (finished.test(current)) {
                return current;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw late.apply(current);
            }
            try {
                sleeper.sleep(delay.compareTo(left) < 0 ? delay : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QuireTransportException("interrupted while waiting for " + what, e);
            }
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(maxPoll) < 0 ? doubled : maxPoll;
        }
    }

    /**
     * Signs in with a password on a team server ({@code POST /api/v1/auth/login}); this client's own token, if any,
     * is not needed. Build another client with the returned token to act as the user.
     *
     * @param email        the user's e-mail address
     * @param password     the password
     * @param organisation the organisation's slug or id, needed when the user belongs to several
     * @return the new token (shown once) and whom it acts for
     * @throws QuireApiException 401 for a wrong address or password (the same answer), 429 while the account is
     *                           locked after repeated failures, 400 when an organisation must be named
     */
    public SignIn login(String email, String password, Optional<String> organisation) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(password, "password");
        ObjectNode body = Wire.JSON.createObjectNode().put("email", email).put("password", password);
        organisation.ifPresent(org -> body.put("organisation", org));
        return SignIn.create(send("POST", V1 + "auth/login", Optional.of(body)));
    }

    /**
     * Signs out on a team server ({@code POST /api/v1/auth/logout}): revokes this client's token, after which every
     * request with it is refused with 401.
     */
    public void logout() {
        sendWithoutBody("POST", V1 + "auth/logout");
    }

    /**
     * Lists the kernels the server can start.
     *
     * @return the kernel specs, by name
     */
    public List<KernelSpecInfo> kernelSpecs() {
        return list(send("GET", V1 + "kernelspecs", Optional.empty()), KernelSpecInfo::create);
    }

    private static <T> List<T> list(JsonNode json, Function<JsonNode, T> reader) {
        if (!json.isArray()) {
            throw new QuireException("the server sent " + json.getNodeType() + " where a list was expected: " + json);
        }
        List<T> items = new ArrayList<>(json.size());
        json.forEach(item -> items.add(reader.apply(item)));
        return List.copyOf(items);
    }

    private void sendWithoutBody(String method, String relative) {
        exchange(method, relative, Optional.empty());
    }

    private JsonNode send(String method, String relative, Optional<JsonNode> body) {
        HttpResponse<byte[]> response = exchange(method, relative, body);
        String what = method + " " + response.request().uri().getRawPath();
        try {
            JsonNode json = Wire.JSON.readTree(response.body());
            if (json == null || json.isMissingNode()) {
                throw new QuireException(what + " answered " + response.statusCode() + " without a JSON body");
            }
            return json;
        } catch (IOException e) {
            throw new QuireException(what + " answered " + response.statusCode() + " with a body that is not JSON: "
                    + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> exchange(String method, String relative, Optional<JsonNode> body) {
        URI uri = baseUrl.resolve(relative);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json");
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        if (body.isPresent()) {
            byte[] bytes;
            try {
                bytes = Wire.JSON.writeValueAsBytes(body.get());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot serialise the request body: " + e.getOriginalMessage(), e);
            }
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = method + " " + uri.getRawPath();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new QuireTransportException(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuireTransportException(what + " was interrupted", e);
        }
        if (response.statusCode() >= 400) {
            throw new QuireApiException(what, ApiError.create(response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8)));
        }
        return response;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String segment(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("an id must not be empty");
        }
        return encode(id);
    }

    /** Settings of a {@link QuireClient}. Not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private Optional<String> token = Optional.empty();
        private Optional<HttpClient> http = Optional.empty();
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Duration firstPoll = Duration.ofMillis(50);
        private Duration maxPoll = Duration.ofSeconds(2);

        private Builder() {
        }

        /**
         * The server's URL, such as {@code http://127.0.0.1:8888/}; API paths are resolved against it.
         *
         * @param value an absolute http or https URL
         * @return this builder
         * @throws IllegalArgumentException if the URL is not absolute http(s)
         */
        public Builder baseUrl(URI value) {
            Objects.requireNonNull(value, "baseUrl");
            if (!"http".equals(value.getScheme()) && !"https".equals(value.getScheme())) {
                throw new IllegalArgumentException("the base URL must be http or https, got " + value);
            }
            this.baseUrl = value;
            return this;
        }

        /**
         * The server's token, sent as {@code Authorization: Bearer TOKEN}.
         *
         * @param value the token
         * @return this builder
         */
        public Builder token(String value) {
            Objects.requireNonNull(value, "token");
            if (value.isBlank()) {
                throw new IllegalArgumentException("the token must not be blank");
            }
            this.token = Optional.of(value);
            return this;
        }

        /**
         * The JDK HTTP client to use instead of a new one.
         *
         * @param value the client
         * @return this builder
         */
        public Builder httpClient(HttpClient value) {
            this.http = Optional.of(Objects.requireNonNull(value, "httpClient"));
            return this;
        }

        /**
         * How long one request may take (default 30 s); also the connect timeout of a client made here.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive("requestTimeout", value);
            return this;
        }

        /**
         * The clock {@link #awaitRun} and {@link #awaitExecution} measure their deadline with (default: the system
         * clock).
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How {@link #awaitRun} and {@link #awaitExecution} wait between polls (default: {@link Sleeper#system()}).
         *
         * @param value the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /**
         * The backoff of {@link #awaitRun}: the first wait, doubled after each poll up to the maximum (defaults
         * 50 ms and 2 s).
         *
         * @param first the first wait, positive
         * @param max   the longest wait, at least {@code first}
         * @return this builder
         */
        public Builder pollIntervals(Duration first, Duration max) {
            positive("first", first);
            positive("max", max);
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("the maximum poll interval " + max + " is shorter than the first "
                        + first);
            }
            this.firstPoll = first;
            this.maxPoll = max;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         * @throws IllegalStateException if no base URL was given
         */
        public QuireClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("a base URL is required: call baseUrl(URI) first");
            }
            return new QuireClient(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
