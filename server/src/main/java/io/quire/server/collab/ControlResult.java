package io.quire.server.collab;

/** What an interrupt, restart or shutdown of a file's kernel did. */
public enum ControlResult {
    /** Done on this node's kernel. */
    APPLIED,
    /** The file has no running kernel on any node that this node knows of; nothing to do. */
    NO_KERNEL,
    /** Another node holds the file's kernel lease; the request must go to that node. */
    ELSEWHERE
}
