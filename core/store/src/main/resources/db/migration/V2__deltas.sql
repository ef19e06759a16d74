-- The collaboration log (decision 0016): one ordered log of deltas per notebook file, and snapshots of the document
-- every N deltas, so that a document is loaded as the latest snapshot plus the deltas after it.
-- seq counts from 1 per file without gaps; (file_id, seq) as the primary key is what makes two server nodes that
-- sequence the same file at once collide (one insert fails) instead of forking the log. delta_id is chosen by the
-- client and unique per file, so a retried delta is recognised. body is the delta's JSON (io.quire.collab.DeltaCodec).
-- No foreign key to files: deleting a file deletes its log (VersionRows.deleteFile).
CREATE TABLE deltas (
    file_id     UUID          NOT NULL,
    seq         BIGINT        NOT NULL,
    delta_id    UUID          NOT NULL,
    author      VARCHAR(255)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    body        ${text_type}  NOT NULL,
    PRIMARY KEY (file_id, seq),
    CONSTRAINT deltas_delta_id_key UNIQUE (file_id, delta_id)
);
CREATE INDEX deltas_time_idx ON deltas (file_id, created_at);

-- The whole notebook (nbformat JSON) as it was after delta seq; seq 0 is the document the log started from.
CREATE TABLE snapshots (
    file_id     UUID          NOT NULL,
    seq         BIGINT        NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    body        ${text_type}  NOT NULL,
    PRIMARY KEY (file_id, seq)
);
