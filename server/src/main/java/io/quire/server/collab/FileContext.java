package io.quire.server.collab;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the shared execution of a file needs to know beyond its log.
 *
 * @param organisation the organisation owning the file: a kernel started for an execute request belongs to the
 *                     request's author in this organisation (quotas apply); empty: to nobody
 * @param cwd          the kernel's working directory, or empty for the provisioner's default
 */
public record FileContext(Optional<String> organisation, Optional<Path> cwd) {
    /** Validates the fields. */
    public FileContext {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(cwd, "cwd");
        if (organisation.isPresent() && organisation.get().isBlank()) {
            throw new IllegalArgumentException("organisation must not be blank");
        }
    }

    /** @return no organisation, the provisioner's working directory */
    public static FileContext none() {
        return new FileContext(Optional.empty(), Optional.empty());
    }
}
