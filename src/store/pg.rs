//! The team's shared store on PostgreSQL (issue 17, first step): the
//! [`TeamStore`] trait, the same use cases as the SQLite store, each one
//! transaction, run by `tests/store_story.rs` against both.
//!
//! What it holds: anonymous entries and team reflections (filed by the
//! server's rules into periods, with a random id and their date only),
//! the questionnaire definitions they were answered on, the ward's rules
//! (k, text threshold, period kind, time zone, headcounts), releases and
//! actions. It holds no private history: those never leave a terminal.
//!
//! How a terminal reaches the server (TLS, passwords): [`super::pgconnect`].

pub use super::pgconnect::ServerAddress;
use super::release::{join_texts, prepare_release, system_zone, ReleaseReport, Texts};
use super::usecases::TeamStore;
use super::{Result, StoreError};
use crate::anonymity::Thresholds;
use crate::huddle::Reflection;
use crate::model::{
    ActionChange, ActionScope, NewAction, NewCheckin, TeamAction, TeamRules, WardSettings,
};
use crate::period::{Period, PeriodKind};
use crate::questionnaire::Questionnaire;
use crate::release::{PeriodView, Release, StoredReflection};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use postgres::{Client, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema, one migration per entry (applied in order, each once,
/// recorded in `schema_migrations`).
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE setting (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE entry (
    id bigint PRIMARY KEY,
    team text,
    questionnaire_id text NOT NULL,
    version text NOT NULL,
    file_hash text NOT NULL,
    period text,
    completed_on date NOT NULL,
    is_demo boolean NOT NULL,
    answers jsonb NOT NULL,
    scores jsonb NOT NULL
);
CREATE INDEX entry_by_period ON entry (questionnaire_id, period, team) WHERE period IS NOT NULL;
CREATE TABLE questionnaire_def (
    hash text PRIMARY KEY,
    questionnaire_id text NOT NULL,
    version text NOT NULL,
    source text NOT NULL
);
CREATE TABLE period_rule (
    effective_from date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('week', 'month')),
    changed_at timestamptz NOT NULL
);
CREATE TABLE team_rules (
    seq bigserial PRIMARY KEY,
    min_group integer NOT NULL CHECK (min_group >= 3),
    min_group_text integer NOT NULL CHECK (min_group_text >= min_group),
    changed_at timestamptz NOT NULL
);
CREATE TABLE team_headcount (
    seq bigserial PRIMARY KEY,
    team text NOT NULL,
    headcount integer NOT NULL CHECK (headcount >= 1),
    changed_at timestamptz NOT NULL
);
CREATE TABLE team_release (
    team text NOT NULL,
    questionnaire_id text NOT NULL,
    period text NOT NULL,
    released_on date NOT NULL,
    reflections integer NOT NULL,
    figures text NOT NULL,
    texts text,
    PRIMARY KEY (team, questionnaire_id, period)
);
CREATE TABLE team_action (
    id bigserial PRIMARY KEY,
    team text NOT NULL,
    created_on date NOT NULL
);
CREATE TABLE team_action_version (
    action_id bigint NOT NULL REFERENCES team_action (id),
    seq bigserial NOT NULL,
    changed_on date NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (action_id, seq)
);
",
    r#"
-- What a terminal may do: submit an entry. The server files it (the
-- ward's time zone and period kind; never into a released period) and
-- keeps its date only. The id is the terminal's random global id: an
-- entry sent twice is kept once.
CREATE FUNCTION joy_submit(
    p_id bigint, p_team text, p_questionnaire text, p_version text, p_hash text,
    p_definition text, p_completed timestamptz, p_is_demo boolean,
    p_answers jsonb, p_scores jsonb, p_file boolean, p_zone text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    tz text;
    d date;
    k text;
    p text;
BEGIN
    SELECT value INTO tz FROM setting WHERE key = 'store.time_zone';
    IF tz IS NULL THEN
        tz := p_zone;
        INSERT INTO setting (key, value) VALUES ('store.time_zone', tz) ON CONFLICT (key) DO NOTHING;
    END IF;
    d := (p_completed AT TIME ZONE tz)::date;
    IF p_team IS NOT NULL AND p_file THEN
        SELECT kind INTO k FROM period_rule WHERE effective_from <= d
            ORDER BY effective_from DESC LIMIT 1;
        k := coalesce(k, 'week');
        LOOP
            p := CASE k WHEN 'month' THEN to_char(d, 'YYYY-MM') ELSE to_char(d, 'IYYY-"W"IW') END;
            EXIT WHEN NOT EXISTS (SELECT 1 FROM team_release
                WHERE questionnaire_id = p_questionnaire AND period = p AND team IN (p_team, ''));
            d := CASE k WHEN 'month' THEN (date_trunc('month', d) + interval '1 month')::date
                 ELSE d + 7 END;
        END LOOP;
    END IF;
    IF p_definition <> '' THEN
        INSERT INTO questionnaire_def (hash, questionnaire_id, version, source)
        VALUES (p_hash, p_questionnaire, p_version, p_definition) ON CONFLICT (hash) DO NOTHING;
    END IF;
    INSERT INTO entry (id, team, questionnaire_id, version, file_hash, period, completed_on,
                       is_demo, answers, scores)
    VALUES (p_id, p_team, p_questionnaire, p_version, p_hash, p, (p_completed AT TIME ZONE tz)::date,
            p_is_demo, p_answers, p_scores)
    ON CONFLICT (id) DO NOTHING;
    RETURN p_id;
END $$;

-- What a huddle may know of entries: counts and names, never a row.
CREATE FUNCTION joy_period_count(p_team text, p_questionnaire text, p_period text)
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT count(*) FROM entry
    WHERE team = p_team AND questionnaire_id = p_questionnaire AND period = p_period
$$;
CREATE FUNCTION joy_teams(p_questionnaire text)
RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT team FROM entry WHERE team IS NOT NULL
        AND (p_questionnaire IS NULL OR questionnaire_id = p_questionnaire)
    UNION SELECT team FROM team_action WHERE p_questionnaire IS NULL
    ORDER BY 1
$$;
CREATE FUNCTION joy_team_questionnaires(p_team text)
RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT questionnaire_id FROM entry WHERE team = p_team ORDER BY 1
$$;
REVOKE EXECUTE ON FUNCTION joy_submit(bigint, text, text, text, text, text, timestamptz, boolean, jsonb, jsonb, boolean, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION joy_period_count(text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION joy_teams(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION joy_team_questionnaires(text) FROM PUBLIC;
"#,
    r#"
-- Late arrivals (an entry dated in a period already released, filed into
-- the next open one): counted for the admin, never changing a release.
ALTER TABLE entry ADD COLUMN filed_late boolean NOT NULL DEFAULT false;
CREATE OR REPLACE FUNCTION joy_submit(
    p_id bigint, p_team text, p_questionnaire text, p_version text, p_hash text,
    p_definition text, p_completed timestamptz, p_is_demo boolean,
    p_answers jsonb, p_scores jsonb, p_file boolean, p_zone text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    tz text;
    d date;
    k text;
    p text;
    late boolean := false;
BEGIN
    SELECT value INTO tz FROM setting WHERE key = 'store.time_zone';
    IF tz IS NULL THEN
        tz := p_zone;
        INSERT INTO setting (key, value) VALUES ('store.time_zone', tz) ON CONFLICT (key) DO NOTHING;
    END IF;
    d := (p_completed AT TIME ZONE tz)::date;
    IF p_team IS NOT NULL AND p_file THEN
        SELECT kind INTO k FROM period_rule WHERE effective_from <= d
            ORDER BY effective_from DESC LIMIT 1;
        k := coalesce(k, 'week');
        LOOP
            p := CASE k WHEN 'month' THEN to_char(d, 'YYYY-MM') ELSE to_char(d, 'IYYY-"W"IW') END;
            EXIT WHEN NOT EXISTS (SELECT 1 FROM team_release
                WHERE questionnaire_id = p_questionnaire AND period = p AND team IN (p_team, ''));
            late := true;
            d := CASE k WHEN 'month' THEN (date_trunc('month', d) + interval '1 month')::date
                 ELSE d + 7 END;
        END LOOP;
    END IF;
    IF p_definition <> '' THEN
        INSERT INTO questionnaire_def (hash, questionnaire_id, version, source)
        VALUES (p_hash, p_questionnaire, p_version, p_definition) ON CONFLICT (hash) DO NOTHING;
    END IF;
    INSERT INTO entry (id, team, questionnaire_id, version, file_hash, period, completed_on,
                       is_demo, answers, scores, filed_late)
    VALUES (p_id, p_team, p_questionnaire, p_version, p_hash, p, (p_completed AT TIME ZONE tz)::date,
            p_is_demo, p_answers, p_scores, late)
    ON CONFLICT (id) DO NOTHING;
    RETURN p_id;
END $$;
REVOKE EXECUTE ON FUNCTION joy_submit(bigint, text, text, text, text, text, timestamptz, boolean, jsonb, jsonb, boolean, text) FROM PUBLIC;
"#,
    r#"
-- Which teams answered which questionnaires, kept beside the entries (a
-- statement trigger adds what an insert brings): listing a ward's teams
-- reads this small table, never millions of entries.
CREATE TABLE team_questionnaire (
    team text NOT NULL,
    questionnaire_id text NOT NULL,
    PRIMARY KEY (team, questionnaire_id)
);
INSERT INTO team_questionnaire
    SELECT DISTINCT team, questionnaire_id FROM entry WHERE team IS NOT NULL;
CREATE FUNCTION joy_note_teams() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO team_questionnaire (team, questionnaire_id)
        SELECT DISTINCT team, questionnaire_id FROM new_entries WHERE team IS NOT NULL
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER entry_notes_teams AFTER INSERT ON entry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION joy_note_teams();
CREATE OR REPLACE FUNCTION joy_teams(p_questionnaire text)
RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT team FROM team_questionnaire
        WHERE p_questionnaire IS NULL OR questionnaire_id = p_questionnaire
    UNION SELECT team FROM team_action WHERE p_questionnaire IS NULL
    ORDER BY 1
$$;
CREATE OR REPLACE FUNCTION joy_team_questionnaires(p_team text)
RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT questionnaire_id FROM team_questionnaire WHERE team = p_team ORDER BY 1
$$;
REVOKE ALL ON team_questionnaire FROM PUBLIC;
-- The ward view reads one period's releases across teams.
CREATE INDEX team_release_by_period ON team_release (questionnaire_id, period);
-- A trust's server holds several wards: each team belongs to one (set by
-- the admin). At a period's close each ward's total is released beside
-- its teams', with the teams it was made of, for the trust view.
CREATE TABLE ward_team (
    team text PRIMARY KEY,
    ward text NOT NULL CHECK (ward <> '')
);
CREATE TABLE ward_release (
    ward text NOT NULL,
    questionnaire_id text NOT NULL,
    period text NOT NULL,
    released_on date NOT NULL,
    reflections integer NOT NULL,
    teams text[] NOT NULL,
    figures text NOT NULL,
    PRIMARY KEY (ward, questionnaire_id, period)
);
CREATE INDEX ward_release_by_period ON ward_release (questionnaire_id, period);
"#,
    r#"
-- Who may read which ward (row-level security): a role listed with a ward
-- (or '*', every ward and the trust total) reads that ward's releases,
-- ward totals, team list and actions, and nothing of any other ward.
-- Functions that count or list for a huddle ask the same of the login.
CREATE TABLE ward_reader (
    role text NOT NULL,
    ward text NOT NULL,
    PRIMARY KEY (role, ward)
);
REVOKE ALL ON ward_reader FROM PUBLIC;
CREATE FUNCTION joy_reads_ward(p_user name, p_ward text)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM ward_reader r JOIN pg_roles g ON g.rolname = r.role
        WHERE (r.ward = '*' OR r.ward = p_ward) AND pg_has_role(p_user, g.oid, 'MEMBER'))
$$;
-- A team's ward (a team in no ward is a ward of its own); '' is the
-- trust total, for '*' readers only.
CREATE FUNCTION joy_reads_team(p_user name, p_team text)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT joy_reads_ward(p_user, CASE WHEN p_team = '' THEN '*'
        ELSE coalesce((SELECT ward FROM ward_team WHERE team = p_team), p_team) END)
$$;
-- What the login may read (the policies' test; a login may ask it only
-- of itself).
CREATE FUNCTION joy_may_read_team(p_team text)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT joy_reads_team(session_user, p_team)
$$;
CREATE FUNCTION joy_may_read_ward(p_ward text)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT joy_reads_ward(session_user, p_ward)
$$;
REVOKE EXECUTE ON FUNCTION joy_may_read_team(text), joy_may_read_ward(text) FROM PUBLIC;
ALTER TABLE team_release ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_ward ON team_release USING (joy_may_read_team(team))
    WITH CHECK (joy_may_read_team(team));
ALTER TABLE ward_release ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_ward ON ward_release USING (joy_may_read_ward(ward))
    WITH CHECK (joy_may_read_ward(ward));
ALTER TABLE ward_team ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_ward ON ward_team USING (joy_may_read_ward(ward))
    WITH CHECK (joy_may_read_ward(ward));
ALTER TABLE team_action ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_ward ON team_action USING (joy_may_read_team(team))
    WITH CHECK (joy_may_read_team(team));
ALTER TABLE team_action_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_ward ON team_action_version
    USING (EXISTS (SELECT 1 FROM team_action a WHERE a.id = action_id))
    WITH CHECK (EXISTS (SELECT 1 FROM team_action a WHERE a.id = action_id));
CREATE OR REPLACE FUNCTION joy_period_count(p_team text, p_questionnaire text, p_period text)
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE WHEN joy_reads_team(session_user, p_team) THEN
        (SELECT count(*) FROM entry
         WHERE team = p_team AND questionnaire_id = p_questionnaire AND period = p_period)
    ELSE 0 END
$$;
CREATE OR REPLACE FUNCTION joy_teams(p_questionnaire text)
RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT team FROM (
        SELECT team FROM team_questionnaire
            WHERE p_questionnaire IS NULL OR questionnaire_id = p_questionnaire
        UNION SELECT team FROM team_action WHERE p_questionnaire IS NULL
    ) t WHERE joy_reads_team(session_user, team)
    ORDER BY 1
$$;
CREATE OR REPLACE FUNCTION joy_team_questionnaires(p_team text)
RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT questionnaire_id FROM team_questionnaire
    WHERE team = p_team AND joy_reads_team(session_user, p_team) ORDER BY 1
$$;
REVOKE EXECUTE ON FUNCTION joy_reads_ward(name, text), joy_reads_team(name, text) FROM PUBLIC;
"#,
    r#"
-- A terminal's whole day in one call (one round trip, not one an entry):
-- each entry as joy_submit files it.
CREATE FUNCTION joy_submit_day(p_entries jsonb, p_zone text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    e jsonb;
    n integer := 0;
BEGIN
    FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
        PERFORM joy_submit((e->>'id')::bigint, e->>'team', e->>'questionnaire_id',
            e->>'version', e->>'file_hash', coalesce(e->>'definition', ''),
            (e->>'completed_at')::timestamptz, (e->>'is_demo')::boolean,
            e->'answers', e->'scores', (e->>'file')::boolean, p_zone);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
REVOKE EXECUTE ON FUNCTION joy_submit_day(jsonb, text) FROM PUBLIC;
"#,
    r#"
-- The policies asked once per query, not once per row: what the login
-- reads is worked out in an InitPlan (a scalar subquery), and each row is
-- then only looked up in it. (Per row, the checks made a ward's huddle
-- read 40 times slower.)
CREATE FUNCTION joy_reads_all() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT joy_reads_ward(session_user, '*')
$$;
CREATE FUNCTION joy_readable_wards() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT r.ward), '{}') FROM ward_reader r JOIN pg_roles g ON g.rolname = r.role
    WHERE r.ward <> '*' AND pg_has_role(session_user, g.oid, 'MEMBER')
$$;
-- A team in no ward is a ward of its own: its name may be listed as one.
CREATE FUNCTION joy_readable_teams() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT array_agg(team) FROM ward_team WHERE ward = ANY (w)), '{}')
        || coalesce((SELECT array_agg(x) FROM unnest(w) x
                     WHERE NOT EXISTS (SELECT 1 FROM ward_team t WHERE t.team = x)), '{}')
    FROM (SELECT joy_readable_wards() AS w) s
$$;
REVOKE EXECUTE ON FUNCTION joy_reads_all(), joy_readable_wards(), joy_readable_teams() FROM PUBLIC;
DROP POLICY by_ward ON team_release;
CREATE POLICY by_ward ON team_release
    USING ((SELECT joy_reads_all()) OR team = ANY (coalesce((SELECT joy_readable_teams()), ARRAY[]::text[])))
    WITH CHECK ((SELECT joy_reads_all()) OR team = ANY (coalesce((SELECT joy_readable_teams()), ARRAY[]::text[])));
DROP POLICY by_ward ON ward_release;
CREATE POLICY by_ward ON ward_release
    USING ((SELECT joy_reads_all()) OR ward = ANY (coalesce((SELECT joy_readable_wards()), ARRAY[]::text[])))
    WITH CHECK ((SELECT joy_reads_all()) OR ward = ANY (coalesce((SELECT joy_readable_wards()), ARRAY[]::text[])));
DROP POLICY by_ward ON ward_team;
CREATE POLICY by_ward ON ward_team
    USING ((SELECT joy_reads_all()) OR ward = ANY (coalesce((SELECT joy_readable_wards()), ARRAY[]::text[])))
    WITH CHECK ((SELECT joy_reads_all()) OR ward = ANY (coalesce((SELECT joy_readable_wards()), ARRAY[]::text[])));
DROP POLICY by_ward ON team_action;
CREATE POLICY by_ward ON team_action
    USING ((SELECT joy_reads_all()) OR team = ANY (coalesce((SELECT joy_readable_teams()), ARRAY[]::text[])))
    WITH CHECK ((SELECT joy_reads_all()) OR team = ANY (coalesce((SELECT joy_readable_teams()), ARRAY[]::text[])));
"#,
];

/// The schema version this build knows (the last migration's number).
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// The roles of a ward's database: `<prefix>_terminal` submits entries
/// and reads the ward's settings; `<prefix>_huddle` reads released
/// figures and counts and keeps the ward's actions; `<prefix>_admin`
/// releases and sets the rules. Group roles (NOLOGIN): a DBA grants them
/// to login roles (see docs/deploy.md).
const ROLES_SQL: &str = r"
DO $roles$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{P}_terminal') THEN CREATE ROLE {P}_terminal NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{P}_huddle') THEN CREATE ROLE {P}_huddle NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{P}_admin') THEN CREATE ROLE {P}_admin NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{P}_reader') THEN CREATE ROLE {P}_reader NOLOGIN; END IF;
END $roles$;
-- {P}_reader: what a huddle screen may do, of the wards listed for it in
-- ward_reader; {P}_huddle reads every ward ('*'), as does {P}_admin.
GRANT {P}_reader TO {P}_huddle;
INSERT INTO ward_reader (role, ward) VALUES ('{P}_huddle', '*'), ('{P}_admin', '*')
    ON CONFLICT DO NOTHING;
REVOKE ALL ON ALL TABLES IN SCHEMA {S} FROM PUBLIC;
GRANT USAGE ON SCHEMA {S} TO {P}_terminal, {P}_huddle, {P}_admin, {P}_reader;
GRANT SELECT ON schema_migrations, setting, team_rules, period_rule, team_headcount
    TO {P}_terminal, {P}_huddle, {P}_reader;
GRANT EXECUTE ON FUNCTION joy_submit(bigint, text, text, text, text, text, timestamptz, boolean, jsonb, jsonb, boolean, text),
    joy_submit_day(jsonb, text)
    TO {P}_terminal, {P}_admin;
GRANT SELECT ON team_release, ward_release, ward_team TO {P}_huddle, {P}_reader;
GRANT SELECT, INSERT ON team_action TO {P}_huddle, {P}_reader;
GRANT SELECT, INSERT, DELETE ON team_action_version TO {P}_huddle, {P}_reader;
GRANT USAGE ON SEQUENCE team_action_id_seq, team_action_version_seq_seq TO {P}_huddle, {P}_reader;
GRANT EXECUTE ON FUNCTION joy_period_count(text, text, text), joy_teams(text), joy_team_questionnaires(text),
    joy_may_read_team(text), joy_may_read_ward(text),
    joy_reads_all(), joy_readable_wards(), joy_readable_teams()
    TO {P}_huddle, {P}_admin, {P}_reader;
GRANT ALL ON ALL TABLES IN SCHEMA {S} TO {P}_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA {S} TO {P}_admin;
";

/// Setting key of the ward's time zone, as in the SQLite store.
const TIME_ZONE: &str = super::release::TIME_ZONE_SETTING;

/// What `joy server status` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerStatus {
    pub version: i32,
    pub entries: u64,
    /// Entries dated in a period already released, filed into a later one.
    pub late: u64,
    pub releases: u64,
    pub last_release: Option<(String, NaiveDate)>,
    pub time_zone: String,
    pub rules: Option<TeamRules>,
}

/// The team store on a PostgreSQL server.
pub struct PgStore {
    client: Client,
    /// Where it is, for messages (the connection string without secrets).
    place: String,
}

/// A server step that failed: where, doing what, and why.
pub(super) fn failed(place: &str, what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Server {
        place: place.to_string(),
        what: what.to_string(),
        cause: e.to_string(),
    }
}

/// What went wrong, in the server's words where it gave some ("db error"
/// alone says nothing).
fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        s.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    s
}

/// One version of an action, as kept in `team_action_version`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Version {
    action: String,
    owner: String,
    review_on: Option<NaiveDate>,
    status: String,
    learned: String,
    pebble: String,
    scope: Option<String>,
}

impl Version {
    fn of(a: &TeamAction) -> Version {
        Version {
            action: a.action.clone(),
            owner: a.owner.clone(),
            review_on: a.review_on,
            status: a.status.as_str().to_string(),
            learned: a.learned.clone(),
            pebble: a.pebble.clone(),
            scope: a.scope.map(|s| s.as_str().to_string()),
        }
    }
}

fn kind_of(s: &str) -> PeriodKind {
    if s == "month" {
        PeriodKind::Month
    } else {
        PeriodKind::Week
    }
}

/// What can fail inside one of the server's transactions: the server, or
/// turning a value into JSON for it.
#[derive(Debug)]
enum TxError {
    Server(postgres::Error),
    Json(serde_json::Error),
}

impl From<postgres::Error> for TxError {
    fn from(e: postgres::Error) -> Self {
        TxError::Server(e)
    }
}

impl From<serde_json::Error> for TxError {
    fn from(e: serde_json::Error) -> Self {
        TxError::Json(e)
    }
}

impl TxError {
    fn describe(&self) -> String {
        match self {
            TxError::Server(e) => describe(e),
            TxError::Json(e) => format!("a value could not be written as JSON: {e}"),
        }
    }
}

type Pg<T> = std::result::Result<T, TxError>;

fn zone(tx: &mut Transaction) -> Pg<Tz> {
    let row = tx.query_opt("SELECT value FROM setting WHERE key = $1", &[&TIME_ZONE])?;
    Ok(row
        .and_then(|r| r.get::<_, String>(0).parse::<Tz>().ok())
        .unwrap_or_else(system_zone))
}

fn kind_on(tx: &mut Transaction, date: NaiveDate) -> Pg<PeriodKind> {
    let row = tx.query_opt(
        "SELECT kind FROM period_rule WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1",
        &[&date],
    )?;
    Ok(row.map_or(PeriodKind::Week, |r| kind_of(r.get(0))))
}

fn is_released(tx: &mut Transaction, team: &str, q: &str, p: Period) -> Pg<bool> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM team_release WHERE team = $1 AND questionnaire_id = $2 AND period = $3",
            &[&team, &q, &p.to_string()],
        )?
        .is_some())
}

fn headcount_in(tx: &mut Transaction, team: &str) -> Pg<Option<usize>> {
    let row = tx.query_opt(
        "SELECT headcount FROM team_headcount WHERE team = $1 ORDER BY changed_at DESC, seq DESC LIMIT 1",
        &[&team],
    )?;
    Ok(row.map(|r| r.get::<_, i32>(0).max(0) as usize))
}

fn rules_in(tx: &mut Transaction) -> Pg<Option<TeamRules>> {
    let row = tx.query_opt(
        "SELECT min_group, min_group_text FROM team_rules ORDER BY changed_at DESC, seq DESC LIMIT 1",
        &[],
    )?;
    Ok(row.map(|r| TeamRules {
        min_group: r.get::<_, i32>(0).max(0) as usize,
        min_group_text: r.get::<_, i32>(1).max(0) as usize,
    }))
}

const IMPORT_NOT_EMPTY: &str = "this database already holds a ward (entries, releases, actions, rules, staff numbers, wards or a time zone): a ward's file goes into a new, empty database (make one with `createdb` and `joy server init`), or into a trust's database as a new ward with --ward NAME";

/// Why a ward's file cannot join this trust's database as ward `ward`, if
/// it cannot: the ward or one of its teams is there already, or the file
/// kept other rules (its open periods would be released under a lower k,
/// another period kind or another time zone).
fn merge_refused(
    tx: &mut Transaction,
    h: &super::handover::Handover,
    ward: &str,
) -> Pg<Option<String>> {
    if tx
        .query_opt("SELECT 1 FROM ward_team WHERE ward = $1 LIMIT 1", &[&ward])?
        .is_some()
    {
        return Ok(Some(format!(
            "a ward called \"{ward}\" is on the server already: a file joins as a new ward (`joy server wards` lists them)"
        )));
    }
    let teams = h.teams();
    let taken: Vec<String> = tx
        .query(
            "SELECT DISTINCT team FROM (
                 SELECT team FROM entry UNION SELECT team FROM team_release
                 UNION SELECT team FROM team_action UNION SELECT team FROM team_headcount
                 UNION SELECT team FROM ward_team) t
             WHERE team = ANY ($1) ORDER BY 1",
            &[&teams],
        )?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    let ids: Vec<i64> = h.entries.iter().map(|e| e.id).collect();
    let known: i64 = tx
        .query_one("SELECT count(*) FROM entry WHERE id = ANY ($1)", &[&ids])?
        .get(0);
    if known > 0 {
        return Ok(Some(format!(
            "{known} of the file's entries are on the server already: this file (or a copy of it) was imported before, or its kiosk delivered them (nothing was imported)"
        )));
    }
    if !taken.is_empty() {
        return Ok(Some(format!(
            "the server has teams of the same names already ({}): a team's name is one team's in the whole trust. Nothing was imported; give them new names as they join, e.g. --rename-team \"{}={} ({ward})\"",
            taken.join(", "),
            taken[0],
            taken[0]
        )));
    }
    let theirs = tx
        .query_opt("SELECT value FROM setting WHERE key = $1", &[&TIME_ZONE])?
        .map(|r| r.get::<_, String>(0));
    if let (Some(theirs), Some(mine)) = (&theirs, &h.time_zone) {
        if theirs != mine {
            return Ok(Some(format!(
                "the file files its reflections in the time zone {mine}, the server in {theirs}: a trust keeps one"
            )));
        }
    }
    let server = rules_in(tx)?.map_or_else(crate::anonymity::Thresholds::default, |r| {
        crate::anonymity::Thresholds::new(r.min_group, r.min_group_text)
    });
    if let Some((_, k, text)) = h.team_rules.iter().max_by_key(|(at, _, _)| *at) {
        let (k, text) = ((*k).max(0) as usize, (*text).max(0) as usize);
        if k > server.k() || text > server.text() {
            return Ok(Some(format!(
                "the file's ward showed figures from {k} and free texts from {text} reflections, the server from {} and {}: its open periods would be released under lower ones. Raise the server's first (`joy server rules --k {k} --text {text}`) if the trust agrees",
                server.k(),
                server.text()
            )));
        }
    }
    let today = chrono::Utc::now().date_naive();
    let server_kind = kind_on(tx, today)?;
    if let Some((_, kind, _)) = h
        .period_rules
        .iter()
        .filter(|(from, _, _)| from.as_str() <= today.to_string().as_str())
        .max_by(|a, b| a.0.cmp(&b.0))
    {
        if kind_of(kind) != server_kind {
            return Ok(Some(format!(
                "the file's ward releases by {kind}, the server by {}: a trust keeps one period kind",
                server_kind.as_str()
            )));
        }
    }
    Ok(None)
}

/// The file's time zone and rules, into a new database.
fn import_rules(tx: &mut Transaction, h: &super::handover::Handover) -> Pg<()> {
    let ms = |v: i64| DateTime::<Utc>::from_timestamp_millis(v).unwrap_or_default();
    if let Some(z) = &h.time_zone {
        tx.execute(
            "INSERT INTO setting (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&TIME_ZONE, z],
        )?;
    }
    for (from, kind, at) in &h.period_rules {
        let from = NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap_or_else(|_| since_always());
        tx.execute(
            "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES ($1, $2, $3)
             ON CONFLICT (effective_from) DO UPDATE SET kind = excluded.kind, changed_at = excluded.changed_at",
            &[&from, kind, &ms(*at)],
        )?;
    }
    for (at, k, text) in &h.team_rules {
        tx.execute(
            "INSERT INTO team_rules (min_group, min_group_text, changed_at) VALUES ($1, $2, $3)",
            &[&(*k as i32), &(*text as i32), &ms(*at)],
        )?;
    }
    Ok(())
}

/// What a ward's file shares: definitions, entries, releases, staff
/// numbers and actions; with `ward`, its teams put in that ward and its
/// ward totals released as that ward's (and as the trust's total too
/// with `trust_total`: a new database). Returns (entries, releases,
/// actions).
fn import_shared(
    tx: &mut Transaction,
    h: &super::handover::Handover,
    ward: Option<&str>,
    trust_total: bool,
) -> Pg<(usize, usize, usize)> {
    let ms = |v: i64| DateTime::<Utc>::from_timestamp_millis(v).unwrap_or_default();
    for (team, n, at) in &h.headcounts {
        tx.execute(
            "INSERT INTO team_headcount (team, headcount, changed_at) VALUES ($1, $2, $3)",
            &[team, &(*n as i32), &ms(*at)],
        )?;
    }
    for (hash, q, version, source) in &h.definitions {
        tx.execute(
            "INSERT INTO questionnaire_def (hash, questionnaire_id, version, source)
             VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
            &[hash, q, version, source],
        )?;
    }
    let insert = tx.prepare(
        "INSERT INTO entry (id, team, questionnaire_id, version, file_hash, period, completed_on,
                            is_demo, answers, scores, filed_late)
         VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8, $9, false) ON CONFLICT (id) DO NOTHING",
    )?;
    for e in &h.entries {
        tx.execute(
            &insert,
            &[
                &e.id,
                &e.team,
                &e.questionnaire_id,
                &e.version,
                &e.file_hash,
                &e.period,
                &e.completed_on,
                &e.answers,
                &e.scores,
            ],
        )?;
    }
    for r in &h.releases {
        if let (Some(w), true) = (ward, r.team == crate::ward::WARD_TOTAL) {
            // The file's ward total is this ward's, made of the file's teams
            // released with it.
            let mut teams: Vec<&str> = h
                .releases
                .iter()
                .filter(|t| {
                    t.team != crate::ward::WARD_TOTAL
                        && t.questionnaire_id == r.questionnaire_id
                        && t.period == r.period
                })
                .map(|t| t.team.as_str())
                .collect();
            teams.sort_unstable();
            tx.execute(
                "INSERT INTO ward_release (ward, questionnaire_id, period, released_on, reflections, teams, figures)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                &[
                    &w,
                    &r.questionnaire_id,
                    &r.period,
                    &r.released_on,
                    &(r.reflections as i32),
                    &teams,
                    &r.figures,
                ],
            )?;
            // A new database's total is the trust's too (one ward); a
            // trust's releases its own at the period's close.
            if !trust_total {
                continue;
            }
        }
        tx.execute(
            "INSERT INTO team_release (team, questionnaire_id, period, released_on, reflections, figures, texts)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            &[
                &r.team,
                &r.questionnaire_id,
                &r.period,
                &r.released_on,
                &(r.reflections as i32),
                &r.figures,
                &r.texts,
            ],
        )?;
    }
    for (team, created, versions) in &h.actions {
        let id: i64 = tx
            .query_one(
                "INSERT INTO team_action (team, created_on) VALUES ($1, $2) RETURNING id",
                &[team, created],
            )?
            .get(0);
        for v in versions {
            let data = serde_json::to_value(Version {
                action: v.action.clone(),
                owner: v.owner.clone(),
                review_on: v.review_on,
                status: v.status.clone(),
                learned: v.learned.clone(),
                pebble: v.pebble.clone(),
                scope: v.scope.clone(),
            })?;
            tx.execute(
                "INSERT INTO team_action_version (action_id, changed_on, data) VALUES ($1, $2, $3)",
                &[&id, &v.changed_on, &data],
            )?;
        }
    }
    if let Some(w) = ward {
        for team in h.teams() {
            tx.execute(
                "INSERT INTO ward_team (team, ward) VALUES ($1, $2)",
                &[&team, &w],
            )?;
        }
    }
    Ok((h.entries.len(), h.releases.len(), h.actions.len()))
}

/// A day's entries as the one JSON array `joy_submit_day` takes; each
/// questionnaire file's text once, not once an entry.
fn day_json(entries: &[(i64, super::outbox::OutboxEntry)]) -> serde_json::Value {
    let mut sent = std::collections::BTreeSet::new();
    let mut day = Vec::with_capacity(entries.len());
    for (id, e) in entries {
        let definition = if sent.insert(e.file_hash.as_str()) {
            e.definition.as_str()
        } else {
            ""
        };
        day.push(serde_json::json!({
            "id": id.to_string(),
            "team": e.team,
            "questionnaire_id": e.questionnaire_id,
            "version": e.version,
            "file_hash": e.file_hash,
            "definition": definition,
            "completed_at": e.completed_at.to_rfc3339(),
            "is_demo": e.is_demo,
            "answers": e.answers,
            "scores": e.scores,
            "file": e.file,
        }));
    }
    serde_json::Value::Array(day)
}

fn release_of(figures: &str, texts: Option<String>) -> Option<Release> {
    let release = serde_json::from_str::<Release>(figures).ok()?;
    let texts = texts.and_then(|t| serde_json::from_str::<Texts>(&t).ok());
    Some(join_texts(release, texts))
}

/// `team`'s releases of `q` whose periods `wanted` keeps: the periods are
/// read first and only the releases kept are read whole (a ward with years
/// of releases parses only the few a view shows).
fn releases_where(
    tx: &mut Transaction,
    team: &str,
    q: &str,
    wanted: impl Fn(Period) -> bool,
) -> Pg<Vec<(Period, Release)>> {
    let keep: Vec<String> = tx
        .query(
            "SELECT period FROM team_release WHERE team = $1 AND questionnaire_id = $2",
            &[&team, &q],
        )?
        .into_iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|p| Period::parse(p).is_ok_and(&wanted))
        .collect();
    let rows = tx.query(
        "SELECT period, figures, texts FROM team_release
         WHERE team = $1 AND questionnaire_id = $2 AND period = ANY($3)",
        &[&team, &q, &keep],
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let p = Period::parse(r.get::<_, &str>(0)).ok()?;
            Some((p, release_of(r.get(1), r.get(2))?))
        })
        .collect())
}

/// The rows of a release: `team`'s reflections (every team's for the ward
/// total) on `q` in `period`.
fn reflections(
    tx: &mut Transaction,
    team: &str,
    q: &str,
    period: &str,
) -> Pg<Vec<StoredReflection>> {
    let ward = team == crate::ward::WARD_TOTAL;
    let rows = tx.query(
        "SELECT file_hash, answers, scores FROM entry
         WHERE questionnaire_id = $2 AND period = $3 AND team IS NOT NULL AND ($4 OR team = $1)",
        &[&team, &q, &period, &ward],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(StoredReflection {
            definition: r.get(0),
            reflection: Reflection {
                answers: serde_json::from_value(r.get(1))?,
                scores: serde_json::from_value(r.get(2))?,
            },
        });
    }
    Ok(out)
}

/// The definitions to read `rows` with (see
/// [`super::release::choose_definitions`]), from the server.
fn definitions(
    tx: &mut Transaction,
    rows: &[StoredReflection],
    id: &str,
    fallback: &[Questionnaire],
) -> Pg<BTreeMap<String, Questionnaire>> {
    let tx = std::cell::RefCell::new(tx);
    super::release::choose_definitions(
        rows,
        id,
        fallback,
        |h| {
            Ok(tx
                .borrow_mut()
                .query_opt(
                    "SELECT source FROM questionnaire_def WHERE hash = $1",
                    &[&h],
                )?
                .map(|r| r.get::<_, String>(0)))
        },
        |q| keep_definition(&mut tx.borrow_mut(), &q.hash, &q.id, &q.version, &q.source),
    )
}

fn keep_definition(
    tx: &mut Transaction,
    hash: &str,
    id: &str,
    version: &str,
    source: &str,
) -> Pg<()> {
    if source.is_empty() {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO questionnaire_def (hash, questionnaire_id, version, source)
         VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
        &[&hash, &id, &version, &source],
    )?;
    Ok(())
}

fn action_at(tx: &mut Transaction, id: i64, day: Option<NaiveDate>) -> Pg<Option<TeamAction>> {
    let row = tx.query_opt(
        "SELECT a.team, a.created_on, v.changed_on, v.data FROM team_action a
         JOIN team_action_version v ON v.action_id = a.id
         WHERE a.id = $1 AND ($2::date IS NULL OR v.changed_on <= $2)
         ORDER BY v.seq DESC LIMIT 1",
        &[&id, &day],
    )?;
    Ok(row.and_then(|r| {
        let v: Version = serde_json::from_value(r.get(3)).ok()?;
        Some(TeamAction {
            id,
            team: r.get(0),
            action: v.action,
            owner: v.owner,
            review_on: v.review_on,
            status: crate::model::ActionStatus::parse(&v.status)?,
            learned: v.learned,
            created_on: r.get(1),
            updated_on: r.get(2),
            pebble: v.pebble,
            scope: v.scope.as_deref().and_then(ActionScope::parse),
        })
    }))
}

fn log_version(tx: &mut Transaction, a: &TeamAction, on: NaiveDate) -> Pg<()> {
    let data = serde_json::to_value(Version::of(a))?;
    tx.execute(
        "INSERT INTO team_action_version (action_id, changed_on, data) VALUES ($1, $2, $3)",
        &[&a.id, &on, &data],
    )?;
    Ok(())
}

/// The first day of the first period rule (PostgreSQL's dates start in
/// 4713 BC, so not `NaiveDate::MIN`): before any entry.
fn since_always() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

/// A random positive id: nothing about an entry follows from its id.
fn random_id() -> i64 {
    ((crate::anonymity::os_seed() >> 1) as i64).max(1)
}

impl PgStore {
    /// Connect to a ward's database at `addr` (a libpq-style string or
    /// URL), as whichever role the connection logs in as. The schema must
    /// be this build's: `joy server init` makes or migrates it.
    pub fn connect(addr: impl Into<ServerAddress>) -> Result<PgStore> {
        let mut s = PgStore::open(&addr.into())?;
        let place = s.place.clone();
        let found: std::result::Result<i32, postgres::Error> = s
            .client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .map(|r| r.get(0));
        match found {
            Ok(v) if v == SCHEMA_VERSION => Ok(s),
            Ok(v) if v > SCHEMA_VERSION => Err(failed(
                &place,
                "checking the schema",
                format!("the server's schema is version {v}, newer than this joy-kiosk knows ({SCHEMA_VERSION}); update joy-kiosk on this terminal"),
            )),
            Ok(v) => Err(failed(
                &place,
                "checking the schema",
                format!("the server's schema is version {v}, older than this joy-kiosk's ({SCHEMA_VERSION}); the server's admin runs `joy server init` to bring it up to date"),
            )),
            Err(e) => Err(failed(
                &place,
                "checking the schema",
                format!("{} (is this a joy-kiosk database? The server's admin runs `joy server init` first)", describe(&e)),
            )),
        }
    }

    /// Make or migrate the schema and the ward's roles (`<prefix>_terminal`,
    /// `<prefix>_huddle`, `<prefix>_admin`), as the database's owner.
    pub fn init(addr: impl Into<ServerAddress>, prefix: &str) -> Result<PgStore> {
        let addr = addr.into();
        let ok = !prefix.is_empty()
            && prefix.len() <= 40
            && prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !prefix.starts_with(|c: char| c.is_ascii_digit());
        let mut s = PgStore::open(&addr)?;
        if !ok {
            return Err(failed(
                &s.place,
                "making the roles",
                format!("\"{prefix}\" cannot name roles: use lower-case letters, digits and _, starting with a letter"),
            ));
        }
        s.migrate()?;
        let sql = ROLES_SQL.replace("{P}", prefix).replace("{S}", "public");
        let place = s.place.clone();
        s.client
            .batch_execute(&sql)
            .map_err(|e| failed(&place, "making the roles", describe(&e)))?;
        Ok(s)
    }

    fn open(addr: &ServerAddress) -> Result<PgStore> {
        let prepared = super::pgconnect::prepare(addr)?;
        let place = prepared.place.clone();
        let trusted = prepared.trusted.clone();
        let client = prepared.connect().map_err(|e| {
            let cause = describe(&e);
            match super::pgconnect::advice(&cause, trusted.as_deref()) {
                Some(what) => failed(&place, "connecting", format!("{cause}; {what}")),
                None => failed(&place, "connecting", cause),
            }
        })?;
        Ok(PgStore { client, place })
    }

    /// Submit an entry under the terminal's random global `id` (the
    /// outbox's): sent again, it is kept once.
    pub fn submit_with_id(&mut self, id: i64, e: &super::outbox::OutboxEntry) -> Result<()> {
        self.submit_day(&[(id, e.clone())])
    }

    /// Submit a whole day's entries in one transaction (the outbox's
    /// round): all of them or, on any failure, none. Sent again, each is
    /// kept once.
    pub fn submit_day(&mut self, entries: &[(i64, super::outbox::OutboxEntry)]) -> Result<()> {
        let zone = system_zone().name().to_string();
        let day = day_json(entries);
        self.tx("saving a day's entries", |tx| {
            tx.query_one("SELECT joy_submit_day($1, $2)", &[&day, &zone])?;
            Ok(())
        })
    }

    /// Retention on the server, by whole periods (as the SQLite store's
    /// purge): entries of every period whose last day is before `cutoff`
    /// go, with their released texts; released figures stay. Anonymous
    /// check-ins (no period) go by their date. Questionnaire files no entry
    /// uses any more are forgotten. Returns how many entries went.
    pub fn prune(&mut self, cutoff: NaiveDate) -> Result<u64> {
        self.tx("deleting entries past retention", |tx| {
            let groups: Vec<(String, String, String)> = tx
                .query(
                    "SELECT DISTINCT team, questionnaire_id, period FROM entry
                     WHERE team IS NOT NULL AND period IS NOT NULL",
                    &[],
                )?
                .into_iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            let mut n = 0;
            for (team, q, period) in groups {
                if !Period::parse(&period).is_ok_and(|p| p.last_day() < cutoff) {
                    continue;
                }
                n += tx.execute(
                    "DELETE FROM entry WHERE team = $1 AND questionnaire_id = $2 AND period = $3",
                    &[&team, &q, &period],
                )?;
                tx.execute(
                    "UPDATE team_release SET texts = NULL
                     WHERE team = $1 AND questionnaire_id = $2 AND period = $3",
                    &[&team, &q, &period],
                )?;
            }
            n += tx.execute(
                "DELETE FROM entry WHERE period IS NULL AND completed_on < $1",
                &[&cutoff],
            )?;
            tx.execute(
                "DELETE FROM questionnaire_def WHERE hash NOT IN (SELECT file_hash FROM entry)",
                &[],
            )?;
            Ok(n)
        })
    }

    /// The server's clock (releases by `joy server release` use it).
    pub fn server_now(&mut self) -> Result<DateTime<Utc>> {
        self.tx("reading the server's clock", |tx| {
            Ok(tx.query_one("SELECT now()", &[])?.get(0))
        })
    }

    /// Put `teams` in `ward` (a trust's server holds several wards; a team
    /// belongs to one). Releases made before keep the teams they had.
    /// Returns the teams that moved from another ward, with it.
    pub fn set_ward(&mut self, ward: &str, teams: &[String]) -> Result<Vec<(String, String)>> {
        self.tx("setting a ward's teams", |tx| {
            let mut moved = Vec::new();
            for team in teams {
                if let Some(r) = tx.query_opt(
                    "SELECT ward FROM ward_team WHERE team = $1 AND ward <> $2",
                    &[team, &ward],
                )? {
                    moved.push((team.clone(), r.get(0)));
                }
                tx.execute(
                    "INSERT INTO ward_team (team, ward) VALUES ($1, $2)
                     ON CONFLICT (team) DO UPDATE SET ward = excluded.ward",
                    &[team, &ward],
                )?;
            }
            Ok(moved)
        })
    }

    /// Let login or group `role` (a member of `<prefix>_reader`) read
    /// `ward` only: its releases, total, teams and actions.
    /// Refused, with what to do, for a ward with no team, a role that does
    /// not exist, or one that reads every ward already.
    pub fn add_ward_reader(&mut self, ward: &str, role: &str) -> Result<()> {
        let place = self.place.clone();
        let why = self.tx("letting a role read a ward", |tx| {
            let wards: Vec<String> = tx
                .query("SELECT DISTINCT ward FROM ward_team ORDER BY 1", &[])?
                .into_iter()
                .map(|r| r.get(0))
                .collect();
            if !wards.iter().any(|w| w == ward) {
                return Ok(Some(if wards.is_empty() {
                    format!("there is no ward called \"{ward}\" (no wards yet): put teams in it first with --ward \"{ward}\" --team TEAM")
                } else {
                    format!("there is no ward called \"{ward}\". Wards: {}", wards.join(", "))
                }));
            }
            let Some(oid) = tx
                .query_opt("SELECT oid FROM pg_roles WHERE rolname = $1", &[&role])?
                .map(|r| r.get::<_, postgres::types::Oid>(0))
            else {
                return Ok(Some(format!(
                    "there is no role called \"{role}\" on this server: CREATE ROLE {role} LOGIN IN ROLE <prefix>_reader first (docs/deploy.md)"
                )));
            };
            let all: Option<String> = tx
                .query_opt(
                    "SELECT r.role FROM ward_reader r JOIN pg_roles g ON g.rolname = r.role
                     WHERE r.ward = '*' AND pg_has_role($1::oid, g.oid, 'MEMBER') LIMIT 1",
                    &[&oid],
                )?
                .map(|r| r.get(0));
            if let Some(all) = all {
                return Ok(Some(format!(
                    "\"{role}\" reads every ward already (it is, or is a member of, {all}): a screen for one ward logs in as a member of <prefix>_reader only"
                )));
            }
            tx.execute(
                "INSERT INTO ward_reader (role, ward) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&role, &ward],
            )?;
            Ok(None)
        })?;
        match why {
            Some(why) => Err(failed(&place, "letting a role read a ward", why)),
            None => Ok(()),
        }
    }

    /// `role` reads `ward` no more. False if it did not.
    pub fn remove_ward_reader(&mut self, ward: &str, role: &str) -> Result<bool> {
        self.tx("removing a ward's reader", |tx| {
            Ok(tx.execute(
                "DELETE FROM ward_reader WHERE role = $1 AND ward = $2 AND ward <> '*'",
                &[&role, &ward],
            )? > 0)
        })
    }

    /// Who reads which ward ('*': every ward), by role.
    pub fn ward_readers(&mut self) -> Result<Vec<(String, String)>> {
        self.tx("reading who reads which ward", |tx| {
            Ok(tx
                .query(
                    "SELECT role, ward FROM ward_reader ORDER BY role, ward",
                    &[],
                )?
                .into_iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect())
        })
    }

    /// Take a ward's SQLite history (`joy server import`), all or nothing,
    /// into a server that holds no entry and no release yet: its rules,
    /// time zone and staff numbers with their dates, the questionnaire
    /// files, every anonymous entry as the file filed it (under the file's
    /// own random id), every release as released, and every action with
    /// its versions. Returns (entries, releases, actions) taken.
    pub fn import_handover(
        &mut self,
        h: &super::handover::Handover,
        ward: Option<&str>,
    ) -> Result<(usize, usize, usize)> {
        let place = self.place.clone();
        let done = self.tx("importing a ward's file", |tx| {
            // One import at a time: the checks below hold until it commits.
            tx.execute("SELECT pg_advisory_xact_lock(hashtext('joy import'))", &[])?;
            let busy: i64 = tx
                .query_one(
                    "SELECT (SELECT count(*) FROM entry) + (SELECT count(*) FROM team_release)
                          + (SELECT count(*) FROM team_action) + (SELECT count(*) FROM team_rules)
                          + (SELECT count(*) FROM period_rule) + (SELECT count(*) FROM team_headcount)
                          + (SELECT count(*) FROM ward_team)
                          + (SELECT count(*) FROM setting WHERE key = 'store.time_zone')",
                    &[],
                )?
                .get(0);
            if busy > 0 {
                let Some(ward) = ward else {
                    return Ok(Err(IMPORT_NOT_EMPTY.to_string()));
                };
                if let Some(why) = merge_refused(tx, h, ward)? {
                    return Ok(Err(why));
                }
            } else {
                import_rules(tx, h)?;
            }
            import_shared(tx, h, ward, busy == 0).map(Ok)
        })?;
        done.map_err(|why| failed(&place, "importing", &why))
    }

    /// Fill an empty database with a demo ward's reflections (`rows`, each
    /// marked as demo data) in ward `ward`, to try the huddle, the trust
    /// view and the roles before a real period has closed. Refused where
    /// the database holds anything: demo figures would mix with real ones
    /// in the trust's totals.
    pub fn demo(&mut self, ward: &str, rows: &[NewCheckin]) -> Result<()> {
        let place = self.place.clone();
        let entries: Vec<(i64, super::outbox::OutboxEntry)> = rows
            .iter()
            .map(|c| {
                (
                    random_id(),
                    super::outbox::OutboxEntry::of(c, c.completed_at),
                )
            })
            .collect();
        let teams: Vec<String> = crate::reflection_gen::DEMO_TEAMS
            .iter()
            .map(|t| t.to_string())
            .collect();
        let done = self.tx("adding a demo ward", |tx| {
            tx.execute("SELECT pg_advisory_xact_lock(hashtext('joy import'))", &[])?;
            let busy: i64 = tx
                .query_one(
                    "SELECT (SELECT count(*) FROM entry) + (SELECT count(*) FROM team_release)
                          + (SELECT count(*) FROM team_action) + (SELECT count(*) FROM ward_team)",
                    &[],
                )?
                .get(0);
            if busy > 0 {
                return Ok(false);
            }
            let zone = zone(tx)?.name().to_string();
            tx.query_one(
                "SELECT joy_submit_day($1, $2)",
                &[&day_json(&entries), &zone],
            )?;
            for team in &teams {
                tx.execute(
                    "INSERT INTO ward_team (team, ward) VALUES ($1, $2)",
                    &[team, &ward],
                )?;
            }
            Ok(true)
        })?;
        if done {
            Ok(())
        } else {
            Err(failed(
                &place,
                "adding a demo ward",
                "this database holds entries, releases, actions or wards already: a demo goes only into a new, empty database (make one with `createdb` and `joy server init`), never beside real figures",
            ))
        }
    }

    /// The wards and their teams, by name.
    pub fn wards(&mut self) -> Result<Vec<(String, Vec<String>)>> {
        self.tx("reading the wards", |tx| {
            let mut out: Vec<(String, Vec<String>)> = Vec::new();
            for r in tx.query("SELECT ward, team FROM ward_team ORDER BY ward, team", &[])? {
                let (w, t): (String, String) = (r.get(0), r.get(1));
                match out.last_mut() {
                    Some((last, teams)) if *last == w => teams.push(t),
                    _ => out.push((w, vec![t])),
                }
            }
            Ok(out)
        })
    }

    /// Release each ward's total of every closed period not yet released
    /// for it (after its teams'), with the teams it was made of. Returns
    /// how many were released.
    fn release_wards(
        &mut self,
        today: NaiveDate,
        t: Thresholds,
        fallback: &[Questionnaire],
    ) -> Result<usize> {
        let groups: Vec<(String, String, String)> =
            self.tx("finding closed ward periods", |tx| {
                Ok(tx
                    .query(
                        "SELECT DISTINCT w.ward, e.questionnaire_id, e.period
                     FROM entry e JOIN ward_team w ON w.team = e.team
                     WHERE e.period IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM ward_release r WHERE r.ward = w.ward
                            AND r.questionnaire_id = e.questionnaire_id AND r.period = e.period)
                     ORDER BY 1, 2, 3",
                        &[],
                    )?
                    .into_iter()
                    .map(|r| (r.get(0), r.get(1), r.get(2)))
                    .collect())
            })?;
        let mut released = 0;
        for (ward, q, period) in groups {
            let Ok(p) = Period::parse(&period) else {
                continue;
            };
            if !p.closed_by(today) {
                continue;
            }
            let seed = crate::anonymity::os_seed();
            let done = self.tx("releasing a ward's period", |tx| {
                tx.execute(
                    "SELECT pg_advisory_xact_lock(hashtext($1))",
                    &[&format!("ward\u{1f}{ward}\u{1f}{q}\u{1f}{period}")],
                )?;
                let already = tx
                    .query_opt(
                        "SELECT 1 FROM ward_release WHERE ward = $1 AND questionnaire_id = $2 AND period = $3",
                        &[&ward, &q, &period],
                    )?
                    .is_some();
                if already {
                    return Ok(false);
                }
                let teams: Vec<String> = tx
                    .query(
                        "SELECT DISTINCT e.team FROM entry e JOIN ward_team w ON w.team = e.team
                         WHERE w.ward = $1 AND e.questionnaire_id = $2 AND e.period = $3 ORDER BY 1",
                        &[&ward, &q, &period],
                    )?
                    .into_iter()
                    .map(|r| r.get(0))
                    .collect();
                let mut rows = Vec::new();
                for team in &teams {
                    rows.extend(reflections(tx, team, &q, &period)?);
                }
                let defs = definitions(tx, &rows, &q, fallback)?;
                let Some(kept) = prepare_release(&defs, &ward, p, &rows, t, today, seed, None)?
                else {
                    return Ok(false);
                };
                // A ward's texts are its teams': never kept twice.
                tx.execute(
                    "INSERT INTO ward_release (ward, questionnaire_id, period, released_on, reflections, teams, figures)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        &ward,
                        &q,
                        &period,
                        &today,
                        &(kept.reflections as i32),
                        &teams,
                        &kept.figures,
                    ],
                )?;
                Ok(true)
            })?;
            released += usize::from(done);
        }
        Ok(released)
    }

    /// A released period of `q` across the trust: the trust total and each
    /// ward's total with its teams' releases (the teams it was made of at
    /// its release; a team in no ward stands as a ward of its own).
    pub fn trust_period(
        &mut self,
        q: &str,
        period: Period,
    ) -> Result<(Option<Release>, Vec<crate::trust::WardReleases>)> {
        self.tx("reading the trust's period", |tx| {
            let p = period.to_string();
            let mut total = None;
            let mut teams: BTreeMap<String, Release> = BTreeMap::new();
            for r in tx.query(
                "SELECT team, figures, texts FROM team_release WHERE questionnaire_id = $1 AND period = $2",
                &[&q, &p],
            )? {
                let team: String = r.get(0);
                let release = release_of(r.get(1), r.get(2));
                if team == crate::ward::WARD_TOTAL {
                    total = release;
                } else if let Some(rel) = release {
                    teams.insert(team, rel);
                }
            }
            let mut wards = Vec::new();
            for r in tx.query(
                "SELECT ward, teams, figures FROM ward_release WHERE questionnaire_id = $1 AND period = $2 ORDER BY ward",
                &[&q, &p],
            )? {
                let (ward, members, figures): (String, Vec<String>, String) =
                    (r.get(0), r.get(1), r.get(2));
                let Some(total) = release_of(&figures, None) else {
                    continue;
                };
                let mine: Vec<Release> = members.iter().filter_map(|t| teams.remove(t)).collect();
                wards.push(crate::trust::WardReleases {
                    ward,
                    total,
                    teams: mine,
                });
            }
            // Teams in no ward's release: each a ward of its own.
            for (team, rel) in teams {
                wards.push(crate::trust::WardReleases {
                    ward: team,
                    total: rel.clone(),
                    teams: vec![rel],
                });
            }
            Ok((total, wards))
        })
    }

    /// The periods released for the trust total or any ward the login
    /// reads, newest first.
    pub fn released_trust_periods(&mut self) -> Result<Vec<Period>> {
        let v: Vec<String> = self.tx("reading what was released", |tx| {
            Ok(tx
                .query(
                    "SELECT period FROM team_release WHERE team = ''
                     UNION SELECT period FROM ward_release",
                    &[],
                )?
                .into_iter()
                .map(|r| r.get(0))
                .collect())
        })?;
        let mut out: Vec<Period> = v.iter().filter_map(|s| Period::parse(s).ok()).collect();
        out.sort_by_key(|p| std::cmp::Reverse(p.last_day()));
        Ok(out)
    }

    /// The questionnaires released for the trust (or ward) total in `period`.
    pub fn team_questionnaires_released(&mut self, period: Period) -> Result<Vec<String>> {
        self.tx("reading what was released", |tx| {
            Ok(tx
                .query(
                    "SELECT questionnaire_id FROM team_release WHERE team = '' AND period = $1
                     UNION SELECT questionnaire_id FROM ward_release WHERE period = $1 ORDER BY 1",
                    &[&period.to_string()],
                )?
                .into_iter()
                .map(|r| r.get(0))
                .collect())
        })
    }

    /// Every team with a staff number recorded (with reflections or not).
    pub fn headcount_teams(&mut self) -> Result<Vec<String>> {
        self.tx("reading the staff numbers", |tx| {
            Ok(tx
                .query(
                    "SELECT DISTINCT team FROM team_headcount ORDER BY team",
                    &[],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect())
        })
    }

    /// What `joy server status` shows (the admin role's view).
    pub fn status(&mut self) -> Result<ServerStatus> {
        self.tx("reading the server's state", |tx| {
            let version: i32 = tx
                .query_one(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations",
                    &[],
                )?
                .get(0);
            let entries: i64 = tx.query_one("SELECT count(*) FROM entry", &[])?.get(0);
            let releases: i64 = tx
                .query_one("SELECT count(*) FROM team_release WHERE team <> ''", &[])?
                .get(0);
            let last = tx
                .query_opt(
                    "SELECT period, released_on FROM team_release WHERE team <> ''
                     ORDER BY released_on DESC, period DESC LIMIT 1",
                    &[],
                )?
                .map(|r| (r.get::<_, String>(0), r.get::<_, NaiveDate>(1)));
            let late: i64 = tx
                .query_one("SELECT count(*) FROM entry WHERE filed_late", &[])?
                .get(0);
            let zone = zone(tx)?.name().to_string();
            Ok(ServerStatus {
                late: late.max(0) as u64,
                version,
                entries: entries.max(0) as u64,
                releases: releases.max(0) as u64,
                last_release: last,
                time_zone: zone,
                rules: rules_in(tx)?,
            })
        })
    }

    /// The schema version on the server.
    pub fn schema_version(&mut self) -> Result<i32> {
        self.tx("reading the schema version", |tx| {
            Ok(tx
                .query_one(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations",
                    &[],
                )?
                .get(0))
        })
    }

    fn migrate(&mut self) -> Result<()> {
        let place = self.place.clone();
        let run = |c: &mut Client| -> Pg<()> {
            let mut tx = c.transaction()?;
            // One migrator at a time.
            tx.execute("SELECT pg_advisory_xact_lock(7474)", &[])?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            )?;
            let done: i32 = tx
                .query_one(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations",
                    &[],
                )?
                .get(0);
            if done > SCHEMA_VERSION {
                // Never run an older build's migrations on a newer schema.
                return Ok(());
            }
            for (i, m) in MIGRATIONS.iter().enumerate() {
                let v = i as i32 + 1;
                if v > done {
                    tx.batch_execute(m)?;
                    tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&v])?;
                }
            }
            Ok(tx.commit()?)
        };
        run(&mut self.client)
            .map_err(|e| failed(&place, "bringing the schema up to date", e.describe()))?;
        // A newer schema: say so (as connect does).
        let v = self.schema_version()?;
        if v > SCHEMA_VERSION {
            return Err(failed(
                &place,
                "checking the schema",
                format!("the server's schema is version {v}, newer than this joy-kiosk knows ({SCHEMA_VERSION}); update joy-kiosk"),
            ));
        }
        Ok(())
    }

    /// Run `f` in one transaction; `what` names it in an error.
    fn tx<T>(&mut self, what: &str, f: impl FnOnce(&mut Transaction) -> Pg<T>) -> Result<T> {
        let place = self.place.clone();
        let run = |c: &mut Client| -> Pg<T> {
            let mut tx = c.transaction()?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(&mut self.client).map_err(|e| failed(&place, what, e.describe()))
    }

    /// Record the ward's time zone (an IANA name).
    pub fn set_time_zone(&mut self, tz: Tz) -> Result<()> {
        self.tx("recording the time zone", |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&TIME_ZONE, &tz.name()],
            )?;
            Ok(())
        })
    }
}

impl TeamStore for PgStore {
    fn submit(&mut self, entry: &NewCheckin) -> Result<i64> {
        let id = random_id();
        self.submit_with_id(
            id,
            &super::outbox::OutboxEntry::of(entry, entry.completed_at),
        )?;
        Ok(id)
    }

    fn teams(&mut self, questionnaire: Option<&str>) -> Result<Vec<String>> {
        self.tx("reading the teams", |tx| {
            let rows = tx.query("SELECT joy_teams($1)", &[&questionnaire])?;
            Ok(rows.into_iter().map(|r| r.get(0)).collect())
        })
    }

    fn team_questionnaires(&mut self, team: &str) -> Result<Vec<String>> {
        self.tx("reading a team's questionnaires", |tx| {
            let rows = tx.query("SELECT joy_team_questionnaires($1)", &[&team])?;
            Ok(rows.into_iter().map(|r| r.get(0)).collect())
        })
    }

    fn team_period(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<PeriodView> {
        self.tx("reading a team's period", |tx| {
            let start = period.first_day();
            let from = start - chrono::Duration::days(31 * crate::huddle::TREND_PERIODS as i64);
            let all = releases_where(tx, team, questionnaire, |p| {
                p == period || (p.first_day() < start && p.last_day() >= from)
            })?;
            let mut mine = None;
            let mut earlier = Vec::new();
            for (p, r) in all {
                if p == period {
                    mine = Some(r);
                } else if p.first_day() < start && p.last_day() >= from {
                    earlier.push(r);
                }
            }
            match mine {
                Some(release) => Ok(PeriodView::Released {
                    release: Box::new(release),
                    earlier,
                }),
                None => {
                    let have: i64 = tx
                        .query_one(
                            "SELECT joy_period_count($1, $2, $3)",
                            &[&team, &questionnaire, &period.to_string()],
                        )?
                        .get(0);
                    Ok(PeriodView::Open {
                        have: have.max(0) as usize,
                        headcount: headcount_in(tx, team)?,
                    })
                }
            }
        })
    }

    fn released_periods(&mut self, team: &str) -> Result<Vec<Period>> {
        let v: Vec<String> = self.tx("reading released periods", |tx| {
            let rows = tx.query(
                "SELECT DISTINCT period FROM team_release WHERE team = $1",
                &[&team],
            )?;
            Ok(rows.into_iter().map(|r| r.get(0)).collect())
        })?;
        let mut out: Vec<Period> = v.iter().filter_map(|s| Period::parse(s).ok()).collect();
        out.sort_by_key(|p| std::cmp::Reverse(p.last_day()));
        Ok(out)
    }

    fn ward_period(
        &mut self,
        team: &str,
        questionnaire: &str,
        period: Period,
    ) -> Result<super::usecases::WardPeriod> {
        self.tx("reading the ward's period", |tx| {
            // A trust's server: the ward the team was in when the period
            // was released, with the teams it was made of (those this login
            // reads; a team it may not read counts as hidden beside the
            // total, see `ward::view`).
            let p = period.to_string();
            if let Some(r) = tx.query_opt(
                "SELECT ward, teams, figures FROM ward_release
                 WHERE questionnaire_id = $1 AND period = $2 AND $3 = ANY (teams)",
                &[&questionnaire, &p, &team],
            )? {
                let (ward, members, figures): (String, Vec<String>, String) =
                    (r.get(0), r.get(1), r.get(2));
                let mut teams = Vec::new();
                for r in tx.query(
                    "SELECT team, figures, texts FROM team_release
                     WHERE questionnaire_id = $1 AND period = $2 AND team = ANY ($3)",
                    &[&questionnaire, &p, &members],
                )? {
                    teams.extend(release_of(r.get(1), r.get(2)));
                }
                return Ok(super::usecases::WardPeriod {
                    name: Some(ward),
                    total: release_of(&figures, None),
                    teams,
                });
            }
            // Wards on this server, but none released with this team (or
            // none this login reads): no ward to show, never the trust's
            // total under a ward's name.
            let wards: i64 = tx
                .query_one("SELECT count(*) FROM ward_team", &[])?
                .get(0);
            if wards > 0 {
                return Ok(super::usecases::WardPeriod::default());
            }
            let rows = tx.query(
                "SELECT team, figures, texts FROM team_release WHERE questionnaire_id = $1 AND period = $2",
                &[&questionnaire, &period.to_string()],
            )?;
            let mut total = None;
            let mut teams = Vec::new();
            for r in rows {
                let team: String = r.get(0);
                let release = release_of(r.get(1), r.get(2));
                if team == crate::ward::WARD_TOTAL {
                    total = release;
                } else {
                    teams.extend(release);
                }
            }
            Ok(super::usecases::WardPeriod {
                name: None,
                total,
                teams,
            })
        })
    }

    fn release_closed(
        &mut self,
        now: DateTime<Utc>,
        fallback: &[Questionnaire],
        t: Thresholds,
    ) -> Result<ReleaseReport> {
        let (today, t, groups) = self.tx("finding closed periods", |tx| {
            let tz = zone(tx)?;
            let today = now.with_timezone(&tz).date_naive();
            let t = t.for_release(rules_in(tx)?);
            let rows = tx.query(
                "SELECT DISTINCT e.team, e.questionnaire_id, e.period FROM entry e
                 WHERE e.team IS NOT NULL AND e.period IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM team_release r WHERE r.team = e.team
                        AND r.questionnaire_id = e.questionnaire_id AND r.period = e.period)
                 UNION
                 SELECT DISTINCT '', e.questionnaire_id, e.period FROM entry e
                 WHERE e.team IS NOT NULL AND e.period IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM team_release r WHERE r.team = ''
                        AND r.questionnaire_id = e.questionnaire_id AND r.period = e.period)
                 ORDER BY 1, 2, 3",
                &[],
            )?;
            let groups: Vec<(String, String, String)> = rows
                .into_iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            Ok((today, t, groups))
        })?;
        let mut report = ReleaseReport::default();
        for (team, q, period) in groups {
            let Ok(p) = Period::parse(&period) else {
                continue;
            };
            if !p.closed_by(today) {
                continue;
            }
            let seed = crate::anonymity::os_seed();
            let done = self.tx("releasing a period", |tx| {
                // One releaser of a period at a time; a second finds it done.
                tx.execute(
                    "SELECT pg_advisory_xact_lock(hashtext($1))",
                    &[&format!("{team}\u{1f}{q}\u{1f}{period}")],
                )?;
                if is_released(tx, &team, &q, p)? {
                    return Ok(Some(false));
                }
                let rows = reflections(tx, &team, &q, &period)?;
                let defs = definitions(tx, &rows, &q, fallback)?;
                let headcount = headcount_in(tx, &team)?;
                let Some(kept) =
                    prepare_release(&defs, &team, p, &rows, t, today, seed, headcount)?
                else {
                    return Ok(None);
                };
                tx.execute(
                    "INSERT INTO team_release (team, questionnaire_id, period, released_on, reflections, figures, texts)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        &team,
                        &q,
                        &period,
                        &today,
                        &(kept.reflections as i32),
                        &kept.figures,
                        &kept.texts,
                    ],
                )?;
                Ok(Some(true))
            })?;
            report.count(team, q, p, done);
        }
        report.wards = self.release_wards(today, t, fallback)?;
        Ok(report)
    }

    fn rules(&mut self) -> Result<Option<TeamRules>> {
        self.tx("reading the ward's rules", rules_in)
    }

    fn set_rules(&mut self, rules: &TeamRules, now: DateTime<Utc>) -> Result<bool> {
        let k = rules.min_group.max(crate::anonymity::MIN_K);
        let text = rules.min_group_text.max(k);
        let new = TeamRules {
            min_group: k,
            min_group_text: text,
        };
        self.tx("recording the ward's rules", |tx| {
            if rules_in(tx)? == Some(new) {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO team_rules (min_group, min_group_text, changed_at) VALUES ($1, $2, $3)",
                &[&(k as i32), &(text as i32), &now],
            )?;
            Ok(true)
        })
    }

    fn ward_settings(&mut self, teams: &[String], now: DateTime<Utc>) -> Result<WardSettings> {
        self.tx("reading the ward's settings", |tx| {
            let today = now.with_timezone(&zone(tx)?).date_naive();
            let mut headcounts = Vec::with_capacity(teams.len());
            for t in teams {
                headcounts.push((t.clone(), headcount_in(tx, t)?));
            }
            let pending = tx
                .query_opt(
                    "SELECT effective_from, kind FROM period_rule WHERE effective_from > $1
                     ORDER BY effective_from LIMIT 1",
                    &[&today],
                )?
                .map(|r| (r.get::<_, NaiveDate>(0), kind_of(r.get(1))));
            Ok(WardSettings {
                rules: rules_in(tx)?,
                kind: kind_on(tx, today)?,
                pending,
                headcounts,
            })
        })
    }

    fn set_period_kind(
        &mut self,
        kind: PeriodKind,
        now: DateTime<Utc>,
    ) -> Result<Option<NaiveDate>> {
        self.tx("recording the period kind", |tx| {
            tx.execute("LOCK TABLE period_rule IN EXCLUSIVE MODE", &[])?;
            let today = now.with_timezone(&zone(tx)?).date_naive();
            let any_rule = tx.query_opt("SELECT 1 FROM period_rule LIMIT 1", &[])?.is_some();
            tx.execute("DELETE FROM period_rule WHERE effective_from > $1", &[&today])?;
            if !any_rule {
                let filed = tx
                    .query_opt(
                        "SELECT period FROM entry WHERE team IS NOT NULL AND period IS NOT NULL
                         ORDER BY completed_on DESC LIMIT 1",
                        &[],
                    )?
                    .and_then(|r| Period::parse(r.get::<_, &str>(0)).ok())
                    .map(|p| p.kind());
                let first = filed.unwrap_or(kind);
                tx.execute(
                    "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES ($1, $2, $3)",
                    &[&since_always(), &first.as_str(), &now],
                )?;
                if filed.is_none() {
                    return Ok(Some(today));
                }
            }
            let now_kind = kind_on(tx, today)?;
            if now_kind == kind {
                return Ok(None);
            }
            let after = Period::containing(now_kind, today).next().first_day();
            let mut p = Period::containing(kind, after);
            if p.first_day() < after {
                p = p.next();
            }
            let from = p.first_day();
            tx.execute(
                "INSERT INTO period_rule (effective_from, kind, changed_at) VALUES ($1, $2, $3)
                 ON CONFLICT (effective_from) DO UPDATE SET kind = excluded.kind, changed_at = excluded.changed_at",
                &[&from, &kind.as_str(), &now],
            )?;
            Ok(Some(from))
        })
    }

    fn set_headcount(&mut self, team: &str, n: usize, now: DateTime<Utc>) -> Result<()> {
        self.tx("recording a headcount", |tx| {
            tx.execute(
                "INSERT INTO team_headcount (team, headcount, changed_at) VALUES ($1, $2, $3)",
                &[&team, &(n.clamp(1, i32::MAX as usize) as i32), &now],
            )?;
            Ok(())
        })
    }

    fn actions(&mut self, team: Option<&str>) -> Result<Vec<TeamAction>> {
        self.tx("reading actions", |tx| {
            let ids: Vec<i64> = tx
                .query(
                    "SELECT id FROM team_action WHERE $1::text IS NULL OR team = $1 ORDER BY id",
                    &[&team],
                )?
                .into_iter()
                .map(|r| r.get(0))
                .collect();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(action_at(tx, id, None)?);
            }
            Ok(out)
        })
    }

    fn action(&mut self, id: i64) -> Result<Option<TeamAction>> {
        self.tx("reading an action", |tx| action_at(tx, id, None))
    }

    fn add_action(&mut self, a: &NewAction, today: NaiveDate) -> Result<i64> {
        self.tx("recording an action", |tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO team_action (team, created_on) VALUES ($1, $2) RETURNING id",
                    &[&a.team.trim(), &today],
                )?
                .get(0);
            let action = TeamAction {
                id,
                team: a.team.trim().to_string(),
                action: a.action.trim().to_string(),
                owner: a.owner.trim().to_string(),
                review_on: a.review_on,
                status: crate::model::ActionStatus::Open,
                learned: String::new(),
                created_on: today,
                updated_on: today,
                pebble: a.pebble.trim().to_string(),
                scope: a.scope,
            };
            log_version(tx, &action, today)?;
            Ok(id)
        })
    }

    fn update_action(&mut self, id: i64, ch: &ActionChange, today: NaiveDate) -> Result<bool> {
        self.tx("updating an action", |tx| {
            // One change to an action at a time. Not `FOR UPDATE`: that
            // needs UPDATE on the table, which no screen's role has (an
            // action changes by new versions, never in place).
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtext('joy action'), $1::integer)",
                &[&(id as i32)],
            )?;
            let Some(mut a) = action_at(tx, id, None)? else {
                return Ok(false);
            };
            ch.apply(&mut a);
            log_version(tx, &a, today)?;
            Ok(true)
        })
    }

    fn undo_action(&mut self, id: i64, _today: NaiveDate) -> Result<bool> {
        self.tx("undoing a change to an action", |tx| {
            // One change to an action at a time. Not `FOR UPDATE`: that
            // needs UPDATE on the table, which no screen's role has (an
            // action changes by new versions, never in place).
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtext('joy action'), $1::integer)",
                &[&(id as i32)],
            )?;
            let n = tx.execute(
                "DELETE FROM team_action_version WHERE action_id = $1
                   AND seq = (SELECT max(seq) FROM team_action_version WHERE action_id = $1)
                   AND (SELECT count(*) FROM team_action_version WHERE action_id = $1) >= 2",
                &[&id],
            )?;
            Ok(n == 1)
        })
    }

    fn actions_as_of(&mut self, team: &str, day: NaiveDate) -> Result<Vec<TeamAction>> {
        self.tx("reading actions as of a day", |tx| {
            let ids: Vec<i64> = tx
                .query(
                    "SELECT id FROM team_action WHERE team = $1 AND created_on <= $2 ORDER BY id",
                    &[&team, &day],
                )?
                .into_iter()
                .map(|r| r.get(0))
                .collect();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(action_at(tx, id, Some(day))?);
            }
            Ok(out)
        })
    }
}

/// A ward's server keeps no private history and no terminal's settings:
/// a screen run on the server (the huddle) never asks for them, and each
/// such use case says where it belongs instead of pretending.
fn not_on_a_server(what: &str) -> StoreError {
    StoreError::Server {
        place: "the ward's server".into(),
        what: what.into(),
        cause: "a ward's server keeps no private history or terminal settings: they stay in each terminal's own file".into(),
    }
}

impl super::usecases::TerminalStore for PgStore {
    fn local_respondent(&mut self) -> Result<i64> {
        Err(not_on_a_server("finding the local person"))
    }
    fn export_history(&mut self, _: i64) -> Result<Vec<crate::model::CheckinRecord>> {
        Err(not_on_a_server("exporting a personal history"))
    }
    fn backup_now(&mut self, _: DateTime<Utc>) -> Result<std::path::PathBuf> {
        Err(not_on_a_server("backing up a personal history"))
    }
    fn save_checkin(&mut self, _: &NewCheckin) -> Result<crate::model::Saved> {
        Err(not_on_a_server("saving a personal check-in"))
    }
    fn home(
        &mut self,
        _: i64,
        _: Option<&crate::kiosk::secret::HistoryKey>,
        _: &[crate::model::HomeWanted<'_>],
        _: usize,
    ) -> Result<Vec<crate::model::HomeFacts>> {
        Err(not_on_a_server("reading a personal history"))
    }
    fn history_page(
        &mut self,
        _: &crate::model::HistoryQuery,
    ) -> Result<crate::model::HistorySlice> {
        Err(not_on_a_server("reading a personal history"))
    }
    fn checkin(
        &mut self,
        _: i64,
        _: Option<&crate::kiosk::secret::HistoryKey>,
        _: i64,
    ) -> Result<Option<crate::model::CheckinRecord>> {
        Err(not_on_a_server("reading a personal check-in"))
    }
    fn delete_checkin(&mut self, _: i64, _: i64) -> Result<bool> {
        Err(not_on_a_server("deleting a personal check-in"))
    }
    fn series(
        &mut self,
        _: i64,
        _: Option<&crate::kiosk::secret::HistoryKey>,
        _: &str,
        _: &str,
        _: Option<DateTime<Utc>>,
    ) -> Result<Vec<crate::model::Point>> {
        Err(not_on_a_server("reading a personal trend"))
    }
    fn pin_attempt(
        &mut self,
        _: &str,
        _: crate::model::PinTarget<'_>,
        _: DateTime<Utc>,
        _: &mut dyn FnMut(Option<&crate::model::StoredSecret>) -> bool,
    ) -> Result<crate::model::PinOutcome> {
        Err(not_on_a_server("checking a PIN"))
    }
    fn create_pin_holder(
        &mut self,
        _: &crate::model::NewHolder,
        _: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        Err(not_on_a_server("making a private code"))
    }
    fn code_salt(&mut self) -> Result<Vec<u8>> {
        Err(not_on_a_server("reading the code salt"))
    }
    fn delete_holder(&mut self, _: i64) -> Result<usize> {
        Err(not_on_a_server("deleting a private code"))
    }
    fn seal_history(
        &mut self,
        _: i64,
        _: &[u8],
        _: &[u8],
        _: &crate::kiosk::secret::HistoryKey,
    ) -> Result<usize> {
        Err(not_on_a_server("sealing a private history"))
    }
    fn suggest_free_code(&mut self, _: usize) -> Result<String> {
        Err(not_on_a_server("suggesting a private code"))
    }
    fn setting(&mut self, _: &str) -> Result<Option<String>> {
        Err(not_on_a_server("reading a terminal's setting"))
    }
    fn set_setting(&mut self, _: &str, _: &str) -> Result<()> {
        Err(not_on_a_server("changing a terminal's setting"))
    }
    fn counts(&mut self, _: DateTime<Utc>) -> Result<crate::model::KioskCounts> {
        Err(not_on_a_server("counting a terminal's data"))
    }
    fn lift_code_lockouts(&mut self, _: DateTime<Utc>) -> Result<usize> {
        Err(not_on_a_server("lifting code locks"))
    }
    fn participation(&mut self, _: DateTime<Utc>) -> Result<Vec<crate::model::Participation>> {
        Err(not_on_a_server("counting participation"))
    }
    fn lift_admin_lockout(&mut self) -> Result<()> {
        Err(not_on_a_server("lifting the admin lock"))
    }
    fn daily_chores(
        &mut self,
        _: DateTime<Utc>,
        _: &super::kiosk::DayJobs<'_>,
    ) -> Result<Option<crate::model::ChoresReport>> {
        // A terminal's chores; the server's releases are `joy server release`.
        Ok(None)
    }
    fn end_of_day(&mut self, _: DateTime<Utc>) -> Result<crate::model::DayEnd> {
        Err(not_on_a_server("rewriting a terminal's file"))
    }
    // The server checks itself (PostgreSQL's own checksums and tools).
    fn check_database(&mut self) -> Result<()> {
        Ok(())
    }
    fn file(&self) -> Option<std::path::PathBuf> {
        None
    }
    fn mark_damaged(&mut self, _: &str) {}
    fn deliver(&mut self, _: &ServerAddress, _: DateTime<Utc>) -> Result<crate::outbox::Delivery> {
        Err(not_on_a_server("delivering an outbox"))
    }
    fn outbox_status(&mut self) -> Result<super::outbox::OutboxStatus> {
        Err(not_on_a_server("reading an outbox"))
    }
}
