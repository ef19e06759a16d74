package io.quire.execution.parameters;

import java.util.Map;
import java.util.Optional;

/**
 * Renders parameters as source code of one kernel language, for the {@code injected-parameters} cell.
 */
public interface ParameterTranslator {

    /**
     * The source of the injected cell: a comment line then one assignment per parameter.
     *
     * @param parameters the parameters, in order
     * @return the cell source
     */
    String codify(Map<String, ParameterValue> parameters);

    /**
     * The translator for a kernel or language, looked up by kernel name first and then language, as papermill does.
     *
     * @param kernelName the kernel spec name
     * @param language   the kernel language, if known
     * @return the translator, or empty if Quire has none for that kernel or language
     */
    static Optional<ParameterTranslator> find(String kernelName, Optional<String> language) {
        if ("python".equals(language.orElse("")) || kernelName.startsWith("python") || "pysparkkernel".equals(kernelName)) {
            return Optional.of(new PythonTranslator());
        }
        return Optional.empty();
    }
}
