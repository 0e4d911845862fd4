-- #14: a day can be archived while it runs (bounded lag) and once more, complete, after it closed;
-- the wait target a ticket was held to, as it was that day; a hall's figures per day and service (a bad review: level 1 or 2)
-- (what the city view adds up across halls without reading every ticket).
ALTER TABLE archived_days ADD COLUMN complete BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE ticket_facts ADD COLUMN target_wait_ms BIGINT;
CREATE TABLE day_figures (
  hall_id TEXT NOT NULL,
  day DATE NOT NULL,
  service_id TEXT NOT NULL,
  issued INTEGER NOT NULL,
  served INTEGER NOT NULL,
  no_shows INTEGER NOT NULL,
  called INTEGER NOT NULL,
  within_target INTEGER NOT NULL,
  wait_ms_sum BIGINT NOT NULL,
  wait_ms_max BIGINT NOT NULL,
  handling_ms_sum BIGINT NOT NULL,
  rated INTEGER NOT NULL,
  bad_reviews INTEGER NOT NULL,
  PRIMARY KEY (hall_id, day, service_id)
);
