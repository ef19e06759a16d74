-- Versions are points in a file's delta log (decision 0029): a version written from the log (when the log goes quiet,
-- when a file's last live subscriber leaves, or when a whole-notebook save is merged into the log) records the seq of
-- the log whose document it holds. NULL for versions not written from a log (saves of files nobody edits live,
-- restores, copies). The largest log_seq of a file is how far its versions have caught up with its log: a write from
-- the log is added only if it is newer, in the same transaction that claims the file's next version number, so two
-- server nodes never write one state twice nor an older state after a newer one.
ALTER TABLE versions ADD COLUMN log_seq BIGINT;
CREATE INDEX versions_log_seq_idx ON versions (file_id, log_seq);
