-- The information sections (U-INF-1): the provider's shop, promotions, polls and their
-- answers, offices with appointment slots and bookings. Dates are ISO text (YYYY-MM-DD);
-- times of day are minutes after midnight, the provider's time.

CREATE TABLE shop_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    price       BIGINT  NOT NULL CHECK (price > 0),
    unit        TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE promotions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE polls (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    ends_on     TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL
);
CREATE TABLE poll_questions (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    poll_id  INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text     TEXT    NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('single', 'multiple', 'text'))
);
CREATE TABLE poll_options (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL REFERENCES poll_questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT    NOT NULL
);
-- One response per customer and poll: a second one is refused.
CREATE TABLE poll_responses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    poll_id    INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    person_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL,
    UNIQUE (poll_id, person_id)
);
CREATE TABLE poll_answers (
    response_id INTEGER NOT NULL REFERENCES poll_responses (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES poll_questions (id) ON DELETE CASCADE,
    option_id   INTEGER REFERENCES poll_options (id) ON DELETE CASCADE,
    text        TEXT
);
CREATE INDEX poll_answers_by_question ON poll_answers (question_id);

CREATE TABLE offices (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    name     TEXT    NOT NULL,
    address  TEXT    NOT NULL,
    hours    TEXT    NOT NULL DEFAULT '',
    phone    TEXT    NOT NULL DEFAULT '',
    active   INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE appointment_slots (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    office_id INTEGER NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    day       TEXT    NOT NULL,
    minute    INTEGER NOT NULL,
    UNIQUE (office_id, day, minute)
);
CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    slot_id      INTEGER NOT NULL REFERENCES appointment_slots (id) ON DELETE CASCADE,
    person_id    INTEGER REFERENCES people (id) ON DELETE CASCADE,
    topic        TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    cancelled_at BIGINT
);
-- A slot holds one booking at a time.
CREATE UNIQUE INDEX bookings_one_per_slot ON bookings (slot_id) WHERE cancelled_at IS NULL;
CREATE INDEX bookings_by_person ON bookings (person_id);

-- An order from the shop (a case of kind 'order') and its price. It is paid through a
-- payment order of its own that has no ledger lines: the price is not a charge of the account.
CREATE TABLE shop_orders (
    case_id    INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    item_id    INTEGER REFERENCES shop_items (id) ON DELETE SET NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    price      BIGINT  NOT NULL,
    paid_at    BIGINT,
    created_at BIGINT  NOT NULL
);
ALTER TABLE payment_orders ADD COLUMN case_id BIGINT;
