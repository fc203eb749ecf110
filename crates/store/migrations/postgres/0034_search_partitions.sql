-- Partial full-text indexes beside each register's own (`danvan search-partitions`), listed
-- with what they hold: a province's records (`unit_ids`, the province's units when built), or
-- the newest records (`newer_than`: the ids above it). A search that names the same condition
-- reads the smaller index (`Store::search`).
CREATE TABLE search_partitions (
    index_name TEXT PRIMARY KEY,
    register TEXT NOT NULL,
    province_id BIGINT,
    unit_ids TEXT,
    newer_than BIGINT,
    created_at TEXT NOT NULL,
    CHECK ((unit_ids IS NULL) <> (newer_than IS NULL))
);
