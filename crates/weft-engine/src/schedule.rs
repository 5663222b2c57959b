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

/// The next `count` fire times after `now` of a schedule counting from `since` (its last firing,
/// or when it was armed): the times the executor will fire, since it steps from the same point.
/// Empty for on demand.
pub fn upcoming(spec: &ScheduleSpec, since: Millis, now: Millis, count: usize) -> Vec<Millis> {
    let mut cursor = match spec {
        // An interval steps from `since`: jump to the last step not after `now` rather than
        // walking a long-stopped schedule one step at a time.
        ScheduleSpec::Interval { every } => {
            let step = every.as_duration().as_millis() as i64;
            if step <= 0 {
                return Vec::new();
            }
            if since >= now {
                since
            } else {
                since + (now - since) / step * step
            }
        }
        ScheduleSpec::Cron { .. } => now.max(since),
        ScheduleSpec::OnDemand => return Vec::new(),
    };
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let Some(t) = next_after(spec, cursor) else {
            break;
        };
        out.push(t);
        cursor = t;
    }
    out
}

/// A fire time written in the schedule's own time zone ("Mon 30 Mar 2026 08:00 CEST"), so it
/// reads the same on every machine whatever that machine's zone.
pub fn local_time(spec: &ScheduleSpec, at: Millis) -> String {
    let zone: Tz = match spec {
        ScheduleSpec::Cron {
            timezone: Some(tz), ..
        } => tz.parse().unwrap_or(Tz::UTC),
        _ => Tz::UTC,
    };
    match DateTime::from_timestamp_millis(at) {
        Some(t) => t
            .with_timezone(&zone)
            .format("%a %-d %b %Y %H:%M %Z")
            .to_string(),
        None => at.to_string(),
    }
}

/// A schedule in words: "every weekday at 08:00 Europe/Paris", "every 15 minutes",
/// "on demand (Run now only)". A cron expression with no simple reading is shown as written
/// ("cron 0 9 1-7 * 1 (UTC)").
pub fn describe(spec: &ScheduleSpec) -> String {
    match spec {
        ScheduleSpec::OnDemand => "on demand (Run now only)".into(),
        ScheduleSpec::Interval { every } => {
            format!("every {}", duration_words(every.as_duration()))
        }
        ScheduleSpec::Cron { cron, timezone } => {
            let zone = timezone.as_deref().unwrap_or("UTC");
            match cron_words(cron) {
                // Every n minutes reads the same in every zone.
                Some(words) if words.ends_with("minute") || words.ends_with("minutes") => words,
                Some(words) => format!("{words} {zone}"),
                None => format!("cron {} ({zone})", cron.trim()),
            }
        }
    }
}

/// The missed-run policy in words.
pub fn describe_missed(policy: MissedPolicy) -> &'static str {
    match policy {
        MissedPolicy::Skip => "missed runs are skipped",
        MissedPolicy::RunOnce => "missed runs run once",
        MissedPolicy::RunAll => "every missed run runs",
    }
}

fn duration_words(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    let unit = |n: u64, one: &str| {
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {one}s")
        }
    };
    if d.subsec_millis() != 0 || secs == 0 {
        return humantime::format_duration(d).to_string();
    }
    if secs.is_multiple_of(86_400) {
        unit(secs / 86_400, "day")
    } else if secs.is_multiple_of(3_600) {
        unit(secs / 3_600, "hour")
    } else if secs.is_multiple_of(60) {
        unit(secs / 60, "minute")
    } else if secs < 60 {
        unit(secs, "second")
    } else {
        humantime::format_duration(d).to_string()
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A number field that is one plain number.
fn single(field: &str, max: u32) -> Option<u32> {
    field.parse::<u32>().ok().filter(|n| *n <= max)
}

/// Days of the week of a cron field ("1-5", "MON,WED", "0,6"), Sunday = 0 (7 too).
fn weekdays(field: &str) -> Option<Vec<u32>> {
    let day = |s: &str| -> Option<u32> {
        let names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
        let up = s.to_ascii_uppercase();
        names
            .iter()
            .position(|n| *n == up)
            .map(|i| i as u32)
            .or_else(|| s.parse::<u32>().ok().filter(|n| *n <= 7).map(|n| n % 7))
    };
    let mut days = Vec::new();
    for part in field.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                // "1-7" ends on Sunday written as 7.
                let b = if b == 0 && a > 0 { 7 } else { b };
                if a > b {
                    return None;
                }
                days.extend((a..=b).map(|d| d % 7));
            }
            None => days.push(day(part)?),
        }
    }
    days.sort_unstable();
    days.dedup();
    Some(days)
}

fn days_words(days: &[u32]) -> String {
    match days {
        [1, 2, 3, 4, 5] => "every weekday".into(),
        [0, 6] => "every Saturday and Sunday".into(),
        [0, 1, 2, 3, 4, 5, 6] => "every day".into(),
        [d] => format!("every {}", DAYS[*d as usize]),
        _ => {
            let names: Vec<&str> = days.iter().map(|d| DAYS[*d as usize]).collect();
            match names.split_last() {
                Some((last, rest)) => format!("every {} and {last}", rest.join(", ")),
                None => "never".into(),
            }
        }
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The common shapes of a five-field cron expression in words; None for anything else (which
/// is then shown as written rather than described wrongly).
fn cron_words(cron: &str) -> Option<String> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields.as_slice() else {
        return None;
    };
    if *month != "*" {
        return None;
    }
    let every_n = |field: &str| field.strip_prefix("*/").and_then(|n| n.parse::<u32>().ok());
    // Sub-daily shapes: every minute, every n minutes, every hour at :mm, every n hours.
    if *dom == "*" && *dow == "*" {
        match (*minute, *hour) {
            ("*", "*") => return Some("every minute".into()),
            (m, "*") if every_n(m).is_some() => {
                let n = every_n(m)?;
                return Some(if n == 1 {
                    "every minute".into()
                } else {
                    format!("every {n} minutes")
                });
            }
            (m, "*") => return single(m, 59).map(|m| format!("every hour at :{m:02}")),
            (m, h) if every_n(h).is_some() => {
                let (m, n) = (single(m, 59)?, every_n(h)?);
                return Some(format!("every {n} hours at :{m:02}"));
            }
            _ => {}
        }
    }
    let (m, h) = (single(minute, 59)?, single(hour, 23)?);
    let at = format!("at {h:02}:{m:02}");
    match (*dom, *dow) {
        ("*", "*") => Some(format!("every day {at}")),
        ("*", days) => Some(format!("{} {at}", days_words(&weekdays(days)?))),
        (d, "*") => single(d, 31)
            .filter(|d| *d >= 1)
            .map(|d| format!("every month on the {} {at}", ordinal(d))),
        _ => None,
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

    fn paris(cron: &str) -> ScheduleSpec {
        ScheduleSpec::Cron {
            cron: cron.into(),
            timezone: Some("Europe/Paris".into()),
        }
    }

    #[test]
    fn the_next_three_fire_times_cross_a_change_to_summer_time() {
        // Clocks in Paris go from 02:00 to 03:00 on Sunday 29 March 2026: 08:00 is 07:00 UTC
        // on the Friday before and 06:00 UTC on the Monday after.
        let spec = paris("0 8 * * 1-5");
        let next = upcoming(&spec, 0, ms("2026-03-26T07:30:00Z"), 3);
        assert_eq!(
            next,
            vec![
                ms("2026-03-27T07:00:00Z"),
                ms("2026-03-30T06:00:00Z"),
                ms("2026-03-31T06:00:00Z"),
            ]
        );
        assert_eq!(local_time(&spec, next[0]), "Fri 27 Mar 2026 08:00 CET");
        assert_eq!(local_time(&spec, next[1]), "Mon 30 Mar 2026 08:00 CEST");
        // And back to winter time on Sunday 25 October 2026.
        let daily = paris("30 9 * * *");
        let next = upcoming(&daily, 0, ms("2026-10-24T12:00:00Z"), 3);
        assert_eq!(
            next,
            vec![
                ms("2026-10-25T08:30:00Z"),
                ms("2026-10-26T08:30:00Z"),
                ms("2026-10-27T08:30:00Z"),
            ]
        );
    }

    #[test]
    fn interval_fire_times_step_from_the_last_firing() {
        let spec = ScheduleSpec::Interval {
            every: DurationSpec::from_secs(900),
        };
        // Armed at 0; at 20 minutes the next firings are 30, 45 and 60 minutes.
        assert_eq!(
            upcoming(&spec, 0, 20 * 60_000, 3),
            vec![30 * 60_000, 45 * 60_000, 60 * 60_000]
        );
        assert!(upcoming(&ScheduleSpec::OnDemand, 0, 0, 3).is_empty());
    }

    #[test]
    fn schedules_in_words() {
        assert_eq!(
            describe(&paris("0 8 * * 1-5")),
            "every weekday at 08:00 Europe/Paris"
        );
        assert_eq!(
            describe(&paris("30 7 * * MON,WED,FRI")),
            "every Monday, Wednesday and Friday at 07:30 Europe/Paris"
        );
        assert_eq!(
            describe(&ScheduleSpec::Cron {
                cron: "0 9 * * *".into(),
                timezone: None
            }),
            "every day at 09:00 UTC"
        );
        assert_eq!(
            describe(&paris("0 6 1 * *")),
            "every month on the 1st at 06:00 Europe/Paris"
        );
        assert_eq!(describe(&paris("*/5 * * * *")), "every 5 minutes");
        assert_eq!(
            describe(&paris("0 9 1-7 * 1")),
            "cron 0 9 1-7 * 1 (Europe/Paris)",
            "no simple reading: shown as written"
        );
        assert_eq!(
            describe(&ScheduleSpec::Interval {
                every: DurationSpec::from_secs(900)
            }),
            "every 15 minutes"
        );
        assert_eq!(
            describe(&ScheduleSpec::Interval {
                every: DurationSpec::from_secs(5400)
            }),
            "every 90 minutes"
        );
        assert_eq!(
            describe(&ScheduleSpec::OnDemand),
            "on demand (Run now only)"
        );
        assert_eq!(
            describe_missed(MissedPolicy::RunOnce),
            "missed runs run once"
        );
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
