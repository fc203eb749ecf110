-- The cases that hold more than one petition. A report's distinct cases are counted by
-- grouping records by case only for these: a case with one petition is that petition, so it is
-- counted with the sums, per unit, without hashing millions of cases (a whole-country year).
-- Kept in the transaction that adds a petition to a case or moves it to another
-- (`cases::note_petition_cases`); a bulk load adds the cases it filled when it finishes.
CREATE TABLE multi_petition_cases (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id)
);
INSERT INTO multi_petition_cases (case_id)
    SELECT case_id FROM petitions GROUP BY case_id HAVING COUNT(*) > 1;
