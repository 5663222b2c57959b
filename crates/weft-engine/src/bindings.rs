//! TypeScript types of everything that crosses the desktop bridge, generated with `ts-rs` into
//! one folder with a do-not-edit header (`weft gen-ts`, checked for staleness by a test).

use std::path::Path;
use ts_rs::TS;

/// The declarations, one per type, in a stable order.
pub fn declarations() -> Vec<String> {
    use crate::catalog::CatalogEntry;
    use crate::command::{Command, CommandOutcome, Refusal};
    use crate::model::*;
    use crate::store::*;
    use crate::validate::{Diagnostic, Severity};
    vec![
        WorkflowFile::decl(),
        Activity::decl(),
        ActivityConfig::decl(),
        ActivityKind::decl(),
        Role::decl(),
        Position::decl(),
        Transition::decl(),
        ExecutionMode::decl(),
        OnInterrupt::decl(),
        ConcurrencyPolicy::decl(),
        Backoff::decl(),
        RetryPolicy::decl(),
        NotifyPolicy::decl(),
        HistoryPolicy::decl(),
        EmptyConfig::decl(),
        ScheduleSpec::decl(),
        MissedPolicy::decl(),
        ScheduleTriggerConfig::decl(),
        ConditionConfig::decl(),
        LoopConfig::decl(),
        WaitConfig::decl(),
        ApprovalOutcome::decl(),
        ApprovalConfig::decl(),
        SetVariablesConfig::decl(),
        RunCommandConfig::decl(),
        HttpMethod::decl(),
        HttpRequestConfig::decl(),
        WriteFileConfig::decl(),
        EmailTransport::decl(),
        SendEmailConfig::decl(),
        NotifyConfig::decl(),
        Diagnostic::decl(),
        Severity::decl(),
        CatalogEntry::decl(),
        Command::decl(),
        CommandOutcome::decl(),
        crate::command::LifeCycle::decl(),
        crate::command::Availability::decl(),
        Refusal::decl(),
        WorkflowState::decl(),
        RunStatus::decl(),
        TaskStatus::decl(),
        WaitReason::decl(),
        Trigger::decl(),
        EventKind::decl(),
        Event::decl(),
        EventBody::decl(),
        WorkflowChange::decl(),
        TaskChange::decl(),
        WorkflowSummary::decl(),
        RunSummary::decl(),
        RunDetail::decl(),
        TaskRecord::decl(),
        AttemptRecord::decl(),
        LogLine::decl(),
        EdgeRecord::decl(),
        crate::store::timeline::TimelineKind::decl(),
        crate::store::timeline::TimelineEntry::decl(),
        crate::store::timeline::TimelineCursor::decl(),
        crate::store::timeline::TimelinePage::decl(),
        ApprovalRecord::decl(),
        CommandRecord::decl(),
        crate::ops::error::ApiError::decl(),
        crate::ops::status::StoreStatus::decl(),
        crate::ops::workflows::WorkflowDetail::decl(),
        crate::ops::schedulers::ScheduleState::decl(),
        crate::ops::schedulers::FireTime::decl(),
        crate::ops::schedulers::ScheduleInfo::decl(),
        crate::ops::schedulers::SchedulerRow::decl(),
        crate::ops::schedulers::WorkflowOverview::decl(),
        crate::templates::TemplateInfo::decl(),
        crate::store::firings::Firing::decl(),
        RunFilter::decl(),
        RunPage::decl(),
        QueryConfig::decl(),
        SplitConfig::decl(),
        DeduplicateConfig::decl(),
        UpdateDataConfig::decl(),
        ImportCsvConfig::decl(),
        ExportCsvConfig::decl(),
        SendEmailEachConfig::decl(),
        WebhookTriggerConfig::decl(),
        FileTriggerConfig::decl(),
        RecordEvent::decl(),
        RecordTriggerConfig::decl(),
        SubWorkflowConfig::decl(),
        EnrichmentConfig::decl(),
        crate::contacts::Filter::decl(),
        crate::contacts::Rule::decl(),
        crate::contacts::Operator::decl(),
        crate::contacts::Match::decl(),
        crate::contacts::Contact::decl(),
        crate::contacts::ImportReport::decl(),
        crate::contacts::RejectedRow::decl(),
        crate::links::Link::decl(),
        crate::crash::CrashReport::decl(),
        crate::debug::BreakKind::decl(),
        crate::debug::Breakpoint::decl(),
        crate::debug::DebugAction::decl(),
        crate::debug::PausedTask::decl(),
        crate::debug::DebugView::decl(),
        crate::store::workflows::RevisionInfo::decl(),
        crate::diff::ActivityRef::decl(),
        crate::diff::Moved::decl(),
        crate::diff::FieldChange::decl(),
        crate::diff::WorkflowDiff::decl(),
        crate::diff::RevisionDiff::decl(),
        crate::ops::inspect::RecordSide::decl(),
        crate::ops::inspect::RecordSetInfo::decl(),
        crate::ops::inspect::TaskRecords::decl(),
        crate::ops::inspect::RerunPreview::decl(),
        crate::store::Capability::decl(),
        crate::store::tokens::Operator::decl(),
        crate::ops::operators::Session::decl(),
    ]
}

/// The whole generated file.
pub fn typescript() -> String {
    let mut out = String::from("// Generated from the Rust engine by `weft gen-ts` (ts-rs). Do not edit: change the Rust types.\n/* eslint-disable */\n\n");
    for decl in declarations() {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out
}

/// Writes `index.ts` into `dir`.
pub fn export_typescript(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("index.ts"), typescript())
}
