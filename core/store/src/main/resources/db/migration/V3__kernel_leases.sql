-- Kernel leases (decision 0020): which server node runs the shared kernel of a notebook file and persists its
-- outputs into the file's delta log. One row per file that ever had a shared kernel. A node holds the lease while
-- expires_at lies in the future by its clock; another node may take an expired lease over, which adds 1 to epoch.
-- Output deltas are appended only if the row still names the appending node at the epoch it acquired (fencing):
-- a node that lost its lease cannot persist. done_seq, running_seq and running_cell record the holder's progress
-- through the log's execute requests, so a node taking over knows what is still to run and which cell was running
-- when the previous holder died. No foreign key to files (as for deltas); deleting a file deletes its row.
CREATE TABLE kernel_leases (
    file_id       UUID          NOT NULL PRIMARY KEY,
    node_id       VARCHAR(255)  NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    epoch         BIGINT        NOT NULL,
    done_seq      BIGINT        NOT NULL,
    running_seq   BIGINT,
    running_cell  VARCHAR(64)
);
