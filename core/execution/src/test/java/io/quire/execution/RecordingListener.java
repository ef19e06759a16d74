package io.quire.execution;

import io.quire.notebook.Notebook;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link RunListener} that keeps everything it is told, for assertions; safe to read from the test thread. */
final class RecordingListener implements RunListener {
    /** One save request. */
    record Save(Notebook notebook, boolean last) {
    }

    /** One piece of output. */
    record Out(String stream, String text) {
    }

    final List<Save> saves = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<Integer> started = new CopyOnWriteArrayList<>();
    final List<Integer> finished = new CopyOnWriteArrayList<>();
    final List<Out> outputs = new CopyOnWriteArrayList<>();

    @Override
    public void cellStarted(int index, int total) {
        started.add(index);
    }

    @Override
    public void cellFinished(int index, int total) {
        finished.add(index);
    }

    @Override
    public void output(String stream, String text) {
        outputs.add(new Out(stream, text));
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    @Override
    public void save(Notebook notebook, boolean last) {
        saves.add(new Save(notebook, last));
    }
}
