//! Numbered, append-only schema migrations, applied in one transaction each. A database whose
//! schema is newer than this binary is refused rather than guessed at.

use crate::store::Error;
use rusqlite::Connection;

/// Every migration, in order; the schema version of a database is how many have been applied
/// (`PRAGMA user_version`). Never edit one that has shipped: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE workflows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'being_edited',
        revision INTEGER NOT NULL,
        simulate INTEGER NOT NULL DEFAULT 0,
        restart_requested INTEGER NOT NULL DEFAULT 0,
        armed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE revisions (
        workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workflow_id, revision)
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workflow_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        trigger TEXT NOT NULL,
        trigger_activity TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        vars TEXT NOT NULL DEFAULT '{}',
        simulate INTEGER NOT NULL DEFAULT 0,
        restart_of INTEGER,
        restart_from TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER
    );
    CREATE INDEX runs_by_status ON runs(status, id);
    CREATE INDEX runs_by_workflow ON runs(workflow_id, id);
    CREATE INDEX runs_by_workflow_status ON runs(workflow_id, status, id);
    CREATE TABLE tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        activity_id TEXT NOT NULL,
        status TEXT NOT NULL,
        wait_reason TEXT,
        attempt INTEGER NOT NULL DEFAULT 0,
        wake_at INTEGER,
        port TEXT,
        args TEXT,
        result TEXT,
        record_count INTEGER,
        stdout TEXT NOT NULL DEFAULT '',
        stderr TEXT NOT NULL DEFAULT '',
        error TEXT,
        reused INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER
    );
    CREATE INDEX tasks_by_run ON tasks(run_id, id);
    CREATE INDEX tasks_active ON tasks(status, wake_at) WHERE status IN ('ready', 'running', 'waiting');
    CREATE TABLE attempts (
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        result TEXT,
        stdout TEXT NOT NULL DEFAULT '',
        stderr TEXT NOT NULL DEFAULT '',
        error TEXT,
        PRIMARY KEY (task_id, attempt)
    );
    CREATE TABLE task_logs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX task_logs_by_task ON task_logs(task_id, id);
    CREATE TABLE run_edges (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        from_activity TEXT NOT NULL,
        port TEXT NOT NULL,
        to_activity TEXT NOT NULL,
        taken INTEGER NOT NULL DEFAULT 0,
        dead INTEGER NOT NULL DEFAULT 0,
        records INTEGER,
        PRIMARY KEY (run_id, from_activity, port, to_activity)
    );
    CREATE TABLE approvals (
        task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
        run_id INTEGER NOT NULL,
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        grp TEXT NOT NULL,
        message TEXT NOT NULL,
        deadline INTEGER,
        default_outcome TEXT NOT NULL,
        decision TEXT,
        comment TEXT,
        decided_by TEXT,
        decided_at INTEGER,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX approvals_open ON approvals(decision) WHERE decision IS NULL;
    CREATE TABLE commands (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workflow_id TEXT,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        applied_at INTEGER,
        outcome TEXT
    );
    CREATE INDEX commands_pending ON commands(id) WHERE applied_at IS NULL;
    CREATE TABLE firings (
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        fire_time INTEGER NOT NULL,
        run_id INTEGER,
        outcome TEXT NOT NULL,
        UNIQUE (workflow_id, activity_id, fire_time)
    );
    CREATE TABLE owner (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        heartbeat INTEGER NOT NULL
    );
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        workflow_id TEXT,
        run_id INTEGER,
        task_id INTEGER,
        payload TEXT NOT NULL DEFAULT '{}'
    );
    "#,
    // 2: the process group of a Run command attempt, so recovery can kill what a crashed
    // owner left running.
    r#"
    ALTER TABLE attempts ADD COLUMN pid INTEGER;
    "#,
    // 3: the local contacts (leads) database, and record sets flowing along transitions — rows
    // owned by the task that produced them, so they go with its purge.
    r#"
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'new',
        tags TEXT NOT NULL DEFAULT '[]',
        custom TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX contacts_by_status ON contacts(status, id);
    CREATE INDEX contacts_by_created ON contacts(created_at, id);
    CREATE TABLE record_sets (
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        port TEXT NOT NULL DEFAULT 'ok',
        contact_id INTEGER NOT NULL,
        PRIMARY KEY (task_id, port, contact_id)
    ) WITHOUT ROWID;
    "#,
    // 4: event triggers — webhook secrets, files already processed, contact events with the
    // cursor each record trigger has read up to.
    r#"
    CREATE TABLE trigger_secrets (
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        token TEXT NOT NULL,
        PRIMARY KEY (workflow_id, activity_id)
    );
    CREATE TABLE seen_files (
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        modified INTEGER NOT NULL,
        run_id INTEGER,
        seen_at INTEGER NOT NULL,
        UNIQUE (workflow_id, activity_id, path, size, modified)
    );
    CREATE TABLE contact_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        contact_id INTEGER NOT NULL,
        status TEXT NOT NULL
    );
    CREATE TRIGGER contacts_inserted AFTER INSERT ON contacts BEGIN
        INSERT INTO contact_events (kind, contact_id, status) VALUES ('new_contact', NEW.id, NEW.status);
    END;
    CREATE TRIGGER contacts_status_changed AFTER UPDATE OF status ON contacts WHEN NEW.status <> OLD.status BEGIN
        INSERT INTO contact_events (kind, contact_id, status) VALUES ('status_changed', NEW.id, NEW.status);
    END;
    CREATE TABLE trigger_cursors (
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        last_event INTEGER NOT NULL,
        PRIMARY KEY (workflow_id, activity_id)
    );
    "#,
    // 5: sub-workflow calls — a run made by a task of another run.
    r#"
    ALTER TABLE runs ADD COLUMN parent_task INTEGER;
    CREATE INDEX runs_by_parent_task ON runs(parent_task) WHERE parent_task IS NOT NULL;
    "#,
    // 6: reliability — lookups whose cost does not grow with the run (a task of an activity,
    // the active tasks of a run, the transitions into an activity); interruptions of a task by
    // the engine counted apart from its attempts; how many times applying a command was begun
    // (a command that crashed the process twice is set aside); when owners ran, so a fire time
    // is known to have been missed.
    r#"
    CREATE INDEX tasks_by_run_activity ON tasks(run_id, activity_id, id);
    CREATE INDEX tasks_active_by_run ON tasks(run_id, id) WHERE status IN ('ready','running','waiting');
    DROP INDEX tasks_active;
    CREATE INDEX tasks_ready ON tasks(id) WHERE status = 'ready';
    CREATE INDEX tasks_ready_wake ON tasks(wake_at) WHERE status = 'ready';
    CREATE INDEX tasks_waiting ON tasks(wake_at) WHERE status = 'waiting';
    CREATE INDEX tasks_running ON tasks(id) WHERE status = 'running';
    CREATE INDEX attempts_running ON attempts(task_id) WHERE status = 'running';
    CREATE INDEX run_edges_into ON run_edges(run_id, to_activity);
    ALTER TABLE tasks ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE commands ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE commands ADD COLUMN try_session INTEGER;
    -- Outcomes are JSON now ({"outcome": "applied", "run": …} or {"outcome": "refused",
    -- "code": …}); older rows keep their words as the detail or the reason.
    UPDATE commands SET outcome = CASE
        WHEN outcome LIKE 'refused%' THEN json_object('outcome', 'refused', 'code', 'WEFT-C002', 'reason', outcome)
        ELSE json_object('outcome', 'applied', 'run', NULL, 'detail', outcome)
    END
    WHERE outcome IS NOT NULL AND json_valid(outcome) = 0;
    CREATE TABLE owner_sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        ended_at INTEGER
    );
    "#,
    // 7: workflow names are unique. Duplicates an older store holds keep their oldest one's name;
    // the others become "Name (n)" with the smallest numbers no workflow already bears (in order
    // of creation), saved as a new revision so the body and the card agree. Never fails: bodies
    // that are not JSON keep their text.
    r#"
    CREATE TEMP TABLE weft_renames AS
    WITH RECURSIVE
        ranked AS (
            SELECT id, name, ROW_NUMBER() OVER (PARTITION BY name ORDER BY created_at, id) AS rn
            FROM workflows
        ),
        dups AS (
            SELECT name, COUNT(*) AS size FROM workflows GROUP BY name HAVING COUNT(*) > 1
        ),
        numbers (name, n, last) AS (
            SELECT name, 2, size + (SELECT COUNT(*) FROM workflows) FROM dups
            UNION ALL
            SELECT name, n + 1, last FROM numbers WHERE n < last
        ),
        free AS (
            SELECT name, n, ROW_NUMBER() OVER (PARTITION BY name ORDER BY n) AS k
            FROM numbers
            WHERE name || ' (' || n || ')' NOT IN (SELECT name FROM workflows)
        )
    SELECT ranked.id AS id, ranked.name || ' (' || free.n || ')' AS new_name
    FROM ranked JOIN free ON free.name = ranked.name AND free.k = ranked.rn - 1
    WHERE ranked.rn > 1;
    INSERT INTO revisions (workflow_id, revision, body, created_at)
    SELECT w.id, w.revision + 1,
           CASE WHEN json_valid(v.body) THEN json_set(v.body, '$.name', r.new_name) ELSE v.body END,
           CAST(strftime('%s', 'now') AS INTEGER) * 1000
    FROM weft_renames r
    JOIN workflows w ON w.id = r.id
    JOIN revisions v ON v.workflow_id = w.id AND v.revision = w.revision;
    UPDATE workflows
    SET name = (SELECT new_name FROM weft_renames r WHERE r.id = workflows.id),
        revision = CASE WHEN EXISTS (
            SELECT 1 FROM revisions v WHERE v.workflow_id = workflows.id AND v.revision = workflows.revision + 1
        ) THEN revision + 1 ELSE revision END
    WHERE id IN (SELECT id FROM weft_renames);
    DROP TABLE weft_renames;
    CREATE UNIQUE INDEX workflows_by_name ON workflows(name);
    "#,
    // 8: access tokens of the HTTP bridge (`weft tokens`). Only the SHA-256 of a token's secret
    // is kept; `id` is the token's public part, by which a request's token is found.
    r#"
    CREATE TABLE access_tokens (
        name TEXT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash BLOB NOT NULL,
        read_only INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    "#,
    // 9: the debugger. A workflow's breakpoints live beside it (not in its file): one JSON list
    // per workflow. A debug run's state (activities stepped from, tasks paused after their end)
    // lives beside the run, so a pause survives a kill of the engine. Revisions say which front
    // door saved them and why.
    r#"
    CREATE TABLE breakpoints (
        workflow_id TEXT PRIMARY KEY REFERENCES workflows(id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE debug_runs (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        state TEXT NOT NULL
    );
    ALTER TABLE revisions ADD COLUMN source TEXT;
    ALTER TABLE revisions ADD COLUMN note TEXT;
    "#,
    // 10: operators of a team server (groups, capabilities); a token may belong to one.
    r#"
    CREATE TABLE operators (
        name TEXT PRIMARY KEY,
        email TEXT,
        groups TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    ALTER TABLE access_tokens ADD COLUMN operator TEXT;
    CREATE INDEX access_tokens_by_operator ON access_tokens(operator);
    "#,
    // 11: every mark of a transition with its time (run_edges only adds them up), so that a
    // run can be replayed from what is kept with it once its events are pruned.
    r#"
    CREATE TABLE run_edge_marks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        from_activity TEXT NOT NULL,
        port TEXT NOT NULL,
        to_activity TEXT NOT NULL,
        taken INTEGER NOT NULL,
        records INTEGER,
        at INTEGER NOT NULL,
        -- The newest task of the run when it was marked: orders it among that millisecond's tasks.
        after_task INTEGER NOT NULL
    );
    CREATE INDEX run_edge_marks_by_run ON run_edge_marks(run_id, at, id);
    "#,
];

/// The schema version this binary writes.
pub fn latest() -> u32 {
    MIGRATIONS.len() as u32
}

/// Brings a database up to [`latest`]; refuses one that is newer. Safe when several processes
/// open the same new store at once: each migration re-reads the version in its own IMMEDIATE
/// transaction, so it is applied by exactly one of them.
pub fn migrate(conn: &mut Connection) -> Result<u32, Error> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(Error::NewerSchema {
            found: current,
            supported: latest(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now as usize > i {
            // Another process applied it meanwhile.
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(latest())
}
