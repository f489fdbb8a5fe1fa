-- U-ACC-2: [Удалить] detaches an account from the cabinet but keeps its e-receipt
-- subscription, so the link is marked instead of deleted. A link with `unlinked_at` set is
-- not shown, not reminded of and has no autopay; linking the account again clears the mark.
ALTER TABLE account_links ADD COLUMN unlinked_at BIGINT;
