-- Files the platform keeps for the modules (M-8, P-5), each of a kind with its retention
-- (shared::retention::FileKind): `expires_at` is fixed when the file is stored; the
-- background job removes what expired, each row once however many instances run it.
-- `owner` is who may fetch it, e.g. `org:12` or `person:5`.
CREATE TABLE kept_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    owner        TEXT    NOT NULL,
    storage_key  TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX kept_files_by_expiry ON kept_files (expires_at);
CREATE INDEX kept_files_by_owner ON kept_files (owner);
