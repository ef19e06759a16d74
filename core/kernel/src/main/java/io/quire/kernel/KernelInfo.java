package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A {@code kernel_info_reply}.
 *
 * @param protocolVersion       the protocol version the kernel speaks
 * @param implementation        the kernel implementation name, e.g. {@code ipython}
 * @param implementationVersion the implementation version
 * @param languageInfo          the language
 * @param banner                the banner text
 * @param helpLinks             the {@code help_links} array (open JSON), an empty array when absent
 * @param debugger              whether the kernel supports the debugger protocol
 * @param raw                   the whole reply content, for fields not modelled here
 */
public record KernelInfo(String protocolVersion, String implementation, String implementationVersion,
                         LanguageInfo languageInfo, String banner, JsonNode helpLinks, boolean debugger,
                         ObjectNode raw) {
    /** Rejects nulls. */
    public KernelInfo {
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(implementation, "implementation");
        Objects.requireNonNull(implementationVersion, "implementationVersion");
        Objects.requireNonNull(languageInfo, "languageInfo");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(helpLinks, "helpLinks");
        Objects.requireNonNull(raw, "raw");
    }

    /**
     * Reads the content of a {@code kernel_info_reply}.
     *
     * @param content the reply content
     * @return the typed info
     */
    public static KernelInfo fromJson(ObjectNode content) {
        JsonNode links = content.path("help_links");
        return new KernelInfo(Json.text(content, "protocol_version"), Json.text(content, "implementation"),
                Json.text(content, "implementation_version"), LanguageInfo.fromJson(content.path("language_info")),
                Json.text(content, "banner"), links.isArray() ? links : Json.NODES.arrayNode(),
                content.path("debugger").asBoolean(false), content);
    }
}
