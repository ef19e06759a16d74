package io.quire.kernel;

import java.util.Objects;

/**
 * Who a kernel belongs to: the user it runs for and that user's organisation. Quotas count kernels per user and
 * per organisation; provisioners may record both (e.g. as container labels).
 *
 * @param user         the user id, not blank
 * @param organisation the organisation id, not blank
 */
public record KernelOwner(String user, String organisation) {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the user or the organisation is blank
     */
    public KernelOwner {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(organisation, "organisation");
        if (user.isBlank()) {
            throw new IllegalArgumentException("kernel owner: user must not be blank");
        }
        if (organisation.isBlank()) {
            throw new IllegalArgumentException("kernel owner '" + user + "': organisation must not be blank");
        }
    }
}
