package io.quire.store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's roles in one project, resolved once for a series of checks: the role on the project itself (from the
 * organisation, the space's grants and the project's grants) and the user's grants on single files in it.
 *
 * @param project     the project
 * @param projectRole the role on the project and so on every file in it, if any
 * @param fileGrants  roles granted on single files of the project
 */
public record ProjectAccess(ProjectId project, Optional<ResourceRole> projectRole, Map<FileId, ResourceRole> fileGrants) {

    /** Checks the components and copies the map. */
    public ProjectAccess {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(projectRole, "projectRole");
        fileGrants = Map.copyOf(fileGrants);
    }

    /**
     * The role on a file of the project: the stronger of the project role and the file's own grant.
     *
     * @param file a file of the project
     * @return the role, or empty if the user may not see the file
     */
    public Optional<ResourceRole> roleOn(FileId file) {
        Optional<ResourceRole> own = Optional.ofNullable(fileGrants.get(file));
        if (projectRole.isEmpty()) {
            return own;
        }
        return Optional.of(own.map(projectRole.get()::max).orElse(projectRole.get()));
    }

    /**
     * Whether the user sees anything in the project.
     *
     * @return true with a project role or at least one file grant
     */
    public boolean seesAnything() {
        return projectRole.isPresent() || !fileGrants.isEmpty();
    }
}
