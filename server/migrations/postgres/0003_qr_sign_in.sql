-- Sign-in by QR code (U-AUTH-2). A browser that asks gets a cookie with two secrets: one binds
-- the request to that browser, the other is in the QR code. Only their SHA-256 are kept.
-- status: pending → confirmed → used, or declined; a request lives two minutes.

CREATE TABLE qr_sign_ins (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    browser_hash TEXT    NOT NULL UNIQUE,
    token_hash   TEXT    NOT NULL UNIQUE,
    status       TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'confirmed', 'declined', 'used')),
    person_id    BIGINT  REFERENCES people (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    answered_at  BIGINT,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX qr_sign_ins_expiry ON qr_sign_ins (expires_at);
