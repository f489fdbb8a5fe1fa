-- Foundation: the development outbox, people and their sessions.
-- Instants are Unix seconds; flags are 0/1 (the types sqlx::Any decodes on both backends).

CREATE TABLE outbox (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient   TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX outbox_recipient ON outbox (recipient, id);

CREATE TABLE people (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    last_name       TEXT    NOT NULL,
    first_name      TEXT    NOT NULL,
    middle_name     TEXT,
    phone           TEXT    NOT NULL UNIQUE,
    email           TEXT    UNIQUE,
    email_confirmed INTEGER NOT NULL DEFAULT 0,
    password_hash   TEXT    NOT NULL,
    show_hints      INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    person_id    BIGINT  NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_person ON sessions (person_id);
