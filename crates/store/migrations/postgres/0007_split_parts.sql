-- The parts of a commune split on 1/7/2025: every new commune the conversion table lists for it,
-- by area code. A record of the old commune whose citizen's address carries one of these codes
-- is counted under that part; the others go to the first listed (units.successor_id).
CREATE TABLE unit_split_parts (
    old_unit_id BIGINT NOT NULL REFERENCES units(id),
    area_code TEXT NOT NULL,
    new_unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (old_unit_id, area_code)
);
