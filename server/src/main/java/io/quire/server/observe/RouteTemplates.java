package io.quire.server.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Maps a request path to the route template it was served by, such as {@code /api/kernels/{id}/restart} for
 * {@code /api/kernels/6f1c.../restart}, so metric labels stay few however many kernels, sessions and files there are.
 *
 * <p>A template is a {@code /}-separated list of segments: a literal matches itself; {@code {name}} matches exactly
 * one non-empty segment; {@code {name...}} matches any number of segments (zero or more) and is written
 * {@code {name}} in the result. The first matching template in the list wins. A path no template matches maps to
 * {@link #UNMATCHED}, so probes for random paths cannot create new series either. A trailing slash is ignored.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RouteTemplates {
    /** The template of paths no template matches. */
    public static final String UNMATCHED = "unmatched";

    /** The HTTP methods kept as they are; any other method becomes {@code other}. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");

    /** Quire's routes, most specific first. */
    private static final List<String> QUIRE = List.of(
            "/api",
            "/api/status",
            "/api/me",
            "/api/kernelspecs",
            "/api/kernelspecs/{name}",
            "/kernelspecs/{name}/{file}",
            "/api/kernels",
            "/api/kernels/{id}",
            "/api/kernels/{id}/interrupt",
            "/api/kernels/{id}/restart",
            "/api/kernels/{id}/channels",
            "/api/sessions",
            "/api/sessions/{id}",
            "/api/contents",
            "/api/contents/{path...}/checkpoints",
            "/api/contents/{path...}/checkpoints/{checkpoint_id}",
            "/api/contents/{path...}",
            "/health/live",
            "/health/ready",
            "/metrics");

    private final List<Template> templates;

    private RouteTemplates(List<Template> templates) {
        this.templates = templates;
    }

    /**
     * The templates of Quire's HTTP API: the Jupyter Server REST API under {@code /api}, kernel spec resources,
     * health and metrics.
     *
     * @return the templates
     */
    public static RouteTemplates quire() {
        return of(QUIRE);
    }

    /**
     * Templates from a list, tried in order.
     *
     * @param templates templates such as {@code /api/kernels/{id}}, starting with {@code /}
     * @return the templates
     * @throws IllegalArgumentException for a template that does not start with {@code /}, has an empty segment or
     *                                  more than one {@code {name...}} segment
     */
    public static RouteTemplates of(List<String> templates) {
        List<Template> parsed = new ArrayList<>(templates.size());
        for (String template : templates) {
            parsed.add(Template.parse(template));
        }
        return new RouteTemplates(List.copyOf(parsed));
    }

    /**
     * These templates followed by more, for routes added by other features.
     *
     * @param more templates tried after these
     * @return the combined templates
     * @throws IllegalArgumentException for an invalid template, as in {@link #of(List)}
     */
    public RouteTemplates and(List<String> more) {
        List<Template> all = new ArrayList<>(templates);
        for (String template : more) {
            all.add(Template.parse(template));
        }
        return new RouteTemplates(List.copyOf(all));
    }

    /**
     * The templates, in the order they are tried, as {@link #template(String)} reports them.
     *
     * @return the templates, such as {@code /api/contents/{path}}
     */
    public List<String> templates() {
        return templates.stream().map(Template::display).toList();
    }

    /**
     * The template a path belongs to.
     *
     * @param path the decoded request path, starting with {@code /}, without the query
     * @return the template, such as {@code /api/contents/{path}}, or {@link #UNMATCHED}
     */
    public String template(String path) {
        Objects.requireNonNull(path, "path");
        List<String> segments = segments(path);
        for (Template template : templates) {
            if (template.matches(segments)) {
                return template.display;
            }
        }
        return UNMATCHED;
    }

    /**
     * The method as a bounded label value: standard methods as they are, anything else {@code other}.
     *
     * @param method the request method
     * @return the label value
     */
    public static String method(String method) {
        String upper = method.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : "other";
    }

    private static List<String> segments(String path) {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty() || trimmed.equals("/")) {
            return List.of();
        }
        String body = trimmed.startsWith("/") ? trimmed.substring(1) : trimmed;
        return List.of(body.split("/", -1));
    }

    private record Template(String display, List<Segment> segments) {
        static Template parse(String template) {
            Objects.requireNonNull(template, "template");
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("a route template must start with '/', got '" + template + "'");
            }
            List<Segment> segments = new ArrayList<>();
            StringBuilder display = new StringBuilder();
            boolean rest = false;
            for (String part : template.equals("/") ? new String[0] : template.substring(1).split("/", -1)) {
                if (part.isEmpty()) {
                    throw new IllegalArgumentException("route template '" + template + "' has an empty segment");
                }
                if (part.startsWith("{") && part.endsWith("...}")) {
                    if (rest) {
                        throw new IllegalArgumentException("route template '" + template
                                + "' has more than one {name...} segment");
                    }
                    rest = true;
                    String name = part.substring(1, part.length() - 4);
                    segments.add(new Segment(Kind.REST, name));
                    display.append("/{").append(name).append('}');
                } else if (part.startsWith("{") && part.endsWith("}")) {
                    segments.add(new Segment(Kind.ONE, part));
                    display.append('/').append(part);
                } else {
                    segments.add(new Segment(Kind.LITERAL, part));
                    display.append('/').append(part);
                }
            }
            return new Template(display.isEmpty() ? "/" : display.toString(), List.copyOf(segments));
        }

        boolean matches(List<String> path) {
            return matches(path, 0, 0);
        }

        private boolean matches(List<String> path, int p, int t) {
            if (t == segments.size()) {
                return p == path.size();
            }
            Segment segment = segments.get(t);
            return switch (segment.kind()) {
                case LITERAL -> p < path.size() && path.get(p).equals(segment.text()) && matches(path, p + 1, t + 1);
                case ONE -> p < path.size() && !path.get(p).isEmpty() && matches(path, p + 1, t + 1);
                case REST -> {
                    // Backtracking is bounded: a template has at most one REST segment.
                    for (int end = path.size(); end >= p; end--) {
                        if (matches(path, end, t + 1)) {
                            yield true;
                        }
                    }
                    yield false;
                }
            };
        }
    }

    private enum Kind { LITERAL, ONE, REST }

    private record Segment(Kind kind, String text) {
    }
}
