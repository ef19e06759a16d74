package io.quire.desktop.notebook;

import java.util.Locale;
import java.util.Optional;

/** The nbformat cell types. */
public enum CellType {
    /** Code run by the kernel. */
    CODE,
    /** Markdown, rendered. */
    MARKDOWN,
    /** Raw text, passed through untouched. */
    RAW;

    /**
     * The nbformat name.
     *
     * @return {@code code}, {@code markdown} or {@code raw}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type for an nbformat {@code cell_type}.
     *
     * @param name the cell type
     * @return the type, or empty for a type nbformat does not define
     */
    public static Optional<CellType> fromWire(String name) {
        for (CellType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
