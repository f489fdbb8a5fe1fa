-- Readings sent by customers (U-MTR-3): meters the provider reads automatically accept none,
-- and a submission is stored once per idempotency key.
ALTER TABLE meters ADD COLUMN auto_read INTEGER NOT NULL DEFAULT 0;
ALTER TABLE readings ADD COLUMN submitted_at BIGINT;
CREATE TABLE reading_submissions (
    idempotency_key TEXT    PRIMARY KEY,
    person_id       BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL
);
