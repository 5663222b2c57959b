//! Schedules: next fire times of cron (with time zone) and interval triggers, computed from the
//! last recorded firing — never from memory — so a restart neither skips nor repeats a firing.

use crate::model::{MissedPolicy, ScheduleSpec};
use crate::store::Millis;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Upper bound on firings caught up at once under `run_all` (and on late firings of one check).
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
    /// Fire times that get a run, oldest first.
    pub run: Vec<Millis>,
    /// Fire times recorded as missed (no run): the latest of them and how many there were.
    pub missed: Option<(Millis, usize)>,
    /// The next fire time after these.
    pub next: Option<Millis>,
}

/// Fire times due between `last` (exclusive) and `now` (inclusive), sorted by the missed
/// policy. A fire time is *missed* when no owner was running at that moment (`was_up` says
/// whether one was); a fire time that fell while an owner ran is fired, however late the
/// check that finds it.
pub fn due(
    spec: &ScheduleSpec,
    policy: MissedPolicy,
    last: Millis,
    now: Millis,
    was_up: impl Fn(Millis) -> bool,
) -> DueFirings {
    let mut on_time: std::collections::VecDeque<Millis> = Default::default();
    // The newest missed fire times (at most CATCH_UP_LIMIT), how many in all, and the newest
    // one that fell out of that tail.
    let mut tail: std::collections::VecDeque<Millis> = Default::default();
    let mut missed_count = 0usize;
    let mut before_tail: Option<Millis> = None;
    let mut cursor = last;
    while let Some(t) = next_after(spec, cursor) {
        if t > now {
            break;
        }
        cursor = t;
        if was_up(t) {
            on_time.push_back(t);
            if on_time.len() > CATCH_UP_LIMIT {
                // An owner that did not look for a very long time: the oldest count as missed.
                if let Some(dropped) = on_time.pop_front() {
                    missed_count += 1;
                    before_tail = before_tail.max(Some(dropped));
                }
            }
        } else {
            missed_count += 1;
            tail.push_back(t);
            if tail.len() > CATCH_UP_LIMIT {
                before_tail = before_tail.max(tail.pop_front());
            }
        }
    }
    let next = next_after(spec, cursor);
    let mut run: Vec<Millis> = Vec::new();
    let mut missed = None;
    let newest_missed = tail.back().copied().or(before_tail);
    if missed_count > 0 {
        match policy {
            MissedPolicy::Skip => missed = newest_missed.map(|t| (t, missed_count)),
            MissedPolicy::RunOnce => {
                if on_time.is_empty() {
                    // The newest missed time runs once; the others are recorded as missed.
                    if let Some(t) = tail.pop_back() {
                        run.push(t);
                        if missed_count > 1 {
                            missed = tail
                                .back()
                                .copied()
                                .or(before_tail)
                                .map(|m| (m, missed_count - 1));
                        }
                    }
                } else {
                    missed = newest_missed.map(|t| (t, missed_count));
                }
            }
            MissedPolicy::RunAll => {
                let skipped = missed_count - tail.len();
                if skipped > 0 {
                    missed = before_tail.map(|t| (t, skipped));
                }
                run.extend(tail.iter().copied());
            }
        }
    }
    run.extend(on_time);
    run.sort_unstable();
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
        // Ten fire times due; the engine was down until 9.5 minutes, so nine were missed and
        // the last one is only late.
        let now = 10 * 60_000 + 5_000;
        let up = |t: Millis| t >= 570_000;
        let skip = due(&spec, MissedPolicy::Skip, 0, now, up);
        assert_eq!(skip.run, vec![600_000]);
        assert_eq!(skip.missed, Some((540_000, 9)));
        let once = due(&spec, MissedPolicy::RunOnce, 0, now, up);
        assert_eq!(once.run, vec![600_000]);
        assert_eq!(once.missed, Some((540_000, 9)));
        let all = due(&spec, MissedPolicy::RunAll, 0, now, up);
        assert_eq!(all.run.len(), 10);
        assert_eq!(all.next, Some(660_000));
    }

    #[test]
    fn a_short_outage_is_missed_and_lateness_is_not() {
        let spec = ScheduleSpec::Interval {
            every: DurationSpec::from_secs(1),
        };
        // Down from 10.5 s to 12.5 s: the fire times at 11 s and 12 s fell in the outage.
        let up = |t: Millis| !(10_500..12_500).contains(&t);
        let skip = due(&spec, MissedPolicy::Skip, 10_000, 13_000, up);
        assert_eq!(skip.run, vec![13_000]);
        assert_eq!(skip.missed, Some((12_000, 2)));
        let once = due(&spec, MissedPolicy::RunOnce, 10_000, 12_600, up);
        assert_eq!(
            once.run,
            vec![12_000],
            "nothing on time: the newest missed runs once"
        );
        assert_eq!(once.missed, Some((11_000, 1)));
        // An owner that was up all along but looked 40 s late fires every time, missing none.
        let late = due(&spec, MissedPolicy::Skip, 0, 40_000, |_| true);
        assert_eq!(late.run.len(), 40);
        assert_eq!(late.missed, None);
    }

    #[test]
    fn catching_up_is_bounded() {
        let spec = ScheduleSpec::Interval {
            every: DurationSpec::from_secs(1),
        };
        let all = due(&spec, MissedPolicy::RunAll, 0, 1_000_000, |_| false);
        assert_eq!(all.run.len(), CATCH_UP_LIMIT);
        assert_eq!(all.run[0], 901_000);
        assert_eq!(all.missed, Some((900_000, 900)));
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
