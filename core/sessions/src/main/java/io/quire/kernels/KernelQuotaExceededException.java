package io.quire.kernels;

import io.quire.kernel.KernelException;

import java.io.Serial;
import java.util.Locale;

/**
 * A start was refused because its owner's user or organisation already has as many kernels as its quota allows
 * (kernels waiting for capacity and starting count). Nothing was started.
 */
public class KernelQuotaExceededException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Which quota was reached. */
    public enum Scope {
        /** The per-user limit. */
        USER,
        /** The per-organisation limit. */
        ORGANISATION
    }

    private final Scope scope;
    private final String subject;
    private final int limit;
    private final int count;

    /**
     * @param scope   which quota
     * @param subject the user or organisation id
     * @param limit   the quota
     * @param count   how many kernels it has now
     */
    public KernelQuotaExceededException(Scope scope, String subject, int limit, int count) {
        super(scope.name().toLowerCase(Locale.ROOT) + " '" + subject + "' has " + count + " kernel"
                + (count == 1 ? "" : "s") + " (counting those still starting); the limit is " + limit + " per "
                + scope.name().toLowerCase(Locale.ROOT));
        this.scope = scope;
        this.subject = subject;
        this.limit = limit;
        this.count = count;
    }

    /** @return which quota was reached */
    public Scope scope() {
        return scope;
    }

    /** @return the user or organisation id */
    public String subject() {
        return subject;
    }

    /** @return the quota */
    public int limit() {
        return limit;
    }

    /** @return how many kernels the user or organisation has */
    public int count() {
        return count;
    }
}
