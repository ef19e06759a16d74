package io.quire.server.team;

import io.helidon.webserver.http.ServerRequest;
import io.quire.kernel.KernelOwner;
import io.quire.server.http.ApiException;
import io.quire.store.OrgId;
import io.quire.store.TokenId;
import io.quire.store.UserId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who sent a team-mode request: the user and organisation of the API token it presented. The authentication filter
 * registers it in the request's context; handlers read it with {@link #of(ServerRequest)}.
 *
 * @param organisation the organisation the token acts in
 * @param user         the user the token acts as
 * @param token        the token used
 * @param scopes       the token's scopes ({@link TokenScopes}); empty for an unrestricted token
 */
public record Caller(OrgId organisation, UserId user, TokenId token, Set<String> scopes) {

    /** Rejects nulls and copies the scopes. */
    public Caller {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(token, "token");
        scopes = Set.copyOf(scopes);
    }

    /**
     * Whether the caller's token may be used for a scope.
     *
     * @param scope one of {@link TokenScopes}'s scopes
     * @return true if the token is unrestricted or has the scope
     */
    public boolean allows(String scope) {
        return scopes.isEmpty() || scopes.contains(scope);
    }

    /**
     * The caller of a request.
     *
     * @param request the request
     * @return the caller, or empty when the request was not authenticated by a store token
     */
    public static Optional<Caller> of(ServerRequest request) {
        return request.context().get(Caller.class);
    }

    /**
     * The caller of a request that must have one.
     *
     * @param request the request
     * @return the caller
     * @throws ApiException 401 when there is none (a route was reached without the team authentication filter)
     */
    public static Caller require(ServerRequest request) {
        return of(request).orElseThrow(() -> new ApiException(401, "unauthorized",
                "this server needs an API token: send 'Authorization: token <token>'"));
    }

    /**
     * The owner of kernels this caller starts, for kernel quotas.
     *
     * @return the owner (user id, organisation id)
     */
    public KernelOwner kernelOwner() {
        return new KernelOwner(user.toString(), organisation.toString());
    }
}
