-- belarchive's rules on a team server, enforced by PostgreSQL itself: whatever program or
-- SQL editor a member connects with, these hold. Installed by `belarchive team init` after
-- schema.sql, in the same transaction. The program checks the same rules first, so a member
-- of belarchive sees its own message; these are the second line, for everything else.
--
-- Who is who: a member is a login role; what they may do comes from the group roles below.
-- belarchive_admin is a member of belarchive_reviewer, which is a member of
-- belarchive_archivist, so each group has what the one before it has.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'belarchive_archivist') THEN
        CREATE ROLE belarchive_archivist NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'belarchive_reviewer') THEN
        CREATE ROLE belarchive_reviewer NOLOGIN IN ROLE belarchive_archivist;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'belarchive_admin') THEN
        CREATE ROLE belarchive_admin NOLOGIN IN ROLE belarchive_reviewer;
    END IF;
END
$$;

-- Nobody but the groups may read or write the catalogue.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO belarchive_archivist;
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO belarchive_archivist',
                   current_database());
END
$$;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO belarchive_archivist;
GRANT INSERT, UPDATE ON event, figure, citation, source, attachment, annotation, actor, place,
    placename, tag, savedsearch, importrecord, importedhistory, importedkey, eventtag,
    eventplace, eventactor, meta TO belarchive_archivist;
-- An edit replaces an event's links and figures; the audit log keeps what they were.
GRANT DELETE ON eventtag, eventplace, eventactor, figure TO belarchive_archivist;
-- History is only ever added to.
GRANT INSERT ON auditentry, verificationentry TO belarchive_archivist;
-- Members are the admins' business (the login roles themselves are made by `user add`);
-- each member may change only their own passphrase and key (row-level security below).
GRANT INSERT, UPDATE ON "user" TO belarchive_admin;
GRANT UPDATE (passphrase_hash, private_key_wrapped, public_key) ON "user" TO belarchive_archivist;


-- One writer at a time, as on SQLite (BEGIN IMMEDIATE): every belarchive write transaction
-- takes this lock first (storage.server.WRITE_LOCK), so the audit chain has one head and the
-- bulk paths may number rows as max(id)+1. The numbering trigger takes it too, so a row
-- inserted by hand waits for belarchive's writers instead of racing them.
CREATE FUNCTION belarchive_write_lock() RETURNS void
    LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(1650813025) $$;

CREATE FUNCTION belarchive_next_id() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM belarchive_write_lock();
    IF NEW.id IS NULL THEN
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I',
                       TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
    END IF;
    RETURN NEW;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['actor', 'event', 'importedhistory', 'importrecord', 'place',
        'savedsearch', 'source', 'tag', 'user', 'annotation', 'attachment', 'citation',
        'placename', 'verificationentry', 'figure']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION belarchive_next_id()', t || '_next_id', t);
    END LOOP;
END
$$;


-- Is the connected member in a belarchive group? session_user, not current_user: a
-- SECURITY DEFINER function must not lend its owner's groups.
CREATE FUNCTION belarchive_member_of(grp text) RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT pg_has_role(session_user, grp, 'MEMBER') $$;

CREATE FUNCTION belarchive_refuse(message text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'belarchive: %', message USING ERRCODE = 'insufficient_privilege';
END
$$;


-- History is append-only: no member, admin or table owner may change or remove it.
CREATE FUNCTION belarchive_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM belarchive_refuse(format('%s on %s is refused: history is only ever added to',
                                     TG_OP, TG_TABLE_NAME));
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['auditentry', 'verificationentry', 'importedhistory']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION belarchive_append_only()', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION belarchive_append_only()', t || '_no_truncate', t);
    END LOOP;
END
$$;


-- The audit chain stays one line, and each entry names the member who wrote it: the server
-- checks that an entry follows the last one and that its author is the one connected (the
-- program's own data migrations write as belarchive-system, which only an admin may run).
CREATE FUNCTION belarchive_audit_append() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    head_seq integer;
    head_hash text;
BEGIN
    PERFORM belarchive_write_lock();
    SELECT seq, hash INTO head_seq, head_hash FROM auditentry ORDER BY seq DESC LIMIT 1;
    IF NEW.seq IS DISTINCT FROM coalesce(head_seq, 0) + 1
       OR NEW.prev_hash IS DISTINCT FROM coalesce(head_hash, repeat('0', 64)) THEN
        PERFORM belarchive_refuse(format(
            'audit entry %s does not follow the last one (%s): the chain must stay one line',
            NEW.seq, coalesce(head_seq, 0)));
    END IF;
    IF NEW."user" IS DISTINCT FROM session_user::text
       AND NOT (NEW."user" = 'belarchive-system' AND belarchive_member_of('belarchive_admin'))
    THEN
        PERFORM belarchive_refuse(format('%s cannot write history in the name of %s',
                                         session_user, NEW."user"));
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER auditentry_append BEFORE INSERT ON auditentry FOR EACH ROW
    EXECUTE FUNCTION belarchive_audit_append();


-- Verification decisions are reviewers' (row-level security on the history, a trigger on
-- the event's status): an archivist may send an event to review or back, never decide it,
-- and nobody decides in another member's name.
ALTER TABLE verificationentry ENABLE ROW LEVEL SECURITY;
ALTER TABLE verificationentry FORCE ROW LEVEL SECURITY;
CREATE POLICY verification_read ON verificationentry FOR SELECT USING (true);
CREATE POLICY verification_write ON verificationentry FOR INSERT WITH CHECK (
    reviewer = session_user::text
    AND (to_status IN ('unverified', 'in_review')
         OR belarchive_member_of('belarchive_reviewer'))
);

-- Who may write which member's row: an admin any, everyone else only their own.
ALTER TABLE "user" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "user" FORCE ROW LEVEL SECURITY;
CREATE POLICY user_read ON "user" FOR SELECT USING (true);
CREATE POLICY user_add ON "user" FOR INSERT
    WITH CHECK (belarchive_member_of('belarchive_admin'));
CREATE POLICY user_change ON "user" FOR UPDATE
    USING (name = session_user::text OR belarchive_member_of('belarchive_admin'))
    WITH CHECK (name = session_user::text OR belarchive_member_of('belarchive_admin'));

CREATE FUNCTION belarchive_event_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('verified', 'disputed', 'rejected')
       AND (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status) THEN
        IF NOT belarchive_member_of('belarchive_reviewer') THEN
            PERFORM belarchive_refuse(format('only reviewers may mark an event %s',
                                             NEW.status));
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.status = 'verified'
           AND OLD.substance_by = session_user::text THEN
            PERFORM belarchive_refuse('you edited this event last: another reviewer must '
                                      'verify it');
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER event_status BEFORE INSERT OR UPDATE OF status ON event FOR EACH ROW
    EXECUTE FUNCTION belarchive_event_status();


-- Every append to the history is announced to the desktops listening (services.live); they
-- read the log itself to learn what changed. Announcements with the same text in one
-- transaction arrive once, at its commit.
CREATE FUNCTION belarchive_announce() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('belarchive_changes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER auditentry_announce AFTER INSERT ON auditentry FOR EACH STATEMENT
    EXECUTE FUNCTION belarchive_announce();
