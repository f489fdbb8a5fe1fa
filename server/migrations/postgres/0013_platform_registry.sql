-- The company registry (M-5, S-8): organisations, their branches and entrepreneurs, imported
-- from the Federal Tax Service's ЕГРЮЛ/ЕГРИП extracts or CSV and corrected by staff. An
-- organisation and its branches share the ИНН and differ by КПП; an entrepreneur's КПП is ''.
-- Flags are 1/0; `registered` is YYYY-MM-DD; `name_key` is shared::registry::name_key of the
-- short name, which a search by the beginning of the name compares.
CREATE TABLE companies (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    inn             TEXT    NOT NULL,
    kpp             TEXT    NOT NULL DEFAULT '',
    ogrn            TEXT    NOT NULL,
    full_name       TEXT    NOT NULL,
    short_name      TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    registered      TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    legal_address   TEXT    NOT NULL DEFAULT '',
    address_in_flat INTEGER NOT NULL DEFAULT 0,
    unreliable      INTEGER NOT NULL DEFAULT 0,
    head_name       TEXT    NOT NULL DEFAULT '',
    head_position   TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'active',
    tax_debt        INTEGER NOT NULL DEFAULT 0,
    -- Where the row came from last: egrul, csv, demo or staff.
    source          TEXT    NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (inn, kpp)
);
CREATE INDEX companies_by_ogrn ON companies (ogrn);
CREATE INDEX companies_by_name ON companies (name_key);
