//! Schema migrations, applied in order and counted by `PRAGMA user_version`.
//! Add a migration by appending to [`MIGRATIONS`]; never edit a released one.

/// `PRAGMA application_id` of a joy-kiosk database ("JOY!").
pub const APPLICATION_ID: i32 = 0x4A4F_5921;

/// One migration: SQL, or a step that needs Rust (random numbers).
pub enum Step {
    Sql(&'static str),
    Rust(fn(&rusqlite::Connection) -> rusqlite::Result<()>),
}

impl Step {
    /// Apply this step on `c` (inside the caller's transaction).
    pub fn apply(&self, c: &rusqlite::Connection) -> rusqlite::Result<()> {
        match self {
            Step::Sql(sql) => c.execute_batch(sql),
            Step::Rust(f) => f(c),
        }
    }
}

/// The migration that gives every entry a random id; `Store::open` rewrites
/// the file and scrubs its backups after it.
pub const REKEY_VERSION: i64 = 5;

pub const MIGRATIONS: &[Step] = &[
    // 1: respondents, check-ins (personal, PIN-protected or anonymous; team
    // reflections carry a team), answers and scores.
    Step::Sql(
        r#"
    CREATE TABLE respondent (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('local', 'pin')),
        secret_hash TEXT,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE checkin (
        id                    INTEGER PRIMARY KEY,
        respondent_id         INTEGER REFERENCES respondent(id) ON DELETE CASCADE,
        team                  TEXT,
        questionnaire_id      TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        file_hash             TEXT NOT NULL,
        started_at            INTEGER NOT NULL,
        completed_at          INTEGER NOT NULL,
        is_demo               INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
        CHECK (completed_at >= started_at)
    );
    CREATE INDEX checkin_by_person ON checkin (respondent_id, questionnaire_id, completed_at);
    CREATE INDEX checkin_by_team ON checkin (team, questionnaire_id, completed_at) WHERE team IS NOT NULL;
    CREATE TABLE answer (
        checkin_id  INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        position    INTEGER NOT NULL,
        value_json  TEXT NOT NULL,
        label       TEXT NOT NULL,
        PRIMARY KEY (checkin_id, question_id)
    ) WITHOUT ROWID;
    CREATE TABLE score (
        checkin_id INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
        score_id   TEXT NOT NULL,
        position   INTEGER NOT NULL,
        label      TEXT NOT NULL,
        raw        REAL,
        value      REAL,
        band_label TEXT,
        band_tone  TEXT CHECK (band_tone IN ('good', 'caution', 'alert')),
        PRIMARY KEY (checkin_id, score_id)
    ) WITHOUT ROWID;
    "#,
    ),
    // 2: the trend query also reads `is_demo` (demo data is marked and never
    // compared with real data); keep it in the person index so the query is
    // answered from the index alone, as it was before.
    Step::Sql(
        r#"
    DROP INDEX checkin_by_person;
    CREATE INDEX checkin_by_person ON checkin (respondent_id, questionnaire_id, completed_at, is_demo);
    "#,
    ),
    // 3: kiosk and huddle. A kiosk PIN holder has a personal code (always
    // suggested by the kiosk, never chosen, so creating one cannot reveal
    // whether another exists); wrong PINs are counted per code (known or
    // not) and for the admin PIN; settings hold the admin PIN's argon2id hash
    // and the kiosk's daily chores; team reflections carry their period
    // (ISO week "2026-W47" or month "2026-11"); teams record actions.
    Step::Sql(
        r#"
    ALTER TABLE respondent ADD COLUMN code TEXT;
    CREATE UNIQUE INDEX respondent_by_code ON respondent (code) WHERE code IS NOT NULL;
    CREATE TABLE pin_lockout (
        key          TEXT PRIMARY KEY,
        failures     INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER
    ) WITHOUT ROWID;
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    ALTER TABLE checkin ADD COLUMN period TEXT;
    CREATE INDEX checkin_by_team_period ON checkin (team, questionnaire_id, period) WHERE team IS NOT NULL;
    CREATE TABLE team_action (
        id         INTEGER PRIMARY KEY,
        team       TEXT NOT NULL,
        action     TEXT NOT NULL,
        owner      TEXT NOT NULL DEFAULT '',
        review_on  TEXT,
        status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'testing', 'done', 'dropped')),
        learned    TEXT NOT NULL DEFAULT '',
        created_on TEXT NOT NULL,
        updated_on TEXT NOT NULL
    );
    CREATE INDEX team_action_by_team ON team_action (team, status, review_on);
    "#,
    ),
    // 4: at ward scale (a million check-ins). Trends read a small series
    // table kept by triggers in the same transaction as each score, so a
    // person's trend is one range scan over an index holding exactly the
    // columns it shows (`series_by_person`), instead of a join with one
    // look-up per point. Only personal check-ins with a value are kept;
    // rows go with their check-in (ON DELETE CASCADE). History pages by
    // (completed_at, id) for one person: `checkin_by_person_time`.
    // Existing files are backfilled here.
    Step::Sql(
        r#"
    CREATE TABLE series (
        checkin_id       INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
        score_id         TEXT NOT NULL,
        respondent_id    INTEGER NOT NULL,
        questionnaire_id TEXT NOT NULL,
        completed_at     INTEGER NOT NULL,
        value            REAL NOT NULL,
        is_demo          INTEGER NOT NULL,
        PRIMARY KEY (checkin_id, score_id)
    ) WITHOUT ROWID;
    CREATE INDEX series_by_person ON series (respondent_id, questionnaire_id, score_id, completed_at, value, is_demo);
    CREATE TRIGGER series_on_score AFTER INSERT ON score WHEN NEW.value IS NOT NULL
    BEGIN
        INSERT INTO series (checkin_id, score_id, respondent_id, questionnaire_id, completed_at, value, is_demo)
        SELECT c.id, NEW.score_id, c.respondent_id, c.questionnaire_id, c.completed_at, NEW.value, c.is_demo
        FROM checkin c WHERE c.id = NEW.checkin_id AND c.respondent_id IS NOT NULL;
    END;
    CREATE TRIGGER series_on_score_update AFTER UPDATE OF value, score_id, checkin_id ON score
    BEGIN
        DELETE FROM series WHERE checkin_id = OLD.checkin_id AND score_id = OLD.score_id;
        INSERT INTO series (checkin_id, score_id, respondent_id, questionnaire_id, completed_at, value, is_demo)
        SELECT c.id, NEW.score_id, c.respondent_id, c.questionnaire_id, c.completed_at, NEW.value, c.is_demo
        FROM checkin c WHERE c.id = NEW.checkin_id AND c.respondent_id IS NOT NULL AND NEW.value IS NOT NULL;
    END;
    CREATE TRIGGER series_on_checkin_update AFTER UPDATE OF respondent_id, questionnaire_id, completed_at, is_demo ON checkin
    BEGIN
        DELETE FROM series WHERE checkin_id = OLD.id;
        INSERT INTO series (checkin_id, score_id, respondent_id, questionnaire_id, completed_at, value, is_demo)
        SELECT NEW.id, s.score_id, NEW.respondent_id, NEW.questionnaire_id, NEW.completed_at, s.value, NEW.is_demo
        FROM score s WHERE s.checkin_id = NEW.id AND s.value IS NOT NULL AND NEW.respondent_id IS NOT NULL;
    END;
    INSERT INTO series (checkin_id, score_id, respondent_id, questionnaire_id, completed_at, value, is_demo)
    SELECT c.id, s.score_id, c.respondent_id, c.questionnaire_id, c.completed_at, s.value, c.is_demo
    FROM checkin c JOIN score s ON s.checkin_id = c.id
    WHERE c.respondent_id IS NOT NULL AND s.value IS NOT NULL;
    CREATE INDEX checkin_by_person_time ON checkin (respondent_id, completed_at) WHERE respondent_id IS NOT NULL;
    "#,
    ),
    // 5: every entry (check-in or reflection) gets a random id, so no id
    // orders entries or ties an anonymous one to the private one saved next
    // (see `layout.rs`).
    Step::Rust(super::layout::rekey),
    // 6: private histories only their code and PIN open (see `sealed.rs`).
    // A code is kept as its tag (argon2id with this database's salt, made
    // here), never in clear; a holder keeps the salt and check value of
    // their history key; a sealed check-in keeps its answers and scores in
    // `sealed`, with no answer, score or series rows. Holders made before
    // keep their argon2id PIN hash and clear rows until their next sign-in
    // seals them. Lockout rows keyed by a fast hash of typed codes go.
    Step::Sql(
        r#"
    ALTER TABLE respondent ADD COLUMN code_tag BLOB;
    ALTER TABLE respondent ADD COLUMN key_salt BLOB;
    ALTER TABLE respondent ADD COLUMN key_check BLOB;
    CREATE UNIQUE INDEX respondent_by_tag ON respondent (code_tag) WHERE code_tag IS NOT NULL;
    ALTER TABLE checkin ADD COLUMN sealed BLOB;
    DELETE FROM pin_lockout WHERE key LIKE 'code:%';
    "#,
    ),
    Step::Rust(super::sealed::tag_codes),
    // 8: the ward's anonymity rules belong to the store (issue 16): each
    // change of k and the free-text threshold, with when it was made; the
    // newest is in force. Readers may raise them, never lower them.
    Step::Sql(
        r#"
    CREATE TABLE team_rules (
        changed_at     INTEGER NOT NULL,
        min_group      INTEGER NOT NULL CHECK (min_group >= 3),
        min_group_text INTEGER NOT NULL CHECK (min_group_text >= min_group)
    );
    "#,
    ),
    // 9: released periods (issue 16). Each questionnaire definition is kept
    // the first time something is saved on it, by its hash, so readings use
    // the questionnaire as answered. The period kind belongs to the store,
    // each change with the first day it applies to. A team's figures for a
    // closed period are released once (the primary key: never twice) and
    // kept as released; `texts` goes when retention deletes the period's
    // reflections, the figures stay. Each team's headcount (set by the
    // admin, with when) gives a response rate and marks padding. Actions
    // say which pebble they answer and whether the team can remove it
    // itself or needs the wider system; each version of an action is
    // logged, so a status change can be undone and minutes of a past
    // period show actions as they stood at its end.
    Step::Sql(
        r#"
    CREATE TABLE questionnaire_def (
        hash             TEXT PRIMARY KEY,
        questionnaire_id TEXT NOT NULL,
        version          TEXT NOT NULL,
        source           TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE period_rule (
        effective_from TEXT PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('week', 'month')),
        changed_at     INTEGER NOT NULL
    ) WITHOUT ROWID;
    ALTER TABLE team_action ADD COLUMN pebble TEXT NOT NULL DEFAULT '';
    ALTER TABLE team_action ADD COLUMN scope TEXT CHECK (scope IN ('team', 'system'));
    CREATE TABLE team_action_log (
        action_id  INTEGER NOT NULL REFERENCES team_action (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        changed_on TEXT NOT NULL,
        action     TEXT NOT NULL,
        owner      TEXT NOT NULL,
        review_on  TEXT,
        status     TEXT NOT NULL,
        learned    TEXT NOT NULL,
        pebble     TEXT NOT NULL,
        scope      TEXT,
        PRIMARY KEY (action_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE team_headcount (
        team       TEXT NOT NULL,
        headcount  INTEGER NOT NULL CHECK (headcount > 0),
        changed_at INTEGER NOT NULL
    );
    CREATE TABLE team_release (
        team             TEXT NOT NULL,
        questionnaire_id TEXT NOT NULL,
        period           TEXT NOT NULL,
        released_on      TEXT NOT NULL,
        reflections      INTEGER NOT NULL,
        figures          TEXT NOT NULL,
        texts            TEXT,
        PRIMARY KEY (team, questionnaire_id, period)
    ) WITHOUT ROWID;
    "#,
    ),
    // 10: the outbox (issue 17): anonymous entries waiting for delivery to
    // the ward's server, by a random global id (so a resend is kept once)
    // and their day; sent whole days at a time, after the day has ended.
    Step::Sql(
        r#"
    CREATE TABLE outbox (
        id      INTEGER PRIMARY KEY,
        day     TEXT NOT NULL,
        payload TEXT NOT NULL
    );
    CREATE INDEX outbox_by_day ON outbox (day);
    "#,
    ),
    // 11: where a check-in came from when it was not answered here (issue
    // 19: "Daylio", a FHIR file); NULL for every check-in made in the app.
    Step::Sql("ALTER TABLE checkin ADD COLUMN imported_from TEXT;"),
];
