-- Kernel control requests (decision 0025): an interrupt, restart or kernel shutdown asked for on a server node that
-- does not hold the file's kernel lease (decision 0020). The node that holds the lease polls this table for its
-- files, deletes a row and applies it (the delete decides who applies it); a row older than the lease TTL is dropped
-- unapplied, so a request cannot hit a later run after a takeover. No foreign key (as for kernel_leases); deleting a
-- file deletes its rows.
CREATE TABLE kernel_controls (
    id            UUID          NOT NULL PRIMARY KEY,
    file_id       UUID          NOT NULL,
    action        VARCHAR(32)   NOT NULL,
    requested_by  VARCHAR(255)  NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX kernel_controls_file ON kernel_controls (file_id);
