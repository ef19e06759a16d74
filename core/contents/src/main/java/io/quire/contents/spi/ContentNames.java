package io.quire.contents.spi;

import io.quire.contents.ContentType;
import io.quire.contents.ContentsBadRequestException;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Jupyter's rules for naming new entries: untitled entries and copies.
 *
 * <p>A name is made unique by trying the name itself, then with {@code insert + 1}, {@code insert + 2}, ... placed
 * before the extension. The extension of a notebook is {@code .ipynb} (split at the last dot); for any other name it
 * starts at the <em>first</em> dot, so {@code data.tar.gz} becomes {@code data-Copy1.tar.gz}.
 */
public final class ContentNames {

    /** The base name of new notebooks. */
    public static final String UNTITLED_NOTEBOOK = "Untitled";
    /** The base name of new files. */
    public static final String UNTITLED_FILE = "untitled";
    /** The base name of new directories. */
    public static final String UNTITLED_DIRECTORY = "Untitled Folder";

    private static final Pattern EARLIER_COPY = Pattern.compile("-Copy\\d*\\.");

    private ContentNames() {
    }

    /**
     * The type {@code newUntitled} creates: the requested one, else a notebook for extension {@code .ipynb}, else a
     * file.
     *
     * @param type the requested type, if any
     * @param ext  the requested extension
     * @return the type to create
     */
    public static ContentType untitledType(Optional<ContentType> type, String ext) {
        return type.orElse(".ipynb".equals(normalizeExtension(ext)) ? ContentType.NOTEBOOK : ContentType.FILE);
    }

    /**
     * The name of a new untitled entry: {@code Untitled.ipynb}, {@code Untitled1.ipynb}, ...;
     * {@code untitled.txt}, {@code untitled1.txt}, ...; {@code Untitled Folder}, {@code Untitled Folder 1}, ...
     *
     * @param type  the type being created
     * @param ext   the extension for files and directories ({@code ""} for none; a missing leading dot is added);
     *              ignored for notebooks, which get {@code .ipynb}
     * @param taken whether a name is already used in the target directory
     * @return the first free name
     * @throws ContentsBadRequestException if the extension contains {@code /}, a backslash or NUL
     */
    public static String untitledName(ContentType type, String ext, Predicate<String> taken) {
        String extension = normalizeExtension(ext);
        return switch (type) {
            case NOTEBOOK -> unique(UNTITLED_NOTEBOOK + ".ipynb", "", taken);
            case FILE -> unique(UNTITLED_FILE + extension, "", taken);
            case DIRECTORY -> unique(UNTITLED_DIRECTORY + extension, " ", taken);
        };
    }

    /**
     * The name of a copy placed in a directory: the source name with any {@code -CopyN} before an extension removed,
     * then made unique with {@code -Copy}: {@code a.ipynb} gives {@code a-Copy1.ipynb} next to the original,
     * {@code a-Copy1.ipynb} gives {@code a-Copy2.ipynb}, and in a directory without {@code a.ipynb} the copy keeps
     * the name {@code a.ipynb}.
     *
     * @param sourceName the name of the entry being copied
     * @param taken      whether a name is already used in the target directory
     * @return the first free name
     */
    public static String copyName(String sourceName, Predicate<String> taken) {
        return unique(EARLIER_COPY.matcher(sourceName).replaceAll("."), "-Copy", taken);
    }

    /**
     * Makes a name unique by inserting {@code insert} and a counter before its extension.
     *
     * @param name   the wanted name
     * @param insert what goes between the base name and the counter ({@code ""}, {@code " "}, {@code "-Copy"})
     * @param taken  whether a name is already used
     * @return {@code name} if free, else the first free {@code base + insert + n + extension}, n = 1, 2, ...
     */
    public static String unique(String name, String insert, Predicate<String> taken) {
        int split = name.endsWith(".ipynb") ? name.lastIndexOf('.') : name.indexOf('.');
        String base = split < 0 ? name : name.substring(0, split);
        String extension = split < 0 ? "" : name.substring(split);
        String candidate = name;
        for (int i = 1; taken.test(candidate); i++) {
            candidate = base + insert + i + extension;
        }
        return candidate;
    }

    private static String normalizeExtension(String ext) {
        if (ext.indexOf('/') >= 0 || ext.indexOf('\\') >= 0 || ext.indexOf('\0') >= 0) {
            throw new ContentsBadRequestException("", "extension '" + ext.replace("\0", "\\0")
                    + "' must not contain a path separator or NUL");
        }
        return ext.isEmpty() || ext.startsWith(".") ? ext : "." + ext;
    }
}
