-- What a settlement decided (the KQGQ / GQKN / GQTC forms): the outcome (right, wrong, partly
-- right, withdrawn, suspended), money (đồng) and land (m²) to be recovered, people whose rights
-- were restored.
ALTER TABLE petitions ADD COLUMN result_kind TEXT;
ALTER TABLE petitions ADD COLUMN recovered_money BIGINT NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN recovered_land BIGINT NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN restored_people BIGINT NOT NULL DEFAULT 0;

-- A commune abolished on 1/7/2025 and split between several new ones: its history goes to the
-- first successor the conversion table lists, and the reports say how many records went that way.
ALTER TABLE units ADD COLUMN successor_split BIGINT NOT NULL DEFAULT 0;

-- The execution of a settlement decision or conclusion (02/KQGQ, 05/KQTH): done, partly done,
-- or not done, and when.
ALTER TABLE petitions ADD COLUMN execution TEXT;
ALTER TABLE petitions ADD COLUMN execution_on TEXT;
