-- Quire store schema, shared by H2, PostgreSQL and CockroachDB.
-- Keys are random UUIDs (no sequences: no insert hotspot on CockroachDB); counters are explicit BIGINT (INT8);
-- times are TIMESTAMP WITH TIME ZONE. ${blob_type} and ${text_type} are the dialect's types for large binary and
-- text values (BLOB/CLOB on H2, BYTEA/TEXT on PostgreSQL and CockroachDB).

CREATE TABLE organisations (
    id          UUID         NOT NULL PRIMARY KEY,
    slug        VARCHAR(64)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organisations_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id             UUID         NOT NULL PRIMARY KEY,
    email          VARCHAR(320) NOT NULL,
    display_name   VARCHAR(200) NOT NULL,
    password_hash  VARCHAR(255),
    failed_logins  INT          NOT NULL,
    locked_until   TIMESTAMP WITH TIME ZONE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE memberships (
    org_id      UUID        NOT NULL REFERENCES organisations (id),
    user_id     UUID        NOT NULL REFERENCES users (id),
    role        VARCHAR(16) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, user_id),
    CONSTRAINT memberships_role_check CHECK (role IN ('owner', 'admin', 'member'))
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE spaces (
    id          UUID         NOT NULL PRIMARY KEY,
    org_id      UUID         NOT NULL REFERENCES organisations (id),
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT spaces_name_key UNIQUE (org_id, name)
);

CREATE TABLE projects (
    id          UUID         NOT NULL PRIMARY KEY,
    org_id      UUID         NOT NULL REFERENCES organisations (id),
    space_id    UUID         NOT NULL REFERENCES spaces (id),
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT projects_name_key UNIQUE (space_id, name)
);
CREATE INDEX projects_org_idx ON projects (org_id);

-- The hot row of a file: small, updated on every save; content lives in versions, version_cells and blobs.
-- Directories are explicit rows (type 'directory') without versions.
CREATE TABLE files (
    id               UUID          NOT NULL PRIMARY KEY,
    org_id           UUID          NOT NULL REFERENCES organisations (id),
    project_id       UUID          NOT NULL REFERENCES projects (id),
    path             VARCHAR(1024) NOT NULL,
    type             VARCHAR(16)   NOT NULL,
    created_by       UUID          NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by       UUID          NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    head_version_id  UUID,
    head_seq         BIGINT        NOT NULL,
    size             BIGINT        NOT NULL,
    CONSTRAINT files_path_key UNIQUE (project_id, path),
    CONSTRAINT files_type_check CHECK (type IN ('notebook', 'file', 'directory'))
);
CREATE INDEX files_org_idx ON files (org_id, project_id);

CREATE TABLE grants (
    id             UUID        NOT NULL PRIMARY KEY,
    org_id         UUID        NOT NULL REFERENCES organisations (id),
    resource_kind  VARCHAR(16) NOT NULL,
    resource_id    UUID        NOT NULL,
    user_id        UUID        NOT NULL REFERENCES users (id),
    role           VARCHAR(16) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT grants_resource_user_key UNIQUE (resource_kind, resource_id, user_id),
    CONSTRAINT grants_kind_check CHECK (resource_kind IN ('space', 'project', 'file')),
    CONSTRAINT grants_role_check CHECK (role IN ('owner', 'editor', 'commenter', 'executor', 'viewer'))
);
CREATE INDEX grants_user_idx ON grants (org_id, user_id);

CREATE TABLE api_tokens (
    id            UUID          NOT NULL PRIMARY KEY,
    org_id        UUID          NOT NULL REFERENCES organisations (id),
    user_id       UUID          NOT NULL REFERENCES users (id),
    name          VARCHAR(200)  NOT NULL,
    prefix        VARCHAR(32)   NOT NULL,
    secret_hash   CHAR(64)      NOT NULL,
    scopes        VARCHAR(1000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_tokens_prefix_key UNIQUE (prefix)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (org_id, user_id);

CREATE TABLE audit_log (
    id             UUID         NOT NULL PRIMARY KEY,
    org_id         UUID         NOT NULL REFERENCES organisations (id),
    actor_id       UUID,
    action         VARCHAR(100) NOT NULL,
    resource_kind  VARCHAR(32),
    resource_id    VARCHAR(200),
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    details        ${text_type} NOT NULL
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, at);

-- Content-addressed bytes (cell sources and metadata, outputs, notebook headers, file contents), per organisation.
CREATE TABLE blobs (
    org_id      UUID        NOT NULL REFERENCES organisations (id),
    hash        CHAR(64)    NOT NULL,
    size        BIGINT      NOT NULL,
    data        ${blob_type} NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, hash)
);

-- One row per save: the notebook-level part (format version, header blob) or a plain file's content blob.
CREATE TABLE versions (
    id              UUID         NOT NULL PRIMARY KEY,
    org_id          UUID         NOT NULL REFERENCES organisations (id),
    file_id         UUID         NOT NULL REFERENCES files (id),
    seq             BIGINT       NOT NULL,
    author_id       UUID         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    name            VARCHAR(200),
    kind            VARCHAR(16)  NOT NULL,
    nbformat        INT,
    nbformat_minor  INT,
    head_hash       CHAR(64),
    content_hash    CHAR(64),
    size            BIGINT       NOT NULL,
    sha256          CHAR(64)     NOT NULL,
    restored_from   UUID,
    CONSTRAINT versions_file_seq_key UNIQUE (file_id, seq),
    CONSTRAINT versions_kind_check CHECK (kind IN ('notebook', 'file'))
);
CREATE INDEX versions_time_idx ON versions (file_id, created_at);

-- The cells of a notebook version, in order, each a pair of blobs: the cell without outputs, and its outputs.
CREATE TABLE version_cells (
    version_id    UUID         NOT NULL REFERENCES versions (id),
    position      INT          NOT NULL,
    cell_key      VARCHAR(255) NOT NULL,
    cell_hash     CHAR(64)     NOT NULL,
    outputs_hash  CHAR(64),
    PRIMARY KEY (version_id, position)
);
