-- How receipts and notices reach a customer (U-PRF-4, U-PRF-5), the ledger that sends each
-- reminder and e-receipt once, and the files of the development outbox.

-- A customer's notices per kind and channel; no rows: the defaults (everything but
-- advertising). The advertising consent is kept on the person, its history in consents.
CREATE TABLE notice_prefs (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL,
    channel   TEXT    NOT NULL,
    enabled   INTEGER NOT NULL,
    PRIMARY KEY (person_id, kind, channel)
);
ALTER TABLE people ADD COLUMN advertising_consent INTEGER NOT NULL DEFAULT 0;

-- E-receipts go for the months after this one (yyyymm): the newest month with charges when
-- the customer subscribed. Existing subscriptions start from the next charges.
ALTER TABLE account_links ADD COLUMN e_receipt_after BIGINT NOT NULL DEFAULT 0;
UPDATE account_links SET e_receipt_after = COALESCE(
    (SELECT MAX(c.period) FROM charges c WHERE c.account_id = account_links.account_id), 0);

-- One row per reminder or e-receipt: claimed by one server instance (claimed_until), then
-- sent. The unique key makes each one go once however many instances run.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    account_id    BIGINT  NOT NULL,
    period        BIGINT  NOT NULL,
    sent          INTEGER NOT NULL DEFAULT 0,
    claimed_until BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    UNIQUE (kind, person_id, account_id, period)
);

CREATE TABLE outbox_attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id    INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    content      BLOB    NOT NULL
);
CREATE INDEX outbox_attachments_by_message ON outbox_attachments (outbox_id);
