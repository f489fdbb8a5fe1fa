-- The production calendar's exceptions (M-7): days set apart from the built-in rules of
-- shared::calendar (a year's Government transfers, a regional holiday). `day` is YYYY-MM-DD;
-- `working` 1 for a working day, 0 for a day off.
CREATE TABLE calendar_days (
    day     TEXT    PRIMARY KEY,
    working INTEGER NOT NULL,
    note    TEXT    NOT NULL DEFAULT ''
);
