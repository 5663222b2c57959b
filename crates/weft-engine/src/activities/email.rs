//! Send email with lettre: to an outbox folder of `.eml` files by default (one file per task,
//! named by the idempotency key, so a repeat after a crash overwrites instead of duplicating), or
//! through SMTP.

use super::{ActivityContext, ActivityError, Outcome};
use crate::expr::{self, Site};
use crate::model::{EmailTransport, SendEmailConfig};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;

pub(super) async fn run(
    id: &str,
    config: &SendEmailConfig,
    ctx: &ActivityContext,
) -> Result<Outcome, ActivityError> {
    let render = |field: &'static str, text: &str| {
        expr::render(
            Site {
                activity: id,
                field,
            },
            text,
            &ctx.data,
        )
    };
    let to = render("to", &config.to)?;
    let subject = render("subject", &config.subject)?;
    let body = render("body", &config.body)?;
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| ActivityError::failed(format!("{id}.from {:?}: {e}", config.from)))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(subject.clone())
        .message_id(Some(format!("<{}@weft.local>", ctx.idempotency_key)));
    let mut recipients = Vec::new();
    for address in to.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let mailbox: Mailbox = address.parse().map_err(|e| {
            ActivityError::failed(format!(
                "{id}.to: {address:?} is not an email address ({e})"
            ))
        })?;
        recipients.push(address.to_string());
        builder = builder.to(mailbox);
    }
    if recipients.is_empty() {
        return Err(ActivityError::failed(format!("{id}.to: no recipient")));
    }
    let message = builder
        .body(body)
        .map_err(|e| ActivityError::failed(format!("cannot build the message: {e}")))?;
    let folder = match &config.transport {
        EmailTransport::Outbox => Some(ctx.outbox.clone()),
        EmailTransport::Folder { path } => {
            Some(std::path::PathBuf::from(render("transport.path", path)?))
        }
        EmailTransport::Smtp { .. } => None,
    };
    if let Some(folder) = folder {
        tokio::fs::create_dir_all(&folder).await.map_err(|e| {
            ActivityError::failed(format!("cannot create {}: {e}", folder.display()))
        })?;
        let file = folder.join(format!("{}.eml", ctx.idempotency_key));
        let temp = folder.join(format!(".{}.eml.tmp", ctx.idempotency_key));
        tokio::fs::write(&temp, message.formatted())
            .await
            .map_err(|e| ActivityError::failed(format!("cannot write {}: {e}", temp.display())))?;
        tokio::fs::rename(&temp, &file)
            .await
            .map_err(|e| ActivityError::failed(format!("cannot write {}: {e}", file.display())))?;
        ctx.log(
            "info",
            format!("email to {to} written to {}", file.display()),
        );
        return Ok(Outcome {
            record_count: Some(recipients.len() as i64),
            ..Outcome::ok(
                json!({"to": recipients, "subject": subject, "file": file.display().to_string()}),
            )
        });
    }
    let EmailTransport::Smtp {
        host,
        port,
        username,
        password_env,
        starttls,
    } = &config.transport
    else {
        return Err(ActivityError::failed("unreachable transport"));
    };
    let mut transport = if *starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
            .map_err(|e| ActivityError::failed(format!("SMTP {host}: {e}")))?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
    }
    .port(*port);
    if let Some(user) = username {
        let password = match password_env {
            Some(var) => std::env::var(var).map_err(|_| {
                ActivityError::failed(format!(
                    "{id}.transport.password_env: environment variable {var} is not set"
                ))
            })?,
            None => String::new(),
        };
        transport = transport.credentials(
            lettre::transport::smtp::authentication::Credentials::new(user.clone(), password),
        );
    }
    let transport = transport.build();
    tokio::select! {
        sent = transport.send(message) => {
            let response = sent.map_err(|e| ActivityError::failed(format!("SMTP {host}:{port}: {e}")))?;
            ctx.log("info", format!("email to {to} accepted by {host}: {}", response.code()));
            Ok(Outcome { record_count: Some(recipients.len() as i64), ..Outcome::ok(json!({"to": recipients, "subject": subject, "smtp": format!("{host}:{port}")})) })
        }
        () = ctx.cancel.cancelled() => Err(ActivityError::Cancelled { stdout: String::new(), stderr: String::new() }),
    }
}

/// Sends one message per contact of the input set, templated with `contact`, throttled, each
/// outcome recorded; the contacts reached are the output set.
pub(super) async fn run_each(
    id: &str,
    config: &crate::model::SendEmailEachConfig,
    ctx: &ActivityContext,
) -> Result<Outcome, ActivityError> {
    let inputs = super::data::set_refs(&ctx.inputs);
    let store = ctx.store.clone();
    // Each contact once, however many inputs hold it.
    let recipients: Vec<crate::contacts::Contact> = store
        .read(|r| r.contacts_by_ids(&r.set_members(&inputs)?))
        .map_err(|e| ActivityError::failed(format!("contacts database: {e}")))?;
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| ActivityError::Config(format!("{id}.from {:?}: {e}", config.from)))?;
    let folder = match &config.transport {
        EmailTransport::Outbox => ctx.outbox.clone(),
        EmailTransport::Folder { path } => std::path::PathBuf::from(path),
        EmailTransport::Smtp { .. } => return Err(ActivityError::Config(format!("{id}: SMTP delivery to each record is not available yet; use an outbox or folder transport"))),
    };
    tokio::fs::create_dir_all(&folder)
        .await
        .map_err(|e| ActivityError::failed(format!("cannot create {}: {e}", folder.display())))?;
    let pause = config
        .per_second
        .filter(|n| *n > 0)
        .map(|n| std::time::Duration::from_secs_f64(1.0 / f64::from(n)));
    let mut outcomes = Vec::new();
    let mut sent_ids = Vec::new();
    let mut failed = 0usize;
    for contact in &recipients {
        if ctx.cancel.is_cancelled() {
            return Err(ActivityError::Cancelled {
                stdout: String::new(),
                stderr: String::new(),
            });
        }
        let mut data = (*ctx.data).clone();
        data["contact"] = serde_json::to_value(contact).unwrap_or_default();
        let subject = expr::render(
            Site {
                activity: id,
                field: "subject",
            },
            &config.subject,
            &data,
        )?;
        let body = expr::render(
            Site {
                activity: id,
                field: "body",
            },
            &config.body,
            &data,
        )?;
        let outcome = match contact.email.parse::<Mailbox>() {
            Err(e) => Err(format!("bad address: {e}")),
            Ok(to) => Message::builder()
                .from(from.clone())
                .to(to)
                .subject(subject)
                .message_id(Some(format!(
                    "<{}-{}@weft.local>",
                    ctx.idempotency_key, contact.id
                )))
                .body(body)
                .map_err(|e| e.to_string()),
        };
        let outcome = match outcome {
            Ok(message) => {
                let file = folder.join(format!("{}-{}.eml", ctx.idempotency_key, contact.id));
                tokio::fs::write(&file, message.formatted())
                    .await
                    .map(|_| file.display().to_string())
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(file) => {
                sent_ids.push(contact.id);
                if outcomes.len() < 1000 {
                    outcomes.push(json!({"email": contact.email, "ok": true, "file": file}));
                }
            }
            Err(e) => {
                failed += 1;
                ctx.log("warn", format!("{}: {e}", contact.email));
                if outcomes.len() < 1000 {
                    outcomes.push(json!({"email": contact.email, "ok": false, "error": e}));
                }
            }
        }
        if let Some(p) = pause {
            // On the engine's clock, so tests move it instead of waiting.
            let until = ctx.clock.now_ms() + p.as_millis() as i64;
            tokio::select! {
                () = ctx.clock.sleep_until(until) => {}
                () = ctx.cancel.cancelled() => continue,
            }
        }
    }
    let task = ctx.task_id;
    store
        .write(|tx| tx.add_to_set(task, "ok", &sent_ids))
        .map_err(|e| ActivityError::failed(format!("contacts database: {e}")))?;
    ctx.log("info", format!("{} sent, {failed} failed", sent_ids.len()));
    let result = json!({"sent": sent_ids.len(), "failed": failed, "recipients": outcomes});
    if failed > 0 && sent_ids.is_empty() {
        return Err(ActivityError::Failed {
            message: format!("no message could be sent ({failed} failed)"),
            result,
            stdout: String::new(),
            stderr: String::new(),
        });
    }
    Ok(Outcome {
        record_count: Some(sent_ids.len() as i64),
        ..Outcome::ok(result)
    })
}
