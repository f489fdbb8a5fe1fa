-- One-time codes (U-REG-4), rate limits, registrations waiting for their code, and the
-- record of accepted personal-data consents.

CREATE TABLE one_time_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose     TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    code_hash   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    used_at     BIGINT,
    ip          TEXT
);
CREATE INDEX one_time_codes_lookup ON one_time_codes (purpose, address, id);

-- Fixed-window counters: one row per key and window, incremented atomically.
CREATE TABLE rate_limits (
    key          TEXT    NOT NULL,
    window_start BIGINT  NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);

CREATE TABLE registration_drafts (
    token_hash    TEXT    PRIMARY KEY,
    last_name     TEXT    NOT NULL,
    first_name    TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);

CREATE TABLE consents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    document     TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    accepted_at  BIGINT  NOT NULL,
    ip           TEXT
);
