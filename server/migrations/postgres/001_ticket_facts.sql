-- #14: the tickets of closed days, one row each, and which days of which hall are archived.
CREATE TABLE ticket_facts (
  hall_id TEXT NOT NULL,
  day DATE NOT NULL,
  ticket_id TEXT NOT NULL,
  number TEXT NOT NULL,
  service_id TEXT NOT NULL,
  priority TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  called_at BIGINT,
  started_at BIGINT,
  ended_at BIGINT,
  wait_ms BIGINT,
  handling_ms BIGINT,
  outcome TEXT,
  transfers INTEGER NOT NULL,
  counter_id TEXT,
  staff_id TEXT,
  first_contact_staff_id TEXT,
  rating SMALLINT CHECK (rating BETWEEN 1 AND 5),
  rating_not_given BOOLEAN NOT NULL,
  offline BOOLEAN NOT NULL,
  PRIMARY KEY (hall_id, day, ticket_id)
);
CREATE TABLE archived_days (
  hall_id TEXT NOT NULL,
  day DATE NOT NULL,
  tickets INTEGER NOT NULL,
  archived_at BIGINT NOT NULL,
  PRIMARY KEY (hall_id, day)
);
