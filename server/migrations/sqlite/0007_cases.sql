-- The case engine (P-2, P-3, P-5, P-6): every case's messages, files and history; staff with
-- roles and their sessions; the provider's appeal topics, application topics it accepts and
-- FAQ; the customer's notices; the audit log of staff actions.
-- Instants are Unix seconds; a case's status follows its kind's workflow (shared::cases).
ALTER TABLE cases ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN assignee_id BIGINT;
ALTER TABLE cases ADD COLUMN rating INTEGER;
ALTER TABLE cases ADD COLUMN rating_comment TEXT;
CREATE INDEX cases_queue ON cases (status, kind, created_at);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    login         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    BIGINT  NOT NULL
);

-- Staff sessions, apart from customers': the cookie holds the secret, the table its SHA-256.
CREATE TABLE staff_sessions (
    token_hash  TEXT    PRIMARY KEY,
    staff_id    BIGINT  NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

CREATE TABLE case_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT  NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    staff_id    BIGINT  REFERENCES staff (id),
    body        TEXT    NOT NULL,
    idempotency_key TEXT UNIQUE,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX case_messages_by_case ON case_messages (case_id, id);

-- Files are kept by the file store under `storage_key`; the row says whose they are.
CREATE TABLE case_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      BIGINT  NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    message_id   BIGINT  REFERENCES case_messages (id) ON DELETE CASCADE,
    staff_id     BIGINT  REFERENCES staff (id),
    storage_key  TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX case_files_by_case ON case_files (case_id);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT  NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    staff_id    BIGINT  REFERENCES staff (id),
    comment     TEXT    NOT NULL DEFAULT '',
    idempotency_key TEXT UNIQUE,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TABLE appeal_topics (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    title     TEXT    NOT NULL UNIQUE,
    active    INTEGER NOT NULL DEFAULT 1,
    position  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO appeal_topics (title, position) VALUES
    ('Начисления и перерасчеты', 1),
    ('Показания приборов учета', 2),
    ('Оплата', 3),
    ('Качество услуг', 4),
    ('Личный кабинет', 5),
    ('Прочее', 6);

-- Application topics (shared::cases::TOPICS) the provider does not accept at the moment.
CREATE TABLE application_topics_off (
    code TEXT PRIMARY KEY
);

CREATE TABLE faq (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    category  TEXT    NOT NULL,
    question  TEXT    NOT NULL,
    answer    TEXT    NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO faq (category, question, answer, position) VALUES
    ('Показания', 'Когда передавать показания приборов учета?', 'Показания принимаются в период, указанный на главной странице для каждого лицевого счета. Вне этого периода раздел «Передать показания» подскажет даты.', 1),
    ('Показания', 'Почему показания не приняты?', 'Показания не принимаются, если они меньше ранее переданных. Проверьте, что вы вводите цифры до запятой с нужного прибора учета.', 2),
    ('Оплата', 'Как оплатить без комиссии?', 'Оплата через Систему быстрых платежей (СБП) и банковской картой в личном кабинете проходит без комиссии.', 3),
    ('Оплата', 'Когда платеж появится в личном кабинете?', 'Платеж виден в разделе «Оплата» сразу после подтверждения банком; в балансе — в тот же день.', 4),
    ('Квитанции', 'Как получать квитанцию по электронной почте?', 'Подтвердите адрес электронной почты в профиле и подключите электронную квитанцию на главной странице.', 5),
    ('Личный кабинет', 'Как добавить еще один лицевой счет?', 'На главной странице нажмите «Добавить лицевой счет» и укажите номер счета и сумму из последней квитанции.', 6);

CREATE TABLE notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   BIGINT  NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    link        TEXT,
    read_at     BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX notices_by_person ON notices (person_id, id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    BIGINT  REFERENCES staff (id),
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    detail      TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
