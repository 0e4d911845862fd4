-- #14: what attendance and supervision read once the hot log is compacted: each day's sittings at
-- counters with their pauses (R5, R6), each staff member's attendance that day as the roster and the
-- leave of that day made it (R7, R26), and every alert with its whole life (R33).
CREATE TABLE counter_sessions (
  hall_id TEXT NOT NULL,
  day DATE NOT NULL,
  counter_id TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT,
  pauses JSONB NOT NULL,
  PRIMARY KEY (hall_id, day, counter_id, from_at)
);
CREATE TABLE attendance_days (
  hall_id TEXT NOT NULL,
  day DATE NOT NULL,
  staff_id TEXT NOT NULL,
  expected_from BIGINT,
  expected_to BIGINT,
  on_leave TEXT,
  first_in BIGINT,
  last_out BIGINT,
  worked_minutes INTEGER NOT NULL,
  late_minutes INTEGER NOT NULL,
  early_minutes INTEGER NOT NULL,
  absent_minutes INTEGER NOT NULL,
  missing BOOLEAN NOT NULL,
  overtime_minutes INTEGER NOT NULL,
  PRIMARY KEY (hall_id, day, staff_id)
);
CREATE TABLE alerts (
  hall_id TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  day DATE NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  raised_at BIGINT NOT NULL,
  resolved_at BIGINT,
  version BIGINT NOT NULL,
  body JSONB NOT NULL,
  PRIMARY KEY (hall_id, alert_id)
);
CREATE INDEX alerts_by_day ON alerts (hall_id, day);
