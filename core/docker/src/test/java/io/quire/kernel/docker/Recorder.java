package io.quire.kernel.docker;

import io.quire.kernel.ExecutionListener;
import io.quire.kernel.IopubEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the IOPub events of one execution. */
final class Recorder implements ExecutionListener {
    private final List<IopubEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(IopubEvent event) {
        events.add(event);
    }

    <T extends IopubEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    String stdout() {
        return of(IopubEvent.Stream.class).stream().filter(s -> s.name().equals("stdout"))
                .map(IopubEvent.Stream::text).reduce("", String::concat);
    }
}
