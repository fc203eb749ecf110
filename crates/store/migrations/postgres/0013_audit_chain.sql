-- A tamper-evident audit log (issue 6): each entry carries the hash of the one before it and its
-- own, SHA-256 over its fields; the head (count, last entry, hash) is kept apart, so that an
-- edited entry breaks the chain and deleted newest entries no longer reach the head.
-- Entries written before this migration are chained once at start-up, in id order.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    n BIGINT NOT NULL,
    last_id BIGINT NOT NULL,
    hash TEXT NOT NULL
);
