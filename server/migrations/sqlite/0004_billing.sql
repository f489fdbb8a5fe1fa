-- The provider's billing data (a copy fed by `kabinet import` and `kabinet demo`), the
-- customers' links to their personal accounts, and the cases (applications, notices) a
-- customer sends about an account.
-- Money is integer kopecks; quantities and readings are integer thousandths of a unit;
-- periods are months written yyyymm (202610 = October 2026); dates are ISO text (YYYY-MM-DD).

CREATE TABLE branches (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    code                  TEXT    NOT NULL UNIQUE,
    name                  TEXT    NOT NULL,
    address               TEXT    NOT NULL DEFAULT '',
    phone                 TEXT    NOT NULL DEFAULT '',
    -- who receives the payments (printed on receipts and in their QR code)
    payee_name            TEXT    NOT NULL,
    inn                   TEXT    NOT NULL,
    kpp                   TEXT    NOT NULL DEFAULT '',
    bank_name             TEXT    NOT NULL,
    bic                   TEXT    NOT NULL,
    settlement_account    TEXT    NOT NULL,
    correspondent_account TEXT    NOT NULL,
    -- the days of the month on which readings are accepted (inclusive)
    reading_from_day      BIGINT  NOT NULL DEFAULT 15,
    reading_to_day        BIGINT  NOT NULL DEFAULT 25
);

CREATE TABLE suppliers (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT    NOT NULL UNIQUE,
    name TEXT    NOT NULL,
    inn  TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE services (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    code    TEXT    NOT NULL UNIQUE,
    name    TEXT    NOT NULL,
    unit    TEXT    NOT NULL,
    metered INTEGER NOT NULL DEFAULT 0
);

-- zone: '' for a single-rate tariff, else 'day', 'night', 'peak' or 'semipeak'.
CREATE TABLE tariffs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id  INTEGER NOT NULL REFERENCES branches (id),
    service_id INTEGER NOT NULL REFERENCES services (id),
    zone       TEXT    NOT NULL DEFAULT '',
    valid_from BIGINT  NOT NULL,
    price      BIGINT  NOT NULL,
    act        TEXT    NOT NULL DEFAULT '',
    UNIQUE (branch_id, service_id, zone, valid_from)
);

CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id        INTEGER NOT NULL REFERENCES branches (id),
    number           TEXT    NOT NULL,
    address          TEXT    NOT NULL,
    owner_name       TEXT    NOT NULL,
    -- areas in hundredths of a square metre
    total_area       BIGINT  NOT NULL DEFAULT 0,
    living_area      BIGINT  NOT NULL DEFAULT 0,
    owners           BIGINT  NOT NULL DEFAULT 1,
    residents        BIGINT  NOT NULL DEFAULT 1,
    rooms            BIGINT  NOT NULL DEFAULT 1,
    stove            TEXT    NOT NULL DEFAULT 'gas' CHECK (stove IN ('gas', 'electric', 'none')),
    electric_heating INTEGER NOT NULL DEFAULT 0,
    e_receipt_allowed INTEGER NOT NULL DEFAULT 1,
    UNIQUE (branch_id, number)
);

CREATE TABLE meters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    service_id      INTEGER NOT NULL REFERENCES services (id),
    serial          TEXT    NOT NULL,
    zones           BIGINT  NOT NULL DEFAULT 1 CHECK (zones BETWEEN 1 AND 3),
    digits          BIGINT  NOT NULL DEFAULT 5,
    fraction_digits BIGINT  NOT NULL DEFAULT 0,
    installed_on    TEXT    NOT NULL,
    verified_until  TEXT    NOT NULL,
    place           TEXT    NOT NULL DEFAULT '',
    removed_on      TEXT,
    UNIQUE (account_id, service_id, serial)
);

-- source: 'billing' (imported), 'portal' (sent by the customer), 'controller'.
CREATE TABLE readings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meter_id    INTEGER NOT NULL REFERENCES meters (id),
    zone        TEXT    NOT NULL DEFAULT '',
    period      BIGINT  NOT NULL,
    value       BIGINT  NOT NULL,
    source      TEXT    NOT NULL DEFAULT 'billing',
    accepted    INTEGER NOT NULL DEFAULT 1,
    taken_on    TEXT    NOT NULL,
    UNIQUE (meter_id, zone, period, source)
);

CREATE TABLE charges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    period      BIGINT  NOT NULL,
    service_id  INTEGER NOT NULL REFERENCES services (id),
    supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
    zone        TEXT    NOT NULL DEFAULT '',
    quantity    BIGINT  NOT NULL DEFAULT 0,
    price       BIGINT  NOT NULL DEFAULT 0,
    amount      BIGINT  NOT NULL,
    UNIQUE (account_id, period, service_id, supplier_id, zone)
);

-- reference: the payment's identifier in the bank's or the provider's system.
CREATE TABLE payments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
    paid_on     TEXT    NOT NULL,
    period      BIGINT  NOT NULL,
    amount      BIGINT  NOT NULL,
    channel     TEXT    NOT NULL DEFAULT 'bank',
    reference   TEXT    NOT NULL,
    UNIQUE (reference, supplier_id)
);
CREATE INDEX payments_by_account ON payments (account_id, period);

-- A customer's personal accounts (U-ACC-1): a name of their choice, the e-receipt consent.
CREATE TABLE account_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    name       TEXT    NOT NULL DEFAULT '',
    e_receipt  INTEGER NOT NULL DEFAULT 0,
    e_receipt_email TEXT,
    created_at BIGINT  NOT NULL,
    UNIQUE (person_id, account_id)
);
CREATE INDEX account_links_by_account ON account_links (account_id);

-- What a customer sends about an account: kind ('details_change', 'meter_fault', …), its
-- fields as JSON, a status workflow of its kind; the back-office answers them.
CREATE TABLE cases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    number     TEXT    NOT NULL UNIQUE,
    person_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    account_id INTEGER REFERENCES accounts (id),
    kind       TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'new',
    subject    TEXT    NOT NULL,
    fields     TEXT    NOT NULL DEFAULT '{}',
    idempotency_key TEXT UNIQUE,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX cases_by_person ON cases (person_id, created_at);
