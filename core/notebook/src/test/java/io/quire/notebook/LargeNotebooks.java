package io.quire.notebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Random;

/**
 * Multi-megabyte notebooks generated at test time (never committed): many image outputs and long streams, from a
 * seeded pseudo-random generator so that every run builds the same bytes.
 *
 * <p>The JSON is built with plain Jackson and written with Jackson's default two-space pretty printer, not with
 * Quire's writer, so reading it exercises the reader on text Quire did not produce.
 */
final class LargeNotebooks {
    private static final String WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ν ξ 中 😀";

    private LargeNotebooks() {
    }

    /**
     * A notebook of at least {@code minimumBytes} bytes.
     *
     * @param seed         the pseudo-random seed
     * @param minimumBytes the size to reach
     * @return the JSON bytes (UTF-8)
     */
    static byte[] generate(long seed, int minimumBytes) {
        Random random = new Random(seed);
        ObjectNode root = JsonTrees.mapper().createObjectNode();
        root.put("nbformat", 4);
        root.put("nbformat_minor", 5);
        ObjectNode kernelspec = root.putObject("metadata").putObject("kernelspec");
        kernelspec.put("name", "python3").put("display_name", "Python 3").put("language", "python");
        ArrayNode cells = root.putArray("cells");
        long size = 0;
        for (int i = 0; size < minimumBytes; i++) {
            ObjectNode markdown = cells.addObject();
            markdown.put("id", "md-" + i).put("cell_type", "markdown").putObject("metadata");
            markdown.putArray("source").add("## Section " + i + "\n").add(sentence(random, 12));

            ObjectNode code = cells.addObject();
            code.put("id", "code-" + i).put("cell_type", "code").put("execution_count", i + 1);
            code.putObject("metadata").putArray("tags").add("generated");
            code.putArray("source").add("plot(" + i + ")\n").add("print(log)\n");
            ArrayNode outputs = code.putArray("outputs");

            ObjectNode stream = outputs.addObject().put("output_type", "stream").put("name", "stdout");
            ArrayNode text = stream.putArray("text");
            int lines = 200 + random.nextInt(200);
            for (int line = 0; line < lines; line++) {
                String content = sentence(random, 3 + random.nextInt(12));
                text.add(line % 17 == 0 ? "\r" + content + "\n" : content + "\n");
                size += content.length() + 8;
            }

            byte[] image = new byte[20_000 + random.nextInt(40_000)];
            random.nextBytes(image);
            String base64 = Base64.getEncoder().encodeToString(image);
            ObjectNode display = outputs.addObject().put("output_type", "display_data");
            display.putObject("data").put("image/png", base64 + "\n").put("text/plain", "<Figure " + i + ">");
            display.putObject("metadata").putObject("image/png").put("width", 640).put("height", 480);
            size += base64.length() + 200;
        }
        try {
            return JsonTrees.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sentence(Random random, int words) {
        String[] vocabulary = WORDS.split(" ");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        return text.toString();
    }
}
