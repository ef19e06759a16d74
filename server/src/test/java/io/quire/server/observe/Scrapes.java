package io.quire.server.observe;

/** Reads sample values back from Prometheus text, for tests. */
final class Scrapes {
    private Scrapes() {
    }

    /**
     * The value of one series.
     *
     * @param scrape the text
     * @param series the series with its labels exactly as rendered, such as {@code x_total{a="b"}}
     * @return the value, or 0 when the series is absent
     */
    static long value(String scrape, String series) {
        String prefix = series + " ";
        return scrape.lines().filter(line -> line.startsWith(prefix))
                .mapToLong(line -> Long.parseLong(line.substring(prefix.length()))).sum();
    }
}
