-- Ephemeral real-time events relayed between server nodes (decision 0028): presence (who is here, selected cell,
-- cursor), kernel status, per-cell execution state, output chunks and kernel control outcomes that one node produced
-- for the subscribers of a file on the other nodes. Nothing here is needed to rebuild a document (the deltas are);
-- rows live for a short window and any node deletes the old ones. Each node writes its rows from one thread, one
-- transaction at a time, with seq strictly increasing per node (microseconds of its clock, or the last seq + 1), so a
-- reader that remembers the last seq it saw per node misses nothing and reads nothing twice; no LISTEN/NOTIFY
-- (CockroachDB has none), no sequences. body is the event as RtuCodec writes it, with file_id "-".
-- No foreign key to files (as for deltas); deleting a file deletes its rows.
CREATE TABLE rtu_signals (
    node_id     VARCHAR(255)  NOT NULL,
    seq         BIGINT        NOT NULL,
    file_id     UUID          NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    body        ${text_type}  NOT NULL,
    PRIMARY KEY (node_id, seq)
);
CREATE INDEX rtu_signals_file ON rtu_signals (file_id, seq);
CREATE INDEX rtu_signals_time ON rtu_signals (created_at);
