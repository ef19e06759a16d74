package io.quire.collab;

/** Why the sequencer refused a delta; each has a stable code for clients. */
public enum RejectReason {
    /** The delta names another file than the log it was submitted to. */
    WRONG_FILE("wrong_file"),
    /** The delta's base sequence number is ahead of the log's head: the client claims to have seen the future. */
    BASE_AHEAD("base_ahead"),
    /** The delta names a cell that does not exist in the document it was based on. */
    CELL_NOT_FOUND("cell_not_found"),
    /** The delta names a cell that a concurrent delta (sequenced after the delta's base) deleted. */
    CELL_DELETED("cell_deleted"),
    /** A cell insert carries an id that a cell of the document already has. */
    DUPLICATE_CELL_ID("duplicate_cell_id"),
    /** An insert or move index lies outside the cell list. */
    INDEX_OUT_OF_RANGE("index_out_of_range"),
    /** An output delta names a cell that is not a code cell. */
    NOT_A_CODE_CELL("not_a_code_cell"),
    /** A text edit does not fit the cell's source (its base length differs from the source's length). */
    TEXT_MISMATCH("text_mismatch"),
    /** A metadata path runs through a value that is not a JSON object. */
    BAD_METADATA_PATH("bad_metadata_path");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** @return the stable code, such as {@code cell_deleted} */
    public String code() {
        return code;
    }
}
