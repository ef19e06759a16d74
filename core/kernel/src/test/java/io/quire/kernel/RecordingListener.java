package io.quire.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Test listener that records every event and input request and answers input with a function. */
final class RecordingListener implements ExecutionListener {
    final List<IopubEvent> events = new CopyOnWriteArrayList<>();
    final List<InputRequest> inputs = new CopyOnWriteArrayList<>();
    private final Function<InputRequest, String> answers;

    RecordingListener() {
        this(request -> "");
    }

    RecordingListener(Function<InputRequest, String> answers) {
        this.answers = answers;
    }

    @Override
    public void onEvent(IopubEvent event) {
        events.add(event);
    }

    @Override
    public String onInputRequest(InputRequest request) {
        inputs.add(request);
        return answers.apply(request);
    }

    <T extends IopubEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    String stdout() {
        return of(IopubEvent.Stream.class).stream().filter(s -> s.name().equals("stdout"))
                .map(IopubEvent.Stream::text).reduce("", String::concat);
    }
}
