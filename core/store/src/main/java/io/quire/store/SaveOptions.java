package io.quire.store;

import java.util.Objects;
import java.util.Optional;

/**
 * How a save names the version it creates.
 *
 * @param name        a name for the new version, if any
 * @param onlyIfFirst give the name only if no version of the file has a name yet (Jupyter creates a notebook's
 *                    first checkpoint this way on its first save)
 */
public record SaveOptions(Optional<String> name, boolean onlyIfFirst) {

    private static final SaveOptions NONE = new SaveOptions(Optional.empty(), false);

    /** Checks the name. */
    public SaveOptions {
        Objects.requireNonNull(name, "name");
        name = name.map(n -> Names.name("version name", n, 200));
    }

    /**
     * An unnamed version.
     *
     * @return the options
     */
    public static SaveOptions none() {
        return NONE;
    }

    /**
     * A named version.
     *
     * @param name the name
     * @return the options
     */
    public static SaveOptions named(String name) {
        return new SaveOptions(Optional.of(name), false);
    }

    /**
     * A version named only if the file has no named version yet.
     *
     * @param name the name
     * @return the options
     */
    public static SaveOptions namedIfFirst(String name) {
        return new SaveOptions(Optional.of(name), true);
    }
}
