//! Schedules: next fire times of cron (with time zone) and interval triggers, computed from the
//! last recorded firing — never from memory — so a restart neither skips nor repeats a firing.

use crate::model::{MissedPolicy, ScheduleSpec};
use crate::store::Millis;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How late a firing may be before it counts as missed (the engine was not running).
pub const MISSED_AFTER_MS: Millis = 60_000;
/// Upper bound on firings caught up at once under `run_all`.
pub const CATCH_UP_LIMIT: usize = 100;

/// Checks that a schedule can be computed (cron syntax, known time zone).
pub fn check_spec(spec: &ScheduleSpec) -> Result<(), String> {
    match spec {
        ScheduleSpec::Cron { cron, timezone } => {
            parse_cron(cron)?;
            if let Some(tz) = timezone {
                tz.parse::<Tz>().map_err(|_| {
                    format!("unknown time zone {tz:?} (use an IANA name such as Europe/Paris)")
                })?;
            }
            Ok(())
        }
        ScheduleSpec::Interval { .. } | ScheduleSpec::OnDemand => Ok(()),
    }
}

fn parse_cron(cron: &str) -> Result<croner::Cron, String> {
    croner::Cron::new(cron)
        .parse()
        .map_err(|e| format!("invalid cron expression {cron:?}: {e}"))
}

/// The first fire time strictly after `after`, or None (on demand, or an impossible cron).
pub fn next_after(spec: &ScheduleSpec, after: Millis) -> Option<Millis> {
    match spec {
        ScheduleSpec::OnDemand => None,
        ScheduleSpec::Interval { every } => {
            let step = every.as_duration().as_millis() as i64;
            (step > 0).then(|| after + step)
        }
        ScheduleSpec::Cron { cron, timezone } => {
            let cron = parse_cron(cron).ok()?;
            let after_utc: DateTime<Utc> = DateTime::from_timestamp_millis(after)?;
            let tz: Tz = timezone.as_deref().unwrap_or("UTC").parse().ok()?;
            let local = tz.from_utc_datetime(&after_utc.naive_utc());
            let next = cron.find_next_occurrence(&local, false).ok()?;
            Some(next.with_timezone(&Utc).timestamp_millis())
        }
    }
}

/// What to do at `now` for a schedule whose last firing was `last`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueFirings {
    /// Fire times that get a run.
    pub run: Vec<Millis>,
    /// Fire times recorded as missed (no run); only the latest is kept as the cursor.
    pub missed: Option<(Millis, usize)>,
    /// The next fire time after these.
    pub next: Option<Millis>,
}

/// Fire times due between `last` (exclusive) and `now` (inclusive), sorted by the missed policy.
pub fn due(spec: &ScheduleSpec, policy: MissedPolicy, last: Millis, now: Millis) -> DueFirings {
    let mut times = Vec::new();
    let mut cursor = last;
    while let Some(t) = next_after(spec, cursor) {
        if t > now {
            break;
        }
        times.push(t);
        cursor = t;
        if times.len() > 10_000 {
            // A minutely schedule after a week away: the tail is what matters.
            times.drain(..times.len() - CATCH_UP_LIMIT);
        }
    }
    let next = next_after(spec, cursor);
    let (on_time, late): (Vec<Millis>, Vec<Millis>) =
        times.into_iter().partition(|t| now - t <= MISSED_AFTER_MS);
    let mut run = Vec::new();
    let mut missed = None;
    if !late.is_empty() {
        match policy {
            MissedPolicy::Skip => missed = late.last().map(|t| (*t, late.len())),
            MissedPolicy::RunOnce => {
                if on_time.is_empty() {
                    run.extend(late.last());
                } else {
                    missed = late.last().map(|t| (*t, late.len()));
                }
            }
            MissedPolicy::RunAll => {
                let skip = late.len().saturating_sub(CATCH_UP_LIMIT);
                if skip > 0 {
                    missed = Some((late[skip - 1], skip));
                }
                run.extend(&late[skip..]);
            }
        }
    }
    run.extend(on_time);
    DueFirings { run, missed, next }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DurationSpec;

    fn ms(s: &str) -> Millis {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn cron_respects_time_zone() {
        let spec = ScheduleSpec::Cron {
            cron: "0 9 * * *".into(),
            timezone: Some("Europe/Paris".into()),
        };
        // 09:00 in Paris in winter is 08:00 UTC.
        assert_eq!(
            next_after(&spec, ms("2026-01-10T00:00:00Z")),
            Some(ms("2026-01-10T08:00:00Z"))
        );
    }

    #[test]
    fn interval_counts_from_last_firing() {
        let spec = ScheduleSpec::Interval {
            every: DurationSpec::from_secs(900),
        };
        assert_eq!(next_after(&spec, 0), Some(900_000));
    }

    #[test]
    fn missed_firings_follow_the_policy() {
        let spec = ScheduleSpec::Interval {
            every: DurationSpec::from_secs(60),
        };
        let now = 10 * 60_000 + 5_000; // ten firings due; the last one is 5 s late
        let skip = due(&spec, MissedPolicy::Skip, 0, now);
        assert_eq!(skip.run, vec![600_000]);
        assert_eq!(skip.missed, Some((540_000, 9)));
        let once = due(&spec, MissedPolicy::RunOnce, 0, now);
        assert_eq!(once.run, vec![600_000]);
        let all = due(&spec, MissedPolicy::RunAll, 0, now);
        assert_eq!(all.run.len(), 10);
        assert_eq!(all.next, Some(660_000));
    }

    #[test]
    fn bad_cron_and_zone_are_explained() {
        assert!(check_spec(&ScheduleSpec::Cron {
            cron: "61 * * * *".into(),
            timezone: None
        })
        .is_err());
        let e = check_spec(&ScheduleSpec::Cron {
            cron: "0 9 * * *".into(),
            timezone: Some("Mars/Olympus".into()),
        })
        .unwrap_err();
        assert!(e.contains("Mars/Olympus"));
    }
}
