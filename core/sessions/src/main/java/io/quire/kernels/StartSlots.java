package io.quire.kernels;

import java.util.ArrayDeque;
import java.util.Deque;

/*
 * The admission queue for kernel launches: at most `capacity` launches run at once; further requests wait in FIFO
 * order, user starts ahead of pool refills (a person is waiting for the one, the other is speculative). A granted
 * slot passes straight to the next waiter on release, so capacity is never briefly over- or under-used. Callbacks
 * run outside the lock, on the thread that requests or releases; they must only hand work to an executor.
 */
final class StartSlots {
    /** One request for a slot; granted once, or cancelled while it waits. */
    static final class Ticket {
        private final Runnable onGranted;
        private boolean granted;

        private Ticket(Runnable onGranted) {
            this.onGranted = onGranted;
        }
    }

    private final int capacity;
    private final Deque<Ticket> users = new ArrayDeque<>();
    private final Deque<Ticket> refills = new ArrayDeque<>();
    private int inUse;

    StartSlots(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Asks for a slot. {@code onGranted} runs when it is granted: at once on this thread when one is free, else on
     * the thread that releases one. Whoever is granted a slot must {@link #release()} it exactly once.
     */
    Ticket request(boolean refill, Runnable onGranted) {
        Ticket ticket = new Ticket(onGranted);
        synchronized (this) {
            if (inUse >= capacity) {
                (refill ? refills : users).addLast(ticket);
                return ticket;
            }
            inUse++;
            ticket.granted = true;
        }
        onGranted.run();
        return ticket;
    }

    /** @return true when the ticket was still waiting and is now withdrawn; false when it was granted already */
    synchronized boolean cancel(Ticket ticket) {
        return !ticket.granted && (users.remove(ticket) || refills.remove(ticket));
    }

    /** Gives a slot back: to the next waiter, if any. */
    void release() {
        Ticket next;
        synchronized (this) {
            next = users.pollFirst();
            if (next == null) {
                next = refills.pollFirst();
            }
            if (next == null) {
                inUse--;
                return;
            }
            next.granted = true;
        }
        next.onGranted.run();
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return users.size() + refills.size();
    }
}
