/**
 * Shared server-side execution of collaborative notebooks (decision 0020): one kernel per file, shared by everyone
 * editing it; execute deltas of the file's {@link io.quire.collab.DeltaLog} are run in log order and their outputs are
 * written back into the log as deltas, whether or not anyone is connected. A kernel lease
 * ({@link io.quire.collab.KernelLeases}) makes one server node at a time run a file's kernel; another node takes over
 * when it dies. Entry point: {@link io.quire.server.collab.SharedExecutions}.
 */
package io.quire.server.collab;
