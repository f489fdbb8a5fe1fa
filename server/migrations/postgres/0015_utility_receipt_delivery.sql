-- How an account's receipts are to come once the customer deleted the cabinet (U-PRF-9),
-- kept for the provider's export (kabinet export receipt-delivery): 'electronic' to
-- `email`, or 'paper' to `postal_address` (the account's own or another one typed).
-- The newest row of an account is in force; older ones stay as history.
CREATE TABLE receipt_instructions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     BIGINT  NOT NULL REFERENCES accounts (id),
    delivery       TEXT    NOT NULL,
    email          TEXT    NOT NULL DEFAULT '',
    postal_address TEXT    NOT NULL DEFAULT '',
    chosen_at      BIGINT  NOT NULL
);
CREATE INDEX receipt_instructions_by_account ON receipt_instructions (account_id, id);
