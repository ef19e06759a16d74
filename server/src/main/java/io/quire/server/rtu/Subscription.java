package io.quire.server.rtu;

import io.quire.collab.rtu.RtuEvent;
import io.quire.store.ResourceRole;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection's subscription to one file: what the file is called on that connection, who subscribed, their role
 * and their last presence. It stops receiving once {@link #deactivate()}d (unsubscribed, connection gone, or told to
 * resync).
 */
final class Subscription {
    /** Where a subscription's events go: the connection's bounded queue. */
    interface Sink {
        /**
         * Queues an event.
         *
         * @param text the encoded event
         * @return false when it was refused (the connection is gone or fell too far behind)
         */
        boolean offer(String text);
    }

    private final Sink sink;
    private final String fileId;
    private final RtuHub.Topic topic;
    private final String user;
    private final String clientId;
    private final ResourceRole role;
    private volatile boolean active = true;
    private volatile Optional<RtuEvent.Presence> presence = Optional.empty();

    Subscription(Sink sink, String fileId, RtuHub.Topic topic, String user, String clientId, ResourceRole role) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.fileId = Objects.requireNonNull(fileId, "fileId");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.user = Objects.requireNonNull(user, "user");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.role = Objects.requireNonNull(role, "role");
    }

    Sink sink() {
        return sink;
    }

    String fileId() {
        return fileId;
    }

    RtuHub.Topic topic() {
        return topic;
    }

    String user() {
        return user;
    }

    String clientId() {
        return clientId;
    }

    ResourceRole role() {
        return role;
    }

    boolean active() {
        return active;
    }

    /** @return whether this call ended it (false: it had already ended) */
    boolean deactivate() {
        boolean was = active;
        active = false;
        return was;
    }

    Optional<RtuEvent.Presence> presence() {
        return presence;
    }

    void presence(RtuEvent.Presence value) {
        presence = Optional.of(value);
    }
}
