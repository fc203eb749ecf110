-- How petition types and fields occur together. The planner took them for independent: at 10M
-- it expected 6.390 denunciations about land disputes in a province where there are none,
-- and walked the whole date index backwards for the register's page, filtering 10.000.120
-- entries (1,5-1,9 s). With the pairs' frequencies it reads the (unit, type, field, date)
-- index: 3-23 ms for every pair. The visits register is filtered the same way.
CREATE STATISTICS IF NOT EXISTS petitions_type_field (mcv) ON petition_type, field_code FROM petitions;
CREATE STATISTICS IF NOT EXISTS visits_type_field (mcv) ON petition_type, field_code FROM visits;
ANALYZE petitions;
ANALYZE visits;
