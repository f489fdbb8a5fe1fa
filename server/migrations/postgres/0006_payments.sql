-- Payments from the cabinet (U-PAY-6..8, U-ALL-1, U-PRF-6): an order per payment, its lines
-- per account and supplier, the acquirer's notifications seen, saved cards and autopay.
-- An order's status goes new → pending → succeeded | failed and a final status never changes;
-- a succeeded order's lines are entered into `payments`.
CREATE TABLE payment_orders (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number          TEXT    NOT NULL UNIQUE,
    person_id       BIGINT REFERENCES people (id) ON DELETE SET NULL,
    idempotency_key TEXT    NOT NULL,
    method          TEXT    NOT NULL,
    amount          BIGINT  NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'new',
    acquirer        TEXT    NOT NULL,
    reference       TEXT,
    link            TEXT,
    expires_at      BIGINT,
    receipt_email   TEXT,
    checked_at      BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    final_at        BIGINT,
    UNIQUE (person_id, idempotency_key)
);
CREATE INDEX payment_orders_pending ON payment_orders (status, created_at);

CREATE TABLE payment_order_lines (
    order_id    BIGINT NOT NULL REFERENCES payment_orders (id) ON DELETE CASCADE,
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
    amount      BIGINT  NOT NULL,
    PRIMARY KEY (order_id, account_id, supplier_id)
);

-- Every accepted notification once: a repeated one changes nothing.
CREATE TABLE payment_callbacks (
    acquirer    TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    received_at BIGINT  NOT NULL,
    PRIMARY KEY (acquirer, event_id)
);

-- A card saved at the acquirer: only its token and «•••• 1234».
CREATE TABLE saved_cards (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    acquirer   TEXT    NOT NULL,
    token      TEXT    NOT NULL,
    caption    TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    UNIQUE (acquirer, token)
);

-- «Подключить автоплатеж» waiting for the card to be saved at the acquirer.
CREATE TABLE card_bindings (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number          TEXT    NOT NULL UNIQUE,
    person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    idempotency_key TEXT    NOT NULL,
    day             INTEGER NOT NULL,
    max_amount      BIGINT  NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'new',
    acquirer        TEXT    NOT NULL,
    reference       TEXT,
    link            TEXT,
    created_at      BIGINT  NOT NULL,
    UNIQUE (person_id, idempotency_key)
);

CREATE TABLE autopays (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    card_id    BIGINT NOT NULL REFERENCES saved_cards (id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,
    max_amount BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL,
    UNIQUE (person_id, account_id)
);

-- One autopay run per account and month, whichever server instance gets there first.
CREATE TABLE autopay_runs (
    person_id  BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    period     BIGINT  NOT NULL,
    order_id   BIGINT,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (person_id, account_id, period)
);

-- The sandbox acquirer's own books (development and tests only): what a real acquirer keeps.
CREATE TABLE sandbox_payments (
    reference        TEXT    PRIMARY KEY,
    kind             TEXT    NOT NULL,
    order_number     TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    amount           BIGINT  NOT NULL,
    description      TEXT    NOT NULL,
    customer         TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending',
    card_number      TEXT,
    notification_url TEXT    NOT NULL,
    return_url       TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL
);

CREATE TABLE sandbox_cards (
    token       TEXT    PRIMARY KEY,
    customer    TEXT    NOT NULL,
    card_number TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE sandbox_callbacks (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url           TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    due_at        BIGINT  NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_until BIGINT,
    delivered_at  BIGINT
);
CREATE INDEX sandbox_callbacks_due ON sandbox_callbacks (delivered_at, due_at);
