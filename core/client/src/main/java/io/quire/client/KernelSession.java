package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A kernel session bound to a notebook: the kernel whose state persists from one execution to the next. The same
 * session is visible to Jupyter clients ({@code /api/sessions}).
 *
 * @param id           the session's id; opaque
 * @param fileId       the notebook's file id
 * @param path         the notebook's path
 * @param name         the session's name (the notebook's file name)
 * @param kernelId     the kernel's id, for {@link QuireClient#kernelChannels(String)}
 * @param kernelSpec   the kernel spec name
 * @param state        the kernel's execution state
 * @param reason       why the kernel is dead, when it is
 * @param kernelPhase  where the kernel's start is: {@code waiting_for_capacity}, {@code starting} or {@code ready}
 *                     ({@code ready} from servers that do not say)
 * @param kernelSize   the kernel's hardware size, when it has a named one
 * @param createdAt    when the session was created
 * @param lastActivity when the kernel was last active
 */
public record KernelSession(String id, String fileId, String path, String name, String kernelId, String kernelSpec,
        KernelState state, Optional<String> reason, String kernelPhase, Optional<String> kernelSize, Instant createdAt,
        Instant lastActivity) {

    /** Validates the fields. */
    public KernelSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernelId, "kernelId");
        Objects.requireNonNull(kernelSpec, "kernelSpec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(kernelPhase, "kernelPhase");
        Objects.requireNonNull(kernelSize, "kernelSize");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivity, "lastActivity");
    }

    /**
     * Reads a session resource.
     *
     * @param json the JSON object
     * @return the session
     * @throws QuireException if a required field is missing
     */
    public static KernelSession create(JsonNode json) {
        String what = "session";
        return new KernelSession(Wire.text(json, "id", what), Wire.text(json, "file_id", what),
                Wire.text(json, "path", what), Wire.optionalText(json, "name").orElse(""),
                Wire.text(json, "kernel_id", what), Wire.text(json, "kernel_spec", what),
                KernelState.fromWire(Wire.text(json, "state", what)), Wire.optionalText(json, "reason"),
                Wire.optionalText(json, "kernel_phase").orElse("ready"), Wire.optionalText(json, "kernel_size"),
                Wire.instant(json, "created_at", what), Wire.instant(json, "last_activity", what));
    }
}
