package io.quire.store;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks of the names, slugs and e-mail addresses callers give the store; messages name the bad value. */
final class Names {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private Names() {
    }

    static String slug(String slug) {
        Objects.requireNonNull(slug, "slug");
        if (!SLUG.matcher(slug).matches()) {
            throw new StoreBadRequestException("slug '" + slug
                    + "' must be 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit");
        }
        return slug;
    }

    /** A display name: trimmed, not empty, at most {@code max} characters, no control characters. */
    static String name(String what, String name, int max) {
        Objects.requireNonNull(name, what);
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw new StoreBadRequestException(what + " must not be empty");
        }
        if (trimmed.length() > max) {
            throw new StoreBadRequestException(what + " '" + trimmed.substring(0, 20) + "...' is longer than " + max
                    + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new StoreBadRequestException(what + " '" + trimmed.replaceAll("\\p{Cntrl}", "?")
                    + "' contains control characters");
        }
        return trimmed;
    }

    /** An e-mail address, lower-cased: addresses are compared without case. */
    static String email(String email) {
        Objects.requireNonNull(email, "email");
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > 320 || !EMAIL.matcher(normalized).matches()) {
            throw new StoreBadRequestException("'" + email + "' is not an e-mail address");
        }
        return normalized;
    }
}
