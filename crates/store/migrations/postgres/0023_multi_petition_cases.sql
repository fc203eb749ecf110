-- The cases that hold more than one petition. A report's distinct cases are counted by
-- grouping records by case only for these: a case with one petition is that petition, so it is
-- counted with the sums, per unit, without hashing millions of cases (a whole-country year).
-- Kept in the transaction that adds a petition to a case or moves it to another
-- (`cases::note_petition_cases`); a bulk load adds the cases it filled when it finishes.
CREATE TABLE multi_petition_cases (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id)
);
INSERT INTO multi_petition_cases (case_id)
    SELECT case_id FROM petitions GROUP BY case_id HAVING COUNT(*) > 1;
-- A whole-country report reads a period's petitions by date: the report index leads with the
-- unit, so without a unit to seek it was read whole (10.000.000 entries for a year's 4.600.000).
CREATE INDEX IF NOT EXISTS petitions_period_report ON petitions(received_date) INCLUDE (unit_id, decision_date, sender_kind, petition_type, field_code, decision, eligible, competent, earlier_settlement, case_id, id);
