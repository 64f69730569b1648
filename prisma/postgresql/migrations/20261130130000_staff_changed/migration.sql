-- Every instance keeps a copy of the current staff in memory (src/store/staff.ts) and reads it
-- again when told that "Staff" changed, by whichever instance or tool changed it. Triggers and
-- functions are outside Prisma's models, so this migration is PostgreSQL's only.
-- The body's semicolons are written \003B: the migration runner splits scripts at every semicolon.
CREATE FUNCTION "notify_staff_changed"() RETURNS trigger LANGUAGE plpgsql
  AS U&'BEGIN PERFORM pg_notify(''staff_changed'', '''')\003B RETURN NULL\003B END';

CREATE TRIGGER "Staff_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Staff"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_staff_changed"();
