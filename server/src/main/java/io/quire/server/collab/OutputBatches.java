package io.quire.server.collab;

import io.quire.notebook.Output;
import io.quire.notebook.StreamOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which output delta brings a cell's persisted outputs up to its live outputs. Live outputs follow Jupyter's
 * executor (one output per stream message, {@code clear_output}, {@code update_display_data}); persisted outputs are
 * coalesced: consecutive stream outputs of one stream are one output, as JupyterLab shows them. When the live outputs
 * only grew (new outputs, or more text on the last stream) the step is an append of what is new; anything else (a
 * clear, an updated display) replaces the whole list.
 */
final class OutputBatches {

    private OutputBatches() {
    }

    /** The output delta to send; none when nothing changed. */
    sealed interface Step {
        /** Nothing to send. */
        record None() implements Step {
        }

        /** Append these outputs. */
        record Append(List<Output> outputs) implements Step {
        }

        /** Replace the whole list. */
        record Replace(List<Output> outputs) implements Step {
        }
    }

    /**
     * Merges consecutive stream outputs of the same stream.
     *
     * @param outputs the outputs
     * @return the coalesced outputs
     */
    static List<Output> coalesce(List<Output> outputs) {
        List<Output> merged = new ArrayList<>(outputs.size());
        for (Output output : outputs) {
            if (output instanceof StreamOutput stream && !merged.isEmpty()
                    && merged.getLast() instanceof StreamOutput last && last.name().equals(stream.name())) {
                merged.set(merged.size() - 1, StreamOutput.of(last.name(), last.text().text() + stream.text().text()));
            } else {
                merged.add(output);
            }
        }
        return List.copyOf(merged);
    }

    /**
     * The step from what the document has to what the cell shows now.
     *
     * @param persisted the outputs persisted so far (as appended, possibly several stream outputs in a row)
     * @param live      the live outputs
     * @return the step
     */
    static Step step(List<Output> persisted, List<Output> live) {
        List<Output> have = coalesce(persisted);
        List<Output> want = coalesce(live);
        if (have.size() > want.size()) {
            return new Step.Replace(want);
        }
        for (int i = 0; i < have.size(); i++) {
            Output had = have.get(i);
            Output now = want.get(i);
            if (same(had, now)) {
                continue;
            }
            boolean grewLast = i == have.size() - 1 && had instanceof StreamOutput old && now instanceof StreamOutput
                    grown && old.name().equals(grown.name()) && grown.text().text().startsWith(old.text().text());
            if (!grewLast) {
                return new Step.Replace(want);
            }
            List<Output> appended = new ArrayList<>();
            StreamOutput grown = (StreamOutput) now;
            appended.add(StreamOutput.of(grown.name(), grown.text().text().substring(((StreamOutput) had).text()
                    .text().length())));
            appended.addAll(want.subList(have.size(), want.size()));
            return new Step.Append(List.copyOf(appended));
        }
        if (have.size() == want.size()) {
            return new Step.None();
        }
        return new Step.Append(List.copyOf(want.subList(have.size(), want.size())));
    }

    private static boolean same(Output a, Output b) {
        if (a instanceof StreamOutput x && b instanceof StreamOutput y) {
            return x.name().equals(y.name()) && x.text().text().equals(y.text().text());
        }
        return a.equals(b);
    }
}
