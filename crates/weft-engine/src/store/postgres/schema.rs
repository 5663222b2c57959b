//! The PostgreSQL schema: numbered, append-only migrations of its own (the SQLite history of
//! seven is folded into the first), each applied in one transaction under an advisory lock, so
//! that servers starting together on a new database apply each exactly once.

use super::{Col, Conn, Link};
use crate::store::{Error, Result};
use std::sync::Arc;

/// Every migration, in order; the schema version is how many have been applied
/// (`weft_schema.version`). Never edit one that has shipped: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: the schema of SQLite migration 7, with leases on tasks and a counter that numbers
    // events in commit order.
    r#"
    CREATE TABLE workflows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'being_edited',
        revision BIGINT NOT NULL,
        simulate BOOLEAN NOT NULL DEFAULT FALSE,
        restart_requested BOOLEAN NOT NULL DEFAULT FALSE,
        armed_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        CONSTRAINT workflows_by_name UNIQUE (name)
    );
    CREATE TABLE revisions (
        workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        revision BIGINT NOT NULL,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (workflow_id, revision)
    );
    CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY,
        workflow_id TEXT NOT NULL,
        revision BIGINT NOT NULL,
        status TEXT NOT NULL,
        trigger TEXT NOT NULL,
        trigger_activity TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        vars TEXT NOT NULL DEFAULT '{}',
        simulate BOOLEAN NOT NULL DEFAULT FALSE,
        restart_of BIGINT,
        restart_from TEXT,
        error TEXT,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        ended_at BIGINT,
        parent_task BIGINT
    );
    CREATE INDEX runs_by_status ON runs(status, id);
    CREATE INDEX runs_by_workflow ON runs(workflow_id, id);
    CREATE INDEX runs_by_workflow_status ON runs(workflow_id, status, id);
    CREATE INDEX runs_by_parent_task ON runs(parent_task) WHERE parent_task IS NOT NULL;
    CREATE TABLE tasks (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        activity_id TEXT NOT NULL,
        status TEXT NOT NULL,
        wait_reason TEXT,
        attempt BIGINT NOT NULL DEFAULT 0,
        wake_at BIGINT,
        port TEXT,
        args TEXT,
        result TEXT,
        record_count BIGINT,
        stdout TEXT NOT NULL DEFAULT '',
        stderr TEXT NOT NULL DEFAULT '',
        error TEXT,
        reused BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        ended_at BIGINT,
        interruptions BIGINT NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until BIGINT
    );
    CREATE INDEX tasks_by_run ON tasks(run_id, id);
    CREATE INDEX tasks_by_run_activity ON tasks(run_id, activity_id, id);
    CREATE INDEX tasks_active_by_run ON tasks(run_id, id) WHERE status IN ('ready','running','waiting');
    CREATE INDEX tasks_ready ON tasks(id) WHERE status = 'ready';
    CREATE INDEX tasks_ready_wake ON tasks(wake_at) WHERE status = 'ready';
    CREATE INDEX tasks_waiting ON tasks(wake_at) WHERE status = 'waiting';
    CREATE INDEX tasks_running ON tasks(id) WHERE status = 'running';
    CREATE INDEX tasks_leases ON tasks(lease_owner) WHERE status = 'running';
    CREATE TABLE attempts (
        task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        attempt BIGINT NOT NULL,
        status TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        ended_at BIGINT,
        result TEXT,
        stdout TEXT NOT NULL DEFAULT '',
        stderr TEXT NOT NULL DEFAULT '',
        error TEXT,
        pid BIGINT,
        worker TEXT,
        PRIMARY KEY (task_id, attempt)
    );
    CREATE INDEX attempts_running ON attempts(task_id) WHERE status = 'running';
    CREATE TABLE task_logs (
        id BIGSERIAL PRIMARY KEY,
        task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        attempt BIGINT NOT NULL,
        at BIGINT NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX task_logs_by_task ON task_logs(task_id, id);
    CREATE TABLE run_edges (
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        from_activity TEXT NOT NULL,
        port TEXT NOT NULL,
        to_activity TEXT NOT NULL,
        taken BIGINT NOT NULL DEFAULT 0,
        dead BOOLEAN NOT NULL DEFAULT FALSE,
        records BIGINT,
        PRIMARY KEY (run_id, from_activity, port, to_activity)
    );
    CREATE INDEX run_edges_into ON run_edges(run_id, to_activity);
    CREATE TABLE approvals (
        task_id BIGINT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
        run_id BIGINT NOT NULL,
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        grp TEXT NOT NULL,
        message TEXT NOT NULL,
        deadline BIGINT,
        default_outcome TEXT NOT NULL,
        decision TEXT,
        comment TEXT,
        decided_by TEXT,
        decided_at BIGINT,
        created_at BIGINT NOT NULL
    );
    CREATE INDEX approvals_open ON approvals(task_id) WHERE decision IS NULL;
    CREATE TABLE commands (
        id BIGSERIAL PRIMARY KEY,
        workflow_id TEXT,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        applied_at BIGINT,
        outcome TEXT,
        tries BIGINT NOT NULL DEFAULT 0,
        try_session BIGINT
    );
    CREATE INDEX commands_pending ON commands(id) WHERE applied_at IS NULL;
    CREATE TABLE firings (
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        fire_time BIGINT NOT NULL,
        run_id BIGINT,
        outcome TEXT NOT NULL,
        UNIQUE (workflow_id, activity_id, fire_time)
    );
    CREATE TABLE owner (
        id BIGINT PRIMARY KEY CHECK (id = 1),
        owner TEXT NOT NULL,
        pid BIGINT NOT NULL,
        heartbeat BIGINT NOT NULL
    );
    CREATE TABLE owner_sessions (
        id BIGSERIAL PRIMARY KEY,
        owner TEXT NOT NULL,
        pid BIGINT NOT NULL,
        started_at BIGINT NOT NULL,
        last_seen BIGINT NOT NULL,
        ended_at BIGINT
    );
    CREATE TABLE events (
        seq BIGINT PRIMARY KEY,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL,
        workflow_id TEXT,
        run_id BIGINT,
        task_id BIGINT,
        payload TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_by_run ON events(run_id) WHERE run_id IS NOT NULL;
    CREATE TABLE event_counter (
        id BIGINT PRIMARY KEY CHECK (id = 1),
        last BIGINT NOT NULL
    );
    INSERT INTO event_counter (id, last) VALUES (1, 0);
    CREATE TABLE contacts (
        id BIGSERIAL PRIMARY KEY,
        email TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'new',
        tags TEXT NOT NULL DEFAULT '[]',
        custom TEXT NOT NULL DEFAULT '{}',
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    );
    CREATE UNIQUE INDEX contacts_by_email ON contacts(lower(email));
    CREATE INDEX contacts_by_status ON contacts(status, id);
    CREATE INDEX contacts_by_created ON contacts(created_at, id);
    CREATE TABLE record_sets (
        task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        port TEXT NOT NULL DEFAULT 'ok',
        contact_id BIGINT NOT NULL,
        PRIMARY KEY (task_id, port, contact_id)
    );
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
        size BIGINT NOT NULL,
        modified BIGINT NOT NULL,
        run_id BIGINT,
        seen_at BIGINT NOT NULL,
        UNIQUE (workflow_id, activity_id, path, size, modified)
    );
    CREATE TABLE contact_events (
        id BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL,
        contact_id BIGINT NOT NULL,
        status TEXT NOT NULL
    );
    CREATE FUNCTION weft_contact_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO contact_events (kind, contact_id, status) VALUES ('new_contact', NEW.id, NEW.status);
        RETURN NULL;
    END $$;
    CREATE TRIGGER contacts_inserted AFTER INSERT ON contacts
        FOR EACH ROW EXECUTE FUNCTION weft_contact_inserted();
    CREATE FUNCTION weft_contact_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO contact_events (kind, contact_id, status) VALUES ('status_changed', NEW.id, NEW.status);
        RETURN NULL;
    END $$;
    CREATE TRIGGER contacts_status_changed AFTER UPDATE OF status ON contacts
        FOR EACH ROW WHEN (NEW.status <> OLD.status) EXECUTE FUNCTION weft_contact_status_changed();
    CREATE TABLE trigger_cursors (
        workflow_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        last_event BIGINT NOT NULL,
        PRIMARY KEY (workflow_id, activity_id)
    );
    "#,
    // 2: access tokens of the HTTP bridge (SQLite migration 8): only the SHA-256 of a token's
    // secret; `id` is its public part, by which a request's token is found.
    r#"
    CREATE TABLE access_tokens (
        name TEXT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash BYTEA NOT NULL,
        read_only BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL
    );
    "#,
    // 3: the debugger (SQLite migration 9): breakpoints beside a workflow, a debug run's state
    // beside the run, and which front door saved a revision and why.
    r#"
    CREATE TABLE breakpoints (
        workflow_id TEXT PRIMARY KEY REFERENCES workflows(id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        updated_at BIGINT NOT NULL
    );
    CREATE TABLE debug_runs (
        run_id BIGINT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        state TEXT NOT NULL
    );
    ALTER TABLE revisions ADD COLUMN source TEXT;
    ALTER TABLE revisions ADD COLUMN note TEXT;
    "#,
    // 4: operators of a team server (SQLite migration 10); a token may belong to one.
    r#"
    CREATE TABLE operators (
        name TEXT PRIMARY KEY,
        email TEXT,
        groups TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    ALTER TABLE access_tokens ADD COLUMN operator TEXT;
    CREATE INDEX access_tokens_by_operator ON access_tokens(operator);
    "#,
    // 5: every mark of a transition with its time (SQLite migration 11; run_edges only adds
    // them up), so that a run can be replayed from what is kept with it once its events are
    // pruned.
    r#"
    CREATE TABLE run_edge_marks (
        id BIGSERIAL PRIMARY KEY,
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        from_activity TEXT NOT NULL,
        port TEXT NOT NULL,
        to_activity TEXT NOT NULL,
        taken BOOLEAN NOT NULL,
        records BIGINT,
        at BIGINT NOT NULL,
        -- The newest task of the run when it was marked: orders it among that millisecond's tasks.
        after_task BIGINT NOT NULL
    );
    CREATE INDEX run_edge_marks_by_run ON run_edge_marks(run_id, at, id);
    "#,
];

/// The schema version this binary writes.
pub fn latest() -> u32 {
    MIGRATIONS.len() as u32
}

/// An arbitrary key for the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x7765_6674_0001;

/// Brings the database up to [`latest`]; refuses one that is newer.
pub(super) fn migrate(link: &Link, client: &Arc<Conn>) -> Result<u32> {
    link.batch(
        client,
        "CREATE TABLE IF NOT EXISTS weft_schema (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
         INSERT INTO weft_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    )
    .or_else(|e| {
        // Two servers creating the table at the same moment: one of them wins, the other
        // finds it there.
        if e.to_string().contains("23505") || e.to_string().contains("42P07") {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    link.batch(
        client,
        &format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"),
    )?;
    let result = (|| {
        let rows = link.query(client, "SELECT version FROM weft_schema WHERE id = 1", &[])?;
        let current: i64 = rows.first().map(|r| r.c(0)).transpose()?.unwrap_or(0);
        if current > i64::from(latest()) {
            return Err(Error::NewerSchema {
                found: current as u32,
                supported: latest(),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            link.batch(
                client,
                &format!(
                    "BEGIN; {sql}; UPDATE weft_schema SET version = {} WHERE id = 1; COMMIT",
                    i + 1
                ),
            )
            .inspect_err(|_| {
                let _ = link.batch(client, "ROLLBACK");
            })?;
        }
        Ok(latest())
    })();
    let _ = link.batch(
        client,
        &format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"),
    );
    result
}
