-- #14: what attendance and supervision read once the hot log is compacted: each day's sittings at
-- counters with their pauses (R5, R6), each staff member's attendance that day as the roster and the
-- leave of that day made it (R7, R26), and every alert with its whole life (R33).
CREATE TABLE counter_sessions (
  hall_id TEXT NOT NULL,
  day TEXT NOT NULL,
  counter_id TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  from_at INTEGER NOT NULL,
  to_at INTEGER,
  pauses TEXT NOT NULL,
  PRIMARY KEY (hall_id, day, counter_id, from_at)
);
CREATE TABLE attendance_days (
  hall_id TEXT NOT NULL,
  day TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  expected_from INTEGER,
  expected_to INTEGER,
  on_leave TEXT,
  first_in INTEGER,
  last_out INTEGER,
  worked_minutes INTEGER NOT NULL,
  late_minutes INTEGER NOT NULL,
  early_minutes INTEGER NOT NULL,
  absent_minutes INTEGER NOT NULL,
  missing INTEGER NOT NULL,
  overtime_minutes INTEGER NOT NULL,
  PRIMARY KEY (hall_id, day, staff_id)
);
CREATE TABLE alerts (
  hall_id TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  resolved_at INTEGER,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (hall_id, alert_id)
);
CREATE INDEX alerts_by_day ON alerts (hall_id, day);
