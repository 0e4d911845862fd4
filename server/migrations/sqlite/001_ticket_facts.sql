-- #14: the tickets of closed days, one row each, and which days of which hall are archived.
CREATE TABLE ticket_facts (
  hall_id TEXT NOT NULL,
  day TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  number TEXT NOT NULL,
  service_id TEXT NOT NULL,
  priority TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  called_at INTEGER,
  started_at INTEGER,
  ended_at INTEGER,
  wait_ms INTEGER,
  handling_ms INTEGER,
  outcome TEXT,
  transfers INTEGER NOT NULL,
  counter_id TEXT,
  staff_id TEXT,
  first_contact_staff_id TEXT,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_not_given INTEGER NOT NULL,
  offline INTEGER NOT NULL,
  PRIMARY KEY (hall_id, day, ticket_id)
);
CREATE TABLE archived_days (
  hall_id TEXT NOT NULL,
  day TEXT NOT NULL,
  tickets INTEGER NOT NULL,
  archived_at INTEGER NOT NULL,
  PRIMARY KEY (hall_id, day)
);
