package io.quire.sessions;

import io.quire.kernel.KernelOwner;
import io.quire.kernels.KernelManager;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Jupyter sessions over a {@link KernelManager}. Thread-safe. Follows Jupyter Server: creating a session for
 * a path that already has one returns that session; a session whose kernel is gone (shut down elsewhere) or
 * dead is dropped when next read; deleting a session shuts its kernel down; switching a session to another
 * kernel shuts the old kernel down.
 */
public interface SessionManager {

    /**
     * @param kernels the kernel manager
     * @param store   where sessions are kept
     * @param rootDir the directory API paths are relative to, used for kernel working directories; empty
     *                leaves the working directory to the provisioner
     * @return the session manager
     */
    static SessionManager create(KernelManager kernels, SessionStore store, Optional<Path> rootDir) {
        return create(kernels, store, rootDir, Clock.systemUTC());
    }

    /**
     * @param kernels the kernel manager
     * @param store   where sessions are kept
     * @param rootDir the directory API paths are relative to (see {@link #create(KernelManager, SessionStore,
     *                Optional)})
     * @param clock   the time of {@link Session#created()}
     * @return the session manager
     */
    static SessionManager create(KernelManager kernels, SessionStore store, Optional<Path> rootDir, Clock clock) {
        return new SessionManagerImpl(kernels, store, rootDir, clock);
    }

    /**
     * A session returned by {@link #open}, and whether this call created it.
     *
     * @param session the session
     * @param created true when the call created the session, false when it already existed
     */
    record Opened(Session session, boolean created) {
        /** Rejects null. */
        public Opened {
            Objects.requireNonNull(session, "session");
        }
    }

    /**
     * Returns the session of the path if there is a live one, otherwise creates a session with a kernel as
     * chosen. Parallel calls for the same path create one session.
     *
     * @param path   the API path (non-blank)
     * @param name   the session name; may be empty
     * @param type   the session type (non-blank), e.g. {@code notebook}
     * @param kernel which kernel to use when a session is created
     * @return the existing or new session
     * @throws io.quire.kernels.KernelNotFoundException when an existing kernel is chosen that does not exist
     * @throws io.quire.kernel.KernelSpecException      when the named spec does not exist
     * @throws io.quire.kernel.KernelLaunchException    when the kernel cannot start
     */
    default Session create(String path, String name, String type, KernelChoice kernel) {
        return open(path, name, type, kernel).session();
    }

    /**
     * As {@link #create}, telling whether the session was created by this call or existed already.
     *
     * @param path   the API path (non-blank)
     * @param name   the session name; may be empty
     * @param type   the session type (non-blank), e.g. {@code notebook}
     * @param kernel which kernel to use when a session is created
     * @return the existing or new session, and which
     * @throws io.quire.kernels.KernelNotFoundException when an existing kernel is chosen that does not exist
     * @throws io.quire.kernel.KernelSpecException      when the named spec does not exist
     * @throws io.quire.kernel.KernelLaunchException    when the kernel cannot start
     */
    default Opened open(String path, String name, String type, KernelChoice kernel) {
        return open(path, name, type, kernel, Optional.empty());
    }

    /**
     * As {@link #open(String, String, String, KernelChoice)}, starting a new kernel for an owner, so that the owner's
     * kernel quotas apply (an existing session is returned as it is, whoever owns its kernel).
     *
     * @param path   the API path (non-blank)
     * @param name   the session name; may be empty
     * @param type   the session type (non-blank), e.g. {@code notebook}
     * @param kernel which kernel to use when a session is created
     * @param owner  who a kernel started for the session belongs to; empty for nobody (no quota applies)
     * @return the existing or new session, and which
     * @throws io.quire.kernels.KernelNotFoundException       when an existing kernel is chosen that does not exist
     * @throws io.quire.kernel.KernelSpecException            when the named spec does not exist
     * @throws io.quire.kernel.KernelLaunchException          when the kernel cannot start
     * @throws io.quire.kernels.KernelQuotaExceededException when the owner has as many kernels as allowed
     */
    Opened open(String path, String name, String type, KernelChoice kernel, Optional<KernelOwner> owner);

    /** @return every live session, oldest first */
    List<Session> list();

    /**
     * @param id a session id
     * @return the session, or empty when unknown (or its kernel is gone)
     */
    Optional<Session> get(String id);

    /**
     * Changes a session. A kernel change to a new kernel starts it with the session's old path and name, then
     * shuts the old kernel down (also when switching to another running kernel).
     *
     * @param id      a session id
     * @param changes what to change
     * @return the session after the change
     * @throws SessionNotFoundException                  for an unknown id
     * @throws io.quire.kernels.KernelNotFoundException when switching to a kernel id that does not exist
     * @throws io.quire.kernel.KernelSpecException      when the named spec does not exist
     * @throws io.quire.kernel.KernelLaunchException    when the new kernel cannot start
     */
    Session update(String id, SessionUpdate changes);

    /**
     * Deletes a session and shuts its kernel down.
     *
     * @param id a session id
     * @throws SessionNotFoundException for an unknown id
     */
    void delete(String id);
}
