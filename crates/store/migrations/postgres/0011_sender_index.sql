-- A citizen's petitions by the person who sent them: the ID lookup of the forms, the related
-- records of a petition being entered and the person page read them this way (at 1M petitions
-- the related-records answer went from 45 ms to a few without it being a full scan).
CREATE INDEX petitions_sender ON petitions(sender_person_id);
