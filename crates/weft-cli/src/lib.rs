//! `weft`: the headless command line over the same engine and store as the desktop app.
//!
//! A library with one entry, [`run`], so that two binaries can be this command line: `weft`
//! (`src/main.rs`) and the desktop app's binary started as `weft-desktop --cli …` — what the
//! packages install as `/usr/bin/weft`, so that a package carries one copy of the engine.

mod follow;
mod open;
mod output;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;
use weft_engine::exec::Followed;
use weft_engine::store::{RunFilter, RunStatus};
use weft_engine::{Command, Engine, EngineOptions};

#[derive(Parser)]
#[command(
    name = "weft",
    version,
    about = "Design-free, headless Weft: validate and run workflow files against a local store"
)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Cmd,
}

/// Which store, and how durably it commits.
#[derive(clap::Args, Clone)]
struct StoreArgs {
    /// The SQLite store (default: $WEFT_DB, else ~/.local/share/weft/weft.db).
    #[arg(long, global = true, env = "WEFT_DB")]
    db: Option<PathBuf>,
    /// A PostgreSQL store shared by several servers: postgres://USER[:PASSWORD]@HOST:PORT/DB
    /// (instead of --db, which still places the outbox and templates).
    #[arg(long, global = true, env = "WEFT_STORE", value_parser = parse_store_url)]
    store: Option<String>,
    /// What a commit survives: `normal` (a kill of the process; the default) or `full` (a power
    /// cut too, at an fsync per transaction).
    #[arg(long, global = true, env = "WEFT_DURABILITY", default_value = "normal", value_parser = parse_durability)]
    durability: weft_engine::store::Durability,
}

fn parse_store_url(text: &str) -> Result<String, String> {
    if weft_engine::store::is_postgres_url(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "{text:?} is not a PostgreSQL URL (postgres://USER@HOST:PORT/DB); a SQLite file is given with --db"
        ))
    }
}

fn parse_breakpoint(text: &str) -> Result<weft_engine::debug::Breakpoint, String> {
    weft_engine::debug::Breakpoint::parse(text)
}

/// A list of activity ids for a person: comma-separated, or "none".
fn words(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

fn parse_debug_action(text: &str) -> Result<weft_engine::debug::DebugAction, String> {
    weft_engine::debug::DebugAction::parse(text)
        .ok_or_else(|| format!("{text:?} is not continue, step, skip or stop"))
}

fn parse_durability(text: &str) -> Result<weft_engine::store::Durability, String> {
    weft_engine::store::Durability::parse(text)
        .ok_or_else(|| format!("{text:?} is not a durability: use full or normal"))
}

#[derive(Subcommand)]
enum Cmd {
    /// Checks a workflow file: loads it and reports every problem.
    Validate { file: PathBuf },
    /// Runs a workflow file (imported into the store as a new revision when it changed) and follows it.
    Run {
        file: PathBuf,
        /// Run parameter, repeatable: --param name=value.
        #[arg(long = "param", short = 'p', value_parser = parse_param)]
        params: Vec<(String, String)>,
        /// Simulation mode: activities with side effects are skipped.
        #[arg(long)]
        simulate: bool,
        /// Give up following after this many seconds (the run goes on in the owner).
        #[arg(long)]
        timeout: Option<u64>,
        /// A debug run: it pauses at the workflow's breakpoints (`weft debug` goes on).
        #[arg(long)]
        debug: bool,
        /// Sets the workflow's breakpoints (replacing its stored ones), repeatable:
        /// ID[:before|after][=EXPR] or FROM[:PORT]->TO[=EXPR].
        #[arg(long = "break", requires = "debug", value_parser = parse_breakpoint)]
        breaks: Vec<weft_engine::debug::Breakpoint>,
    },
    /// Lists a workflow's breakpoints, or replaces them (--set, repeatable; --clear).
    Breakpoints {
        /// The workflow (id or name).
        workflow: String,
        /// ID[:before|after][=EXPR] or FROM[:PORT]->TO[=EXPR]; replaces the stored list.
        #[arg(long = "set", value_parser = parse_breakpoint)]
        set: Vec<weft_engine::debug::Breakpoint>,
        /// Removes every breakpoint.
        #[arg(long, conflicts_with = "set")]
        clear: bool,
    },
    /// Lists a workflow's revisions: number, when, by which front door, note.
    Revisions { workflow: String },
    /// What changed between two revisions of a workflow: activities added, removed, moved,
    /// transitions added and removed, fields changed with before and after.
    Diff {
        workflow: String,
        from: i64,
        to: i64,
    },
    /// Saves an earlier revision as the workflow's new latest revision (its current name kept).
    Restore { workflow: String, revision: i64 },
    /// Continue, step, skip or stop a paused debug run (queued; applied once by the owner).
    Debug {
        /// continue, step, skip or stop.
        #[arg(value_parser = parse_debug_action)]
        action: weft_engine::debug::DebugAction,
        /// The run.
        run: i64,
        /// The paused task (continue: every paused task of the run when not given; step and
        /// skip: the run's only paused task).
        #[arg(long)]
        task: Option<i64>,
        /// How long to wait for the command to be applied (seconds); 0 queues it and returns.
        #[arg(long, default_value_t = 10)]
        wait: u64,
    },
    /// Re-runs a past run on its workflow's latest revision, reusing the recorded results of
    /// the activities upstream of the first ones changed since (queued; applied by the owner).
    Rerun {
        /// The past run.
        run: i64,
        /// Only say what would be reused and what would run again.
        #[arg(long)]
        preview: bool,
        /// How long to wait for the command to be applied (seconds); 0 queues it and returns.
        #[arg(long, default_value_t = 10)]
        wait: u64,
    },
    /// Copies this SQLite store into an empty PostgreSQL store (workflows, revisions, history,
    /// contacts, schedules, tokens, operators), verified table by table by row count and
    /// checksum; refuses a target that holds anything. Stop the engines on both first.
    Migrate {
        /// The SQLite store file.
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL store (`postgres://user@host:port/db`).
        #[arg(long)]
        to: String,
    },
    /// Lists runs, newest first.
    Runs {
        /// Only this workflow (id or name).
        #[arg(long)]
        workflow: Option<String>,
        /// Only this status (pending, running, completed, failed, cancelled, waiting_for_approval, rejected, error).
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Continue after this run id (from the previous page).
        #[arg(long)]
        after: Option<i64>,
    },
    /// Shows one run with its tasks, results, output and logs.
    Show { run: i64 },
    /// Prints a run's history in order, as the canvas replays it (read page by page; `--json`:
    /// one entry a line).
    Timeline { run: i64 },
    /// Approves a waiting approval (by its task id).
    Approve {
        task: i64,
        #[arg(long, short)]
        comment: Option<String>,
    },
    /// Rejects a waiting approval (by its task id).
    Reject {
        task: i64,
        #[arg(long, short)]
        comment: Option<String>,
    },
    /// Lists approvals waiting for an answer.
    Approvals,
    /// Executes the store: applies commands, fires schedules and triggers, runs tasks, until Ctrl-C.
    Serve {
        /// Where webhooks are received (loopback only).
        #[arg(long, default_value = "127.0.0.1:8787")]
        webhooks: std::net::SocketAddr,
        /// Do not listen for webhooks.
        #[arg(long)]
        no_webhooks: bool,
        /// Also serve the operations API (/api/v1/, every request with an access token: see
        /// `weft tokens`) and the UI (/) over HTTP at this address; port 0 picks a free one. The
        /// address bound is printed on stderr: "weft serve: http://ADDR/".
        #[arg(long)]
        http: Option<std::net::SocketAddr>,
        /// Let --http listen on an address other than loopback (reachable from other machines;
        /// plain HTTP: put a TLS proxy in front).
        #[arg(long)]
        http_public: bool,
        /// The built UI served at / (default: $WEFT_UI, else this source tree's ui/dist).
        #[arg(long, env = "WEFT_UI")]
        ui: Option<PathBuf>,
        /// How many tasks this server runs at once (instant steps take no slot).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        slots: Option<u16>,
    },
    /// Access tokens of `weft serve --http`: create (printed once; only a hash is kept), list,
    /// revoke (refused from then on).
    #[command(subcommand)]
    Tokens(TokensCmd),
    /// Operators of a team server: who may list, run, update and approve (tokens made with
    /// --operator act for them). On a private store the local user may do everything.
    #[command(subcommand)]
    Operators(OperatorsCmd),
    /// Shows the URL and secret token of each webhook trigger of a workflow (after Start).
    Webhooks {
        workflow: String,
        #[arg(long, default_value = "127.0.0.1:8787")]
        at: String,
    },
    /// Lists workflows.
    Workflows,
    /// Imports a workflow file as a new workflow. Importing a file again answers with the same
    /// workflow when unchanged; a changed file needs --replace (saved as a new revision).
    Import {
        file: PathBuf,
        /// When a workflow of the same name differs from the file, save the file as its new revision.
        #[arg(long)]
        replace: bool,
    },
    /// Prints a workflow's latest revision as a file (or an earlier one, with --revision).
    Export {
        workflow: String,
        /// The revision to print (`weft revisions` lists them); the latest when not given.
        #[arg(long)]
        revision: Option<i64>,
    },
    /// Sends a toolbar command to a workflow: start, pause, stop, restart, purge-history,
    /// start-simulation, execute-pending, unconditional-stop, run-now, debug-run.
    Command {
        workflow: String,
        action: String,
        /// How long to wait for the command to be applied (seconds); 0 queues it and returns.
        #[arg(long, default_value_t = 10)]
        wait: u64,
    },
    /// Templates: list them (shipped ones from $WEFT_TEMPLATES or the nearest
    /// workflows-templates folder, the user's beside the store), or save a workflow as one.
    Templates {
        #[command(subcommand)]
        command: Option<TemplatesCmd>,
    },
    /// Creates a workflow: blank (Start → Finish) or from a template (`weft templates` lists
    /// their ids). A blank NAME takes a free one after the template.
    New {
        /// The new workflow's name.
        name: String,
        /// A template id (`shipped:daily-report`, `user:Ops/nightly`).
        #[arg(long)]
        from: Option<String>,
    },
    /// Draws a workflow (a file, or one in the store) as PNG or SVG in the canvas's look, with
    /// a run's states and counts on it when --run is given.
    Render {
        /// A workflow file, or a workflow's id or name in the store.
        target: String,
        /// Where to write: `.png` (at --scale) or `.svg` (text as outlines).
        #[arg(long)]
        out: PathBuf,
        /// Show this run (of that workflow) on its revision.
        #[arg(long)]
        run: Option<i64>,
        /// Only these activities and the transitions between them (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        select: Vec<String>,
        /// light or dark.
        #[arg(long, default_value = "light")]
        theme: weft_render::Theme,
        /// Pixels per canvas unit of a PNG.
        #[arg(long, default_value_t = weft_render::BITMAP_SCALE)]
        scale: f32,
    },
    /// Writes the JSON Schemas (workflow format, activity catalogue, commands) into a folder.
    Schema {
        #[arg(long, default_value = "docs/schema")]
        out: PathBuf,
    },
    /// The local contacts (leads) database.
    #[command(subcommand)]
    Contacts(ContactsCmd),
    /// Opens a screen of the desktop app: `weft open workflow ID`, `weft open run 42`,
    /// `weft open approve 42` (hands the `weft://` link to the running app, or starts it).
    Open {
        /// workflow, run or approve.
        kind: String,
        /// The workflow's id, or the run's number.
        id: String,
    },
    /// Writes the TypeScript bridge types into a folder.
    GenTs {
        #[arg(long, default_value = "ui/src/bridge/generated")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TokensCmd {
    /// Makes a token and prints it — the only time it is shown.
    Create {
        /// A name to list and revoke it by (letters, digits, '.', '_', '-').
        name: String,
        /// The token may read only: commands and edits are refused with it.
        #[arg(long)]
        read_only: bool,
        /// The operator it acts for: it may do what they may (`weft operators add`).
        #[arg(long)]
        operator: Option<String>,
    },
    /// Lists the tokens (names, never their secrets).
    List,
    /// Revokes a token: every request bearing it is refused from now on.
    Revoke { name: String },
}

#[derive(Subcommand)]
enum OperatorsCmd {
    /// Adds an operator.
    Add {
        /// Their name (letters, digits, '.', '_', '-').
        name: String,
        /// A group they belong to (answers its approvals); repeat for several.
        #[arg(long = "group")]
        groups: Vec<String>,
        /// What they may do: a comma-separated list of list, run, update, approve.
        #[arg(long = "can", default_value = "list")]
        can: String,
        /// Where approval requests of their groups are emailed (the outbox beside the store).
        #[arg(long)]
        email: Option<String>,
    },
    /// Lists the operators.
    List,
    /// Removes an operator and revokes their tokens.
    Remove { name: String },
}

#[derive(Subcommand)]
enum TemplatesCmd {
    /// Lists every template: id, folder, name.
    List,
    /// Saves a workflow's latest revision as a user template in FOLDER.
    Save {
        /// The workflow (id or name).
        workflow: String,
        /// The folder (one plain name; created when new).
        #[arg(long)]
        folder: String,
        /// The template's name (default: the workflow's).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum ContactsCmd {
    /// Imports contacts from a CSV file (one transaction; rejected rows are reported).
    Import {
        file: PathBuf,
        /// Field delimiter.
        #[arg(long, default_value = ",")]
        delimiter: char,
        /// Column mapping, repeatable: --map email=E-mail.
        #[arg(long = "map", value_parser = parse_param)]
        mapping: Vec<(String, String)>,
        /// Status of new contacts.
        #[arg(long, default_value = "new")]
        status: String,
    },
    /// Writes contacts to a CSV file (all, or those with a status). Cells a spreadsheet would run
    /// as formulas (beginning with =, +, -, @, tab or CR) get a leading ' unless --raw-formulas.
    Export {
        file: PathBuf,
        #[arg(long)]
        status: Option<String>,
        /// Write every cell exactly as stored, formulas included.
        #[arg(long)]
        raw_formulas: bool,
    },
    /// Lists contacts.
    List {
        #[arg(long)]
        status: Option<String>,
        /// Text searched in email and name.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Adds generated demo leads, only into an empty contacts database (never over real data).
    Demo {
        #[arg(default_value_t = 3000)]
        count: u32,
    },
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .ok_or_else(|| format!("expected name=value, got {text:?}"))
}

/// The store shared with the desktop app (`$WEFT_DB` is read by clap before this).
fn default_db() -> PathBuf {
    weft_engine::paths::data_dir().join("weft.db")
}

/// Runs the command line with these arguments (the first is the program's name) and returns
/// the process's exit code. Sets up logging and the crash report hook: call it once, first.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // Log lines go to stderr and into the tail a crash report carries.
    let tail = weft_engine::crash::LogTail::new();
    let writer_tail = tail.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("WEFT_LOG"))
        .with_writer(move || writer_tail.writer())
        .init();
    weft_engine::crash::CrashReports::new(weft_engine::paths::crash_dir()).install_panic_hook(
        "weft",
        env!("CARGO_PKG_VERSION"),
        tail,
    );
    let cli = Cli::parse_from(args);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 70;
        }
    };
    runtime.block_on(async {
        match dispatch(cli).await {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                1
            }
        }
    })
}

fn open(store: &StoreArgs, owner_name: &str) -> Result<Engine> {
    open_with(store, owner_name, None)
}

fn open_with(store: &StoreArgs, owner_name: &str, slots: Option<u16>) -> Result<Engine> {
    let path = store.db.clone().unwrap_or_else(default_db);
    let mut options = EngineOptions::new(&path);
    options.owner_name = owner_name.into();
    options.durability = store.durability;
    options.store_url = store.store.clone();
    if let Some(slots) = slots {
        options.max_parallel_tasks = usize::from(slots);
    }
    let shown = match &store.store {
        Some(url) => redact(url),
        None => path.display().to_string(),
    };
    Engine::open(options).with_context(|| format!("opening the store {shown}"))
}

/// A store URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = url[scheme + 3..at].split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

async fn dispatch(cli: Cli) -> Result<i32> {
    let json_out = cli.json;
    match cli.command {
        Cmd::Validate { file } => validate(&file, json_out),
        Cmd::Render {
            target,
            out,
            run,
            select,
            theme,
            scale,
        } => render(
            &cli.store, &target, &out, run, &select, theme, scale, json_out,
        ),
        Cmd::Schema { out } => {
            std::fs::create_dir_all(&out)?;
            for (name, value) in [
                (
                    "workflow.schema.json",
                    weft_engine::catalog::workflow_schema(),
                ),
                (
                    "catalog.json",
                    serde_json::to_value(weft_engine::catalog::catalog())?,
                ),
                (
                    "command.schema.json",
                    weft_engine::catalog::command_schema(),
                ),
            ] {
                std::fs::write(out.join(name), serde_json::to_string_pretty(&value)? + "\n")?;
            }
            println!("wrote schemas to {}", out.display());
            Ok(0)
        }
        Cmd::Contacts(cmd) => contacts(&cli.store, cmd, json_out),
        Cmd::Open { kind, id } => {
            let (link, delivered) = open::open(&kind, &id)?;
            let how = match delivered {
                open::Delivered::HandedOver => "handed to the running app",
                open::Delivered::Started => "the app was started on it",
                open::Delivered::Desktop => "handed to xdg-open",
            };
            output::print_value(
                json_out,
                &json!({"url": link.to_url(), "delivered": how}),
                &format!("opened {link}: {how}"),
            );
            Ok(0)
        }
        Cmd::GenTs { out } => {
            weft_engine::bindings::export_typescript(&out)?;
            std::fs::write(out.join("picture.ts"), weft_render::typescript())?;
            println!("wrote TypeScript types to {}", out.display());
            Ok(0)
        }
        Cmd::Templates { command } => {
            let engine = open(&cli.store, "weft")?;
            match command.unwrap_or(TemplatesCmd::List) {
                TemplatesCmd::List => {
                    let rows: Vec<Value> = engine
                        .templates()
                        .iter()
                        .map(|t| json!({"id": t.id, "folder": t.folder, "name": t.name, "description": t.description}))
                        .collect();
                    output::print_rows(json_out, &rows, &["id", "folder", "name"]);
                }
                TemplatesCmd::Save {
                    workflow,
                    folder,
                    name,
                } => {
                    let w = engine
                        .find_workflow(&workflow)?
                        .with_context(|| format!("no workflow {workflow:?}"))?;
                    let saved = engine.save_as_template(&w.id, &folder, name.as_deref())?;
                    output::print_value(
                        json_out,
                        &json!({"id": saved.id, "folder": saved.folder, "name": saved.name}),
                        &format!("saved as template {} in {}", saved.id, saved.folder),
                    );
                }
            }
            Ok(0)
        }
        Cmd::New { name, from } => {
            let engine = open(&cli.store, "weft")?;
            let made = engine.new_workflow(&name, from.as_deref())?;
            output::print_value(
                json_out,
                &serde_json::to_value(&made)?,
                &format!("created {} ({})", made.name, made.id),
            );
            Ok(0)
        }
        Cmd::Run {
            file,
            params,
            simulate,
            timeout,
            debug,
            breaks,
        } => {
            let engine = open(&cli.store, "weft run")?;
            let debug = debug.then_some(follow::Debug { breaks });
            follow::run_file(
                &engine,
                &file,
                params,
                simulate,
                debug,
                timeout.map(Duration::from_secs),
                json_out,
            )
            .await
        }
        Cmd::Breakpoints {
            workflow,
            set,
            clear,
        } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let list = if clear || !set.is_empty() {
                engine.set_breakpoints(&w.id, set)?
            } else {
                engine.breakpoints(&w.id)?
            };
            if json_out {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("{} has no breakpoints", w.name);
            } else {
                for b in &list {
                    println!("{b}");
                }
            }
            Ok(0)
        }
        Cmd::Revisions { workflow } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let list = engine.revisions(&w.id)?;
            let rows: Vec<Value> = list
                .iter()
                .map(|r| json!({"revision": r.revision, "createdAt": r.created_at, "saved": output::time(r.created_at), "source": r.source, "note": r.note}))
                .collect();
            if json_out {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                output::print_rows(false, &rows, &["revision", "saved", "source", "note"]);
            }
            Ok(0)
        }
        Cmd::Diff { workflow, from, to } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let d = engine.diff_revisions(&w.id, from, to)?;
            if json_out {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                output::print_diff(&w.name, &d);
            }
            Ok(0)
        }
        Cmd::Restore { workflow, revision } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let saved = engine.restore_revision(&w.id, revision)?;
            output::print_value(
                json_out,
                &serde_json::to_value(&saved)?,
                &format!(
                    "{}: revision {revision} restored as revision {}",
                    saved.name, saved.revision
                ),
            );
            Ok(0)
        }
        Cmd::Debug {
            action,
            run,
            task,
            wait,
        } => {
            let engine = open(&cli.store, "weft")?;
            let workflow = engine.run_summary(run)?.workflow_id;
            let command = Command::Debug {
                run_id: run,
                task_id: task,
                action,
            };
            send_and_print(&engine, &workflow, command, wait, json_out).await
        }
        Cmd::Migrate { from, to } => {
            let copies = weft_engine::store::migrate::sqlite_to_postgres(&from, &to)?;
            let rows: Vec<Value> = copies
                .iter()
                .map(|c| json!({"table": c.table, "rows": c.source.rows, "checksum": format!("{:016x}", c.source.sum), "verified": if c.matches() { "yes" } else { "NO" }}))
                .collect();
            output::print_rows(json_out, &rows, &["table", "rows", "checksum", "verified"]);
            if !json_out {
                let total: u64 = copies.iter().map(|c| c.source.rows).sum();
                eprintln!(
                    "copied {total} rows in {} tables into {}; each table verified by count and checksum",
                    copies.len(),
                    weft_engine::store::postgres::redacted(&to)
                );
            }
            Ok(0)
        }
        Cmd::Rerun { run, preview, wait } => {
            let engine = open(&cli.store, "weft")?;
            let plan = engine.rerun_preview(run)?;
            if preview {
                let text = format!(
                    "run {run} (revision {}) on revision {}\n  changed    {}\n  reused     {}\n  run again  {}",
                    plan.from_revision,
                    plan.to_revision,
                    words(&plan.changed),
                    words(&plan.reused),
                    words(&plan.run_again)
                );
                output::print_value(json_out, &serde_json::to_value(&plan)?, &text);
                return Ok(0);
            }
            let command = Command::RerunAfterEdit { run_id: run };
            send_and_print(&engine, &plan.workflow_id, command, wait, json_out).await
        }
        Cmd::Runs {
            workflow,
            status,
            limit,
            after,
        } => {
            let engine = open(&cli.store, "weft")?;
            let mut filter = RunFilter::default();
            if let Some(w) = workflow {
                filter.workflow_id = Some(
                    engine
                        .find_workflow(&w)?
                        .with_context(|| format!("no workflow {w:?}"))?
                        .id,
                );
            }
            if let Some(s) = status {
                let parsed = RunStatus::parse(&s).with_context(|| {
                    format!(
                        "unknown status {s:?}; one of {}",
                        RunStatus::ALL
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                filter.statuses = vec![parsed];
            }
            let page = engine.list_runs(&filter, after, limit)?;
            if json_out {
                println!("{}", serde_json::to_string_pretty(&page)?);
            } else {
                output::print_runs(&page);
            }
            Ok(0)
        }
        Cmd::Show { run } => {
            let engine = open(&cli.store, "weft")?;
            output::show_run(&engine, run, json_out)?;
            Ok(0)
        }
        Cmd::Timeline { run } => {
            let engine = open(&cli.store, "weft")?;
            output::print_timeline(&engine, run, json_out)?;
            Ok(0)
        }
        Cmd::Approve { task, comment } => answer(&cli.store, task, true, comment, json_out).await,
        Cmd::Reject { task, comment } => answer(&cli.store, task, false, comment, json_out).await,
        Cmd::Approvals => {
            let engine = open(&cli.store, "weft")?;
            let open_ones = engine.open_approvals(None)?;
            let rows: Vec<Value> = open_ones.iter().map(|a| json!({"task": a.task_id, "run": a.run_id, "workflow": a.workflow_id, "activity": a.activity_id, "group": a.group, "message": a.message})).collect();
            output::print_rows(
                json_out,
                &rows,
                &["task", "run", "workflow", "activity", "group", "message"],
            );
            Ok(0)
        }
        Cmd::Serve {
            webhooks,
            no_webhooks,
            http,
            http_public,
            ui,
            slots,
        } => {
            let http = match http {
                Some(addr) if !addr.ip().is_loopback() && !http_public => bail!(
                    "--http {addr} is not a loopback address: other machines could reach it; add --http-public to mean it"
                ),
                Some(addr) => Some(HttpArgs {
                    addr,
                    ui: ui.or_else(default_ui),
                }),
                None => None,
            };
            serve(
                &cli.store,
                (!no_webhooks).then_some(webhooks),
                http,
                slots,
                json_out,
            )
            .await
        }
        Cmd::Tokens(cmd) => tokens(&cli.store, cmd, json_out),
        Cmd::Operators(cmd) => operators(&cli.store, cmd, json_out),
        Cmd::Webhooks { workflow, at } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let (_, body) = engine.workflow(&w.id)?;
            let mut rows = Vec::new();
            for a in body
                .activities
                .iter()
                .filter(|a| a.kind() == weft_engine::model::ActivityKind::WebhookTrigger)
            {
                let token = weft_engine::exec::webhook::token(&engine, &w.id, &a.id)?;
                rows.push(json!({"trigger": a.id, "url": format!("http://{at}/hooks/{}/{}", w.id, a.id), "token": token.unwrap_or_else(|| "(start the workflow first)".into())}));
            }
            output::print_rows(json_out, &rows, &["trigger", "url", "token"]);
            Ok(0)
        }
        Cmd::Workflows => {
            let engine = open(&cli.store, "weft")?;
            let rows: Vec<Value> = engine.list_workflows()?.iter().map(|w| json!({"id": w.id, "name": w.name, "state": w.state, "revision": w.revision, "lastRun": w.last_run_status, "schedule": w.schedule})).collect();
            output::print_rows(
                json_out,
                &rows,
                &["id", "name", "state", "revision", "lastRun", "schedule"],
            );
            Ok(0)
        }
        Cmd::Import { file, replace } => {
            let engine = open(&cli.store, "weft")?;
            let text = weft_engine::load::read_text(&file)
                .with_context(|| format!("importing {}", file.display()))?;
            let summary = engine
                .import_workflow(&text, replace)
                .with_context(|| format!("importing {}", file.display()))?;
            output::print_value(
                json_out,
                &serde_json::to_value(&summary)?,
                &format!("imported {} as {}", summary.name, summary.id),
            );
            Ok(0)
        }
        Cmd::Export { workflow, revision } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let body = match revision {
                Some(n) => engine.workflow_revision(&w.id, n)?,
                None => engine.workflow(&w.id)?.1,
            };
            println!("{}", body.to_pretty_json());
            Ok(0)
        }
        Cmd::Command {
            workflow,
            action,
            wait,
        } => {
            let engine = open(&cli.store, "weft")?;
            let w = engine
                .find_workflow(&workflow)?
                .with_context(|| format!("no workflow {workflow:?}"))?;
            let command = match action.replace('-', "_").as_str() {
                "start" => Command::Start,
                "pause" => Command::Pause,
                "stop" => Command::Stop,
                "restart" => Command::Restart,
                "purge_history" => Command::PurgeHistory,
                "start_simulation" => Command::StartSimulation,
                "execute_pending" => Command::ExecutePending,
                "unconditional_stop" => Command::UnconditionalStop,
                "run_now" => Command::RunNow {
                    params: json!({}),
                    simulate: false,
                },
                "debug_run" => Command::DebugRun {
                    params: json!({}),
                    simulate: false,
                },
                other => bail!("unknown action {other:?}"),
            };
            send_and_print(&engine, &w.id, command, wait, json_out).await
        }
    }
}

/// Queues a command, waits up to `wait` seconds for its outcome and prints it. Exit codes: 0
/// applied, 4 refused, 3 queued and not applied yet.
async fn send_and_print(
    engine: &Engine,
    workflow_id: &str,
    command: Command,
    wait: u64,
    json_out: bool,
) -> Result<i32> {
    let id = engine.send(Some(workflow_id), command)?;
    if wait == 0 {
        output::print_value(
            json_out,
            &json!({ "queued": id }),
            &format!("command {id} queued"),
        );
        return Ok(3);
    }
    let record = engine.wait_command(id, Duration::from_secs(wait)).await;
    match record {
        Ok(r) => Ok(if print_record(json_out, &r, &format!("command {id}"))? {
            0
        } else {
            4
        }),
        Err(e) => {
            eprintln!("command {id} queued; {e}");
            Ok(3)
        }
    }
}

/// Prints an applied or refused command (its record as JSON, or `label: outcome`); answers
/// whether it was applied.
fn print_record(
    json_out: bool,
    record: &weft_engine::store::CommandRecord,
    label: &str,
) -> Result<bool> {
    let said = record
        .outcome
        .as_ref()
        .map(|o| o.to_string())
        .unwrap_or_default();
    output::print_value(
        json_out,
        &serde_json::to_value(record)?,
        &format!("{label}: {said}"),
    );
    Ok(record.outcome.as_ref().is_some_and(|o| o.is_applied()))
}

/// `weft render`: a file needs no store; a stored workflow or a run opens it read-only.
#[allow(clippy::too_many_arguments)]
fn render(
    store: &StoreArgs,
    target: &str,
    out: &std::path::Path,
    run: Option<i64>,
    select: &[String],
    theme: weft_render::Theme,
    scale: f32,
    json_out: bool,
) -> Result<i32> {
    let svg_out = match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => true,
        Some(e) if e.eq_ignore_ascii_case("png") => false,
        _ => bail!(
            "{}: the picture's file name must end in .png or .svg",
            out.display()
        ),
    };
    let file = std::path::Path::new(target);
    let (workflow, overlay) = if run.is_none() && file.is_file() {
        let w = weft_engine::load::from_path(file).with_context(|| target.to_string())?;
        (w, None)
    } else {
        let engine = open(store, "weft")?;
        let w = engine
            .find_workflow(target)?
            .with_context(|| format!("no workflow {target:?} (and no such file)"))?;
        match run {
            Some(id) => {
                let summary = engine.run_summary(id)?;
                if summary.workflow_id != w.id {
                    bail!(
                        "run {id} is a run of {:?}, not of {:?}",
                        summary.workflow_name,
                        w.name
                    );
                }
                let (body, overlay) = weft_render::run_picture(&engine, id)?;
                (body, Some(overlay))
            }
            None => (engine.workflow(&w.id)?.1, None),
        }
    };
    let picture = weft_render::Picture {
        workflow: &workflow,
        selection: select,
        theme,
        run: overlay.as_ref(),
    };
    let (bytes, width, height) = if svg_out {
        let file = weft_render::svg_file(&picture)?;
        (
            file.text.into_bytes(),
            file.width.ceil() as u32,
            file.height.ceil() as u32,
        )
    } else {
        let png = weft_render::png(&picture, scale)?;
        (png.bytes, png.width, png.height)
    };
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    output::print_value(
        json_out,
        &json!({"out": out, "width": width, "height": height, "bytes": bytes.len()}),
        &format!("{}: {width} × {height}", out.display()),
    );
    Ok(0)
}

fn validate(file: &std::path::Path, json_out: bool) -> Result<i32> {
    let workflow = match weft_engine::load::from_path(file) {
        Ok(w) => w,
        Err(e) => {
            if json_out {
                println!("{}", json!({"ok": false, "load_error": e.to_string()}));
            } else {
                eprintln!("{}: {e}", file.display());
            }
            return Ok(1);
        }
    };
    let diagnostics = weft_engine::validate::validate(&workflow);
    let errors = weft_engine::validate::has_errors(&diagnostics);
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"ok": !errors, "diagnostics": diagnostics}))?
        );
    } else {
        for d in &diagnostics {
            println!("{}: {:?}: {d}", file.display(), d.severity);
        }
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        let (e, w) = (
            count(weft_engine::validate::Severity::Error),
            count(weft_engine::validate::Severity::Warning),
        );
        if errors {
            println!("{}: invalid: {e} error(s), {w} warning(s)", file.display());
        } else {
            println!(
                "{}: valid ({} activities, {} transitions, {w} warning(s))",
                file.display(),
                workflow.activities.len(),
                workflow.transitions.len()
            );
        }
    }
    Ok(if errors { 1 } else { 0 })
}

async fn answer(
    db: &StoreArgs,
    task: i64,
    approve: bool,
    comment: Option<String>,
    json_out: bool,
) -> Result<i32> {
    let engine = open(db, "weft")?;
    let by = std::env::var("USER").ok().or_else(|| Some("cli".into()));
    match engine
        .answer_approval(task, approve, comment, by, Duration::from_secs(15))
        .await
    {
        Ok(record) => {
            let label = if approve { "approve" } else { "reject" };
            Ok(if print_record(json_out, &record, label)? {
                0
            } else {
                1
            })
        }
        Err(e @ weft_engine::exec::Error::NotAppliedYet { .. }) => {
            eprintln!("the answer is queued, not applied yet: {e}");
            Ok(3)
        }
        Err(e) => Err(e.into()),
    }
}

/// Where `weft serve --http` listens and what UI it serves.
struct HttpArgs {
    addr: std::net::SocketAddr,
    ui: Option<PathBuf>,
}

/// This source tree's built UI, when there is one (a `weft` built from a clone).
fn default_ui() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    dir.join("index.html").is_file().then_some(dir)
}

fn tokens(db: &StoreArgs, cmd: TokensCmd, json_out: bool) -> Result<i32> {
    let engine = open(db, "weft")?;
    match cmd {
        TokensCmd::Create {
            name,
            read_only,
            operator,
        } => {
            let made = engine.create_token_for(&name, read_only, operator.as_deref())?;
            if json_out {
                println!("{}", serde_json::to_string(&made)?);
            } else {
                eprintln!(
                    "token {:?}{}{} made; it is shown this once (only its hash is kept):",
                    made.info.name,
                    if read_only { " (read-only)" } else { "" },
                    operator
                        .as_deref()
                        .map(|o| format!(" for operator {o:?}"))
                        .unwrap_or_default()
                );
                println!("{}", made.token);
            }
        }
        TokensCmd::List => {
            let rows: Vec<Value> = engine
                .list_tokens()?
                .iter()
                .map(|t| json!({"name": t.name, "access": if t.read_only { "read-only" } else { "read-write" }, "operator": t.operator.clone().unwrap_or_else(|| "(owner)".into()), "created": output::time(t.created_at)}))
                .collect();
            output::print_rows(json_out, &rows, &["name", "access", "operator", "created"]);
        }
        TokensCmd::Revoke { name } => {
            engine.revoke_token(&name)?;
            output::print_value(
                json_out,
                &json!({"revoked": name}),
                &format!("revoked {name:?}: requests bearing it are refused from now on"),
            );
        }
    }
    Ok(0)
}

fn operators(db: &StoreArgs, cmd: OperatorsCmd, json_out: bool) -> Result<i32> {
    use weft_engine::ops::operators::parse_capabilities;
    let engine = open(db, "weft")?;
    match cmd {
        OperatorsCmd::Add {
            name,
            groups,
            can,
            email,
        } => {
            let caps = parse_capabilities(&can)?;
            let added = engine.add_operator(&name, email.as_deref(), &groups, caps)?;
            output::print_value(
                json_out,
                &serde_json::to_value(&added)?,
                &format!(
                    "operator {:?} added: may {}; groups {}",
                    added.name,
                    words(
                        &added
                            .capabilities
                            .iter()
                            .map(|c| c.to_string())
                            .collect::<Vec<_>>()
                    ),
                    words(&added.groups)
                ),
            );
        }
        OperatorsCmd::List => {
            let rows: Vec<Value> = engine
                .list_operators()?
                .iter()
                .map(|o| json!({"name": o.name, "groups": o.groups.join(","), "can": o.capabilities.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","), "email": o.email.clone().unwrap_or_default(), "added": output::time(o.created_at)}))
                .collect();
            output::print_rows(
                json_out,
                &rows,
                &["name", "groups", "can", "email", "added"],
            );
        }
        OperatorsCmd::Remove { name } => {
            engine.remove_operator(&name)?;
            output::print_value(
                json_out,
                &json!({"removed": name}),
                &format!("operator {name:?} removed; their tokens are revoked"),
            );
        }
    }
    Ok(0)
}

async fn serve(
    db: &StoreArgs,
    webhooks: Option<std::net::SocketAddr>,
    http: Option<HttpArgs>,
    slots: Option<u16>,
    json_out: bool,
) -> Result<i32> {
    let engine = open_with(db, "weft serve", slots)?;
    // Followed from before starting, so that what the first round (recovery, queued commands)
    // commits is printed too.
    let mut events = engine.follow_events(None)?;
    let handle = engine.start()?;
    let status = engine.store_status()?;
    if engine.shares_work() {
        eprintln!(
            "weft serve: executing {} with the other servers on it, {} task slot(s) (Ctrl-C to stop)",
            status.db_path,
            engine.slots()
        );
    } else {
        eprintln!("weft serve: executing {} (Ctrl-C to stop)", status.db_path);
    }
    if let Some(addr) = webhooks {
        if !addr.ip().is_loopback() {
            bail!("webhooks listen on loopback only, not {addr}");
        }
        let bound = engine
            .start_webhooks(addr)
            .await
            .with_context(|| format!("listening for webhooks on {addr}"))?;
        eprintln!("weft serve: webhooks on http://{bound}/hooks/WORKFLOW/TRIGGER");
    }
    let server = match http {
        Some(HttpArgs { addr, ui }) => {
            let options = weft_http::Options { ui_dir: ui.clone() };
            let server = weft_http::serve(engine.clone(), addr, options).await?;
            if ui.is_none() {
                eprintln!("weft serve: no built UI found (cd ui && npm run build, or --ui DIR); serving the API only");
            }
            if engine.list_tokens()?.is_empty() {
                eprintln!(
                    "weft serve: no access token yet: make one with `weft tokens create NAME`"
                );
            }
            // Tests and scripts read the bound address (the real port when 0 was asked for)
            // from this line.
            eprintln!("weft serve: http://{}/", server.addr);
            Some(server)
        }
        None => None,
    };
    let printer = tokio::spawn(async move {
        loop {
            match events.next().await {
                Followed::Event(event) if json_out => {
                    println!("{}", serde_json::to_string(&event).unwrap_or_default())
                }
                Followed::Event(event) => println!("{}", output::describe_event(&event)),
                Followed::Lagged { missed } => eprintln!(
                    "weft serve: the event printer fell {missed} event(s) behind; catching up from the store"
                ),
            }
        }
    });
    // Ctrl-C or a SIGTERM (a service manager, `make run-fleet`) stop it cleanly.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    eprintln!("weft serve: stopping");
    engine.shutdown();
    let _ = handle.await;
    printer.abort();
    if let Some(server) = server {
        server.task.abort();
    }
    Ok(0)
}

fn contacts(db: &StoreArgs, cmd: ContactsCmd, json_out: bool) -> Result<i32> {
    use weft_engine::contacts::{self, Filter, Operator, Rule};
    let engine = open(db, "weft")?;
    let status_filter = |status: Option<String>| Filter {
        rules: status
            .map(|s| {
                vec![Rule {
                    field: "status".into(),
                    op: Operator::Eq,
                    value: json!(s),
                }]
            })
            .unwrap_or_default(),
        ..Filter::default()
    };
    match cmd {
        ContactsCmd::Import {
            file,
            delimiter,
            mapping,
            status,
        } => {
            let options = weft_engine::ops::contacts::ImportOptions {
                delimiter: delimiter.to_string(),
                mapping: mapping.into_iter().collect(),
                status,
            };
            let report = engine
                .import_contacts_file(&file, &options)
                .map_err(|e| anyhow::anyhow!("{}: {e} (nothing was imported)", file.display()))?;
            if json_out {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "{} row(s): {} created, {} rejected",
                    report.rows, report.created, report.rejected_count
                );
                for r in &report.rejected {
                    println!("  line {}: {}", r.line, r.reason);
                }
            }
            Ok(0)
        }
        ContactsCmd::Export {
            file,
            status,
            raw_formulas,
        } => {
            let mut out = std::fs::File::create(&file)
                .with_context(|| format!("creating {}", file.display()))?;
            let options = contacts::ExportOptions { raw_formulas };
            let n = engine.export_contacts(&status_filter(status), &mut out, options)?;
            println!("{n} contact(s) written to {}", file.display());
            Ok(0)
        }
        ContactsCmd::List {
            status,
            search,
            limit,
        } => {
            let mut filter = status_filter(status);
            if let Some(text) = search {
                filter.rules.push(Rule {
                    field: "email".into(),
                    op: Operator::Contains,
                    value: json!(text),
                });
            }
            let list = engine.list_contacts(&filter, None, limit)?;
            let rows: Vec<Value> = list.iter().map(|c| json!({"id": c.id, "email": c.email, "name": c.name, "status": c.status, "tags": c.tags.join(";")})).collect();
            output::print_rows(json_out, &rows, &["id", "email", "name", "status", "tags"]);
            Ok(0)
        }
        ContactsCmd::Demo { count } => {
            match engine.add_demo_contacts(count) {
                Ok(n) => println!("added {n} demo contact(s)"),
                Err(weft_engine::exec::Error::ContactsNotEmpty) => println!(
                    "the contacts database already holds {} contact(s): demo data is only added to an empty one",
                    engine.count_contacts()?
                ),
                Err(e) => return Err(e.into()),
            }
            Ok(0)
        }
    }
}
