//! Statutory clocks (DOMAIN.md §4): which run on a petition, when each ends, why, and whether it
//! is overdue — computed from the petition's events, a rule set and a working-day calendar, the
//! way an inspector would check it by hand.
//!
//! Rules are data ([`Rule`], defaults in [`default_rules`]) versioned by the date they took
//! effect; administrators edit the values the reference marks unconfirmed. A clock uses the rule
//! in force on the day it started, unless a later rule says it also applies to pending matters
//! (transitional provisions, reference §13.4) and the clock was still running when that rule
//! took effect. A suspension pauses a clock; the resumption continues it with the time already
//! used kept (NĐ 155/2026 Art. 28b).

use crate::format::date as fmt;
use chrono::NaiveDate;
use danvan_calendar::WorkCalendar;
use serde::Serialize;

/// How a clock's days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Count {
    /// Working days of the unit's calendar ("ngày làm việc").
    Working,
    /// Calendar days, the first not counted (Bộ luật Dân sự Art. 147); with `roll_forward`, a last
    /// day that is off moves to the next working day (Art. 148.5).
    Calendar,
}

impl Count {
    pub fn code(self) -> &'static str {
        match self {
            Count::Working => "working",
            Count::Calendar => "calendar",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "working" => Some(Count::Working),
            "calendar" => Some(Count::Calendar),
            _ => None,
        }
    }
    fn unit(self) -> &'static str {
        match self {
            Count::Working => "ngày làm việc",
            Count::Calendar => "ngày",
        }
    }
}

/// The event a clock counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Start {
    /// The petition was received (ngày nhận đơn).
    Received,
    /// The matter was accepted for settlement (ngày thụ lý).
    Accepted,
}

impl Start {
    pub fn code(self) -> &'static str {
        match self {
            Start::Received => "received",
            Start::Accepted => "accepted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "received" => Some(Start::Received),
            "accepted" => Some(Start::Accepted),
            _ => None,
        }
    }
    fn phrase(self) -> &'static str {
        match self {
            Start::Received => "kể từ ngày nhận đơn",
            Start::Accepted => "kể từ ngày thụ lý",
        }
    }
}

/// Which clocks exist, each ending on its own event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Clock {
    /// Processing a received KNPA (or any petition without a type-specific rule): until the
    /// handling decision.
    Processing,
    /// Accepting a complaint: until it is accepted or another decision is made.
    ComplaintAcceptance,
    /// Settling a complaint, first instance: from acceptance until the result.
    ComplaintFirst,
    /// Settling a complaint, second instance.
    ComplaintSecond,
    /// Checking a denunciation (Luật Tố cáo Art. 24.1): until a decision.
    DenunciationCheck,
    /// Transferring a denunciation outside competence (Art. 24.2).
    DenunciationTransfer,
    /// Settling a denunciation (Art. 30): from acceptance until the conclusion.
    DenunciationSettlement,
}

impl Clock {
    pub const ALL: [Clock; 7] = [
        Clock::Processing,
        Clock::ComplaintAcceptance,
        Clock::ComplaintFirst,
        Clock::ComplaintSecond,
        Clock::DenunciationCheck,
        Clock::DenunciationTransfer,
        Clock::DenunciationSettlement,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Clock::Processing => "xld.process",
            Clock::ComplaintAcceptance => "kn.accept",
            Clock::ComplaintFirst => "kn1.settle",
            Clock::ComplaintSecond => "kn2.settle",
            Clock::DenunciationCheck => "tc.check",
            Clock::DenunciationTransfer => "tc.transfer",
            Clock::DenunciationSettlement => "tc.settle",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Clock::ALL.into_iter().find(|c| c.code() == s)
    }
    /// What the clock limits, as the line starts: "Hạn thụ lý", "Hạn giải quyết"…
    pub fn label(self) -> &'static str {
        match self {
            Clock::Processing => "Hạn xử lý đơn",
            Clock::ComplaintAcceptance => "Hạn thụ lý khiếu nại",
            Clock::ComplaintFirst => "Hạn giải quyết khiếu nại lần đầu",
            Clock::ComplaintSecond => "Hạn giải quyết khiếu nại lần hai",
            Clock::DenunciationCheck => "Hạn kiểm tra, thụ lý tố cáo",
            Clock::DenunciationTransfer => "Hạn chuyển đơn tố cáo",
            Clock::DenunciationSettlement => "Hạn giải quyết tố cáo",
        }
    }
}

/// One versioned rule: a clock's length and how it is counted, between two dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub clock: Clock,
    pub start: Start,
    pub days: u32,
    /// Length when the case is complex (Luật KN Art. 28, 37); None: same.
    pub complex_days: Option<u32>,
    /// Length in remote, hard-to-reach areas (vùng sâu, vùng xa); None: same.
    pub remote_days: Option<u32>,
    /// Remote and complex.
    pub remote_complex_days: Option<u32>,
    pub count: Count,
    pub roll_forward: bool,
    /// Extensions by decision: how many, and the days each adds (denunciation: 2 × 30).
    pub max_extensions: u32,
    pub extension_days: u32,
    pub basis: String,
    pub valid_from: NaiveDate,
    /// Last day in force; None: still in force.
    pub valid_to: Option<NaiveDate>,
    /// A transitional provision makes this rule govern matters already running on `valid_from`.
    pub applies_to_pending: bool,
    /// The reference marks the value unconfirmed: administrators should check it.
    pub unconfirmed: bool,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The rule sets before and from 1/7/2026 (Luật 136/2025/QH15 and its decrees).
pub fn default_rules() -> Vec<Rule> {
    let since = day(2014, 1, 1);
    let change = day(2026, 7, 1);
    let before = Some(day(2026, 6, 30));
    let r = |clock, start, days, count, basis: &str| Rule {
        clock,
        start,
        days,
        complex_days: None,
        remote_days: None,
        remote_complex_days: None,
        count,
        roll_forward: count == Count::Calendar,
        max_extensions: 0,
        extension_days: 0,
        basis: basis.to_owned(),
        valid_from: since,
        valid_to: None,
        applies_to_pending: false,
        unconfirmed: false,
    };
    vec![
        Rule {
            unconfirmed: true,
            ..r(
                Clock::Processing,
                Start::Received,
                10,
                Count::Working,
                "Thủ tục xử lý đơn (Thông tư 05/2021/TT-TTCP)",
            )
        },
        Rule {
            valid_to: before,
            ..r(
                Clock::ComplaintAcceptance,
                Start::Received,
                10,
                Count::Working,
                "Luật Khiếu nại 2011 Điều 27; Nghị định 124/2020/NĐ-CP Điều 16.1",
            )
        },
        Rule {
            valid_from: change,
            unconfirmed: true,
            ..r(
                Clock::ComplaintAcceptance,
                Start::Received,
                7,
                Count::Working,
                "Nghị định 124/2020/NĐ-CP Điều 16.1, sửa đổi bởi Nghị định 155/2026/NĐ-CP Điều 10",
            )
        },
        Rule {
            complex_days: Some(45),
            remote_days: Some(45),
            remote_complex_days: Some(60),
            unconfirmed: true,
            ..r(
                Clock::ComplaintFirst,
                Start::Accepted,
                30,
                Count::Calendar,
                "Luật Khiếu nại 2011 Điều 28",
            )
        },
        Rule {
            complex_days: Some(60),
            remote_days: Some(60),
            remote_complex_days: Some(70),
            unconfirmed: true,
            ..r(
                Clock::ComplaintSecond,
                Start::Accepted,
                45,
                Count::Calendar,
                "Luật Khiếu nại 2011 Điều 37",
            )
        },
        Rule {
            max_extensions: 1,
            extension_days: 3,
            ..r(
                Clock::DenunciationCheck,
                Start::Received,
                7,
                Count::Working,
                "Luật Tố cáo 2018 Điều 24.1",
            )
        },
        r(
            Clock::DenunciationTransfer,
            Start::Received,
            5,
            Count::Working,
            "Luật Tố cáo 2018 Điều 24.2",
        ),
        Rule {
            max_extensions: 2,
            extension_days: 30,
            unconfirmed: true,
            ..r(
                Clock::DenunciationSettlement,
                Start::Accepted,
                30,
                Count::Calendar,
                "Luật Tố cáo 2018 Điều 30; Nghị định 31/2019/NĐ-CP Điều 3",
            )
        },
    ]
}

/// The rule governing a clock that started on `started`, as of `today`.
pub fn rule_for(
    rules: &[Rule],
    clock: Clock,
    started: NaiveDate,
    ended: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<&Rule> {
    let in_force = |r: &&Rule, d: NaiveDate| r.valid_from <= d && r.valid_to.is_none_or(|t| d <= t);
    let mut chosen = rules
        .iter()
        .filter(|r| r.clock == clock)
        .find(|r| in_force(r, started))?;
    // A later rule that governs pending matters takes over a clock still running on its first day.
    for r in rules
        .iter()
        .filter(|r| r.clock == clock && r.applies_to_pending)
    {
        let still_running = ended.is_none_or(|e| e >= r.valid_from);
        if r.valid_from > started
            && r.valid_from <= today
            && still_running
            && r.valid_from > chosen.valid_from
        {
            chosen = r;
        }
    }
    Some(chosen)
}

/// What happened on a petition, as far as its clocks care.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// "KN", "TC", "KNPA".
    pub petition_type: String,
    pub received: Option<NaiveDate>,
    /// The handling decision (accept, transfer, guide, return, file, urge) and its date.
    pub decision: Option<(String, NaiveDate)>,
    /// Competence (None: not yet assessed).
    pub competent: Option<bool>,
    /// Acceptance for settlement (thụ lý).
    pub accepted: Option<NaiveDate>,
    /// Complaint instance: 1 or 2.
    pub instance: u8,
    pub complex: bool,
    pub remote: bool,
    /// The settlement result (quyết định giải quyết, kết luận) date.
    pub result: Option<NaiveDate>,
    /// Extension decisions: (date, decision number).
    pub extensions: Vec<(NaiveDate, String)>,
    /// Suspensions: (from, resumed on); None while suspended.
    pub suspensions: Vec<(NaiveDate, Option<NaiveDate>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Running,
    /// Suspended (tạm đình chỉ): no end date until resumed.
    Paused,
    Done,
    /// Ended after its end date: stays "quá hạn" in history.
    DoneLate,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Paused => "paused",
            State::Done => "done",
            State::DoneLate => "done_late",
        }
    }
}

/// A computed clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub clock: Clock,
    pub started: NaiveDate,
    /// None while suspended.
    pub due: Option<NaiveDate>,
    pub ended: Option<NaiveDate>,
    pub state: State,
    /// "Hạn giải quyết tố cáo: 06/04/2026 — 30 ngày kể từ ngày thụ lý 05/03/2026; …"
    pub explanation: String,
    pub rule_from: NaiveDate,
}

impl Deadline {
    /// Overdue as of `today`: ended late, or still running past its end date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        match self.state {
            State::DoneLate => true,
            State::Running => self.due.is_some_and(|d| d < today),
            _ => false,
        }
    }
}

/// Why a clock could not be computed (a date outside the calendar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannotCompute(pub String);

/// The clocks of a petition: which run, from when, until when, and why.
pub fn clocks(
    f: &Facts,
    rules: &[Rule],
    cal: &WorkCalendar,
    today: NaiveDate,
) -> Result<Vec<Deadline>, CannotCompute> {
    let mut out = vec![];
    let Some(received) = f.received else {
        return Ok(out);
    };
    let decision = f.decision.as_ref().map(|d| d.1);
    let accepted = f.accepted.or_else(|| {
        f.decision
            .as_ref()
            .filter(|(d, _)| d == "accept")
            .map(|d| d.1)
    });
    // The first clock: from receipt to the handling decision.
    let first = match f.petition_type.as_str() {
        "TC" if f.competent == Some(false) => Clock::DenunciationTransfer,
        "TC" => Clock::DenunciationCheck,
        "KN" => Clock::ComplaintAcceptance,
        _ => Clock::Processing,
    };
    let first_end = match first {
        Clock::ComplaintAcceptance | Clock::DenunciationCheck => accepted.or(decision),
        _ => decision,
    };
    // Only the check of a denunciation may be extended (to 10 working days); settlement
    // extensions belong to the settlement clock.
    let first_ext = if first == Clock::DenunciationCheck && accepted.is_none() {
        f.extensions.as_slice()
    } else {
        &[]
    };
    if let Some(d) = one(
        first,
        received,
        first_end,
        f,
        first_ext,
        &[],
        rules,
        cal,
        today,
    )? {
        out.push(d);
    }
    if let Some(acc) = accepted {
        let settle = match f.petition_type.as_str() {
            "TC" => Some(Clock::DenunciationSettlement),
            "KN" if f.instance == 2 => Some(Clock::ComplaintSecond),
            "KN" => Some(Clock::ComplaintFirst),
            _ => None,
        };
        if let Some(c) = settle {
            let ext: Vec<_> = f
                .extensions
                .iter()
                .filter(|e| e.0 >= acc)
                .cloned()
                .collect();
            if let Some(d) = one(c, acc, f.result, f, &ext, &f.suspensions, rules, cal, today)? {
                out.push(d);
            }
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn one(
    clock: Clock,
    start: NaiveDate,
    ended: Option<NaiveDate>,
    f: &Facts,
    extensions: &[(NaiveDate, String)],
    suspensions: &[(NaiveDate, Option<NaiveDate>)],
    rules: &[Rule],
    cal: &WorkCalendar,
    today: NaiveDate,
) -> Result<Option<Deadline>, CannotCompute> {
    let Some(rule) = rule_for(rules, clock, start, ended, today) else {
        return Ok(None);
    };
    let err = |e: danvan_calendar::OutOfRange| CannotCompute(e.to_string());
    let (days, variant) = match (f.remote, f.complex) {
        (true, true) => (
            rule.remote_complex_days.unwrap_or(rule.days),
            " (vụ việc phức tạp ở vùng sâu, vùng xa)",
        ),
        (true, false) => (
            rule.remote_days.unwrap_or(rule.days),
            " (vùng sâu, vùng xa)",
        ),
        (false, true) => (
            rule.complex_days.unwrap_or(rule.days),
            " (vụ việc phức tạp)",
        ),
        (false, false) => (rule.days, ""),
    };
    let variant = if days == rule.days { "" } else { variant };
    let used_ext: Vec<&(NaiveDate, String)> = extensions
        .iter()
        .take(rule.max_extensions as usize)
        .collect();
    let total = days + rule.extension_days * used_ext.len() as u32;
    let mut why = format!(
        "{days} {} {} {}{variant}",
        rule.count.unit(),
        rule.start.phrase(),
        fmt(start)
    );
    for (on, number) in &used_ext {
        let by = if number.is_empty() {
            String::new()
        } else {
            format!(" theo {number}")
        };
        why.push_str(&format!(
            "; gia hạn {} {}{by} ngày {}",
            rule.extension_days,
            rule.count.unit(),
            fmt(*on)
        ));
    }
    // Walk the suspensions: time used before each is kept, the pause is not counted.
    let mut from = start;
    let mut remaining = i64::from(total);
    let mut paused_since = None;
    for (s, r) in suspensions
        .iter()
        .filter(|(s, _)| *s >= start && ended.is_none_or(|e| *s <= e))
    {
        let used = match rule.count {
            Count::Working => cal.working_days_between(from, *s).map_err(err)?,
            Count::Calendar => (*s - from).num_days(),
        };
        remaining -= used.max(0);
        match r {
            Some(resumed) => {
                why.push_str(&format!("; tạm đình chỉ {} – {}", fmt(*s), fmt(*resumed)));
                from = *resumed;
            }
            None => {
                why.push_str(&format!("; tạm đình chỉ từ {}", fmt(*s)));
                paused_since = Some(*s);
                break;
            }
        }
    }
    let remaining = remaining.max(0) as u32;
    let due = if paused_since.is_some() {
        None
    } else {
        let raw = match rule.count {
            Count::Working => cal.add_working_days(from, remaining).map_err(err)?,
            Count::Calendar => from + chrono::Duration::days(i64::from(remaining)),
        };
        let due = if rule.roll_forward {
            cal.roll_forward(raw).map_err(err)?
        } else {
            raw
        };
        if due != raw {
            why.push_str(&format!(
                "; ngày cuối {} là ngày nghỉ nên hạn là ngày làm việc tiếp theo",
                fmt(raw)
            ));
        }
        Some(due)
    };
    why.push_str(&format!("; {}", rule.basis));
    let state = match (ended, due, paused_since) {
        (_, _, Some(_)) => State::Paused,
        (Some(e), Some(d), _) if e > d => State::DoneLate,
        (Some(_), _, _) => State::Done,
        (None, _, _) => State::Running,
    };
    let head = match due {
        Some(d) => format!("{}: {}", clock.label(), fmt(d)),
        None => format!("{}: đang tạm đình chỉ", clock.label()),
    };
    Ok(Some(Deadline {
        clock,
        started: start,
        due,
        ended,
        state,
        explanation: format!("{head} — {why}"),
        rule_from: rule.valid_from,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn denunciation(accepted: NaiveDate) -> Facts {
        Facts {
            petition_type: "TC".into(),
            received: Some(accepted - chrono::Duration::days(5)),
            competent: Some(true),
            decision: Some(("accept".into(), accepted)),
            ..Facts::default()
        }
    }

    #[test]
    fn the_issue_example_30_days_from_acceptance_rolled_to_monday() {
        let cal = danvan_calendar::national();
        let f = denunciation(d(2026, 3, 5));
        let c = clocks(&f, &default_rules(), &cal, d(2026, 3, 20)).expect("computes");
        let settle = c
            .iter()
            .find(|c| c.clock == Clock::DenunciationSettlement)
            .expect("settlement clock");
        assert_eq!(settle.due, Some(d(2026, 4, 6)));
        assert!(
            settle.explanation.starts_with(
                "Hạn giải quyết tố cáo: 06/04/2026 — 30 ngày kể từ ngày thụ lý 05/03/2026"
            ),
            "{}",
            settle.explanation
        );
        assert!(
            settle
                .explanation
                .contains("ngày cuối 04/04/2026 là ngày nghỉ")
        );
        assert_eq!(settle.state, State::Running);
        // The check clock ended on acceptance, in time.
        let check = c
            .iter()
            .find(|c| c.clock == Clock::DenunciationCheck)
            .expect("check clock");
        assert_eq!(check.state, State::Done);
    }

    #[test]
    fn extensions_are_capped_by_the_rule() {
        let cal = danvan_calendar::national();
        let mut f = denunciation(d(2026, 3, 5));
        f.extensions = vec![
            (d(2026, 4, 1), "Quyết định số 12/QĐ-UBND".into()),
            (d(2026, 5, 1), "Quyết định số 20/QĐ-UBND".into()),
            (d(2026, 6, 1), "Quyết định số 30/QĐ-UBND".into()),
        ];
        let c = clocks(&f, &default_rules(), &cal, d(2026, 3, 20)).expect("computes");
        let settle = c
            .iter()
            .find(|c| c.clock == Clock::DenunciationSettlement)
            .expect("clock");
        // 90 days from 5/3/2026 = 3/6/2026 (Wednesday).
        assert_eq!(settle.due, Some(d(2026, 6, 3)));
        assert!(
            settle
                .explanation
                .contains("gia hạn 30 ngày theo Quyết định số 12/QĐ-UBND")
        );
        assert!(
            !settle.explanation.contains("30/QĐ-UBND"),
            "a third extension is not counted"
        );
    }

    #[test]
    fn a_suspension_pauses_and_resumption_continues() {
        let cal = danvan_calendar::national();
        let mut f = denunciation(d(2026, 3, 5));
        f.suspensions = vec![(d(2026, 3, 15), None)];
        let c = clocks(&f, &default_rules(), &cal, d(2026, 4, 20)).expect("computes");
        let settle = c
            .iter()
            .find(|c| c.clock == Clock::DenunciationSettlement)
            .expect("clock");
        assert_eq!(settle.state, State::Paused);
        assert_eq!(settle.due, None);
        assert!(
            !settle.overdue(d(2026, 5, 20)),
            "a paused clock is not overdue"
        );
        // 10 days used; resumed on 1/5/2026: 20 days left → 21/5/2026.
        f.suspensions = vec![(d(2026, 3, 15), Some(d(2026, 5, 1)))];
        let c = clocks(&f, &default_rules(), &cal, d(2026, 5, 2)).expect("computes");
        let settle = c
            .iter()
            .find(|c| c.clock == Clock::DenunciationSettlement)
            .expect("clock");
        assert_eq!(settle.due, Some(d(2026, 5, 21)));
        assert!(
            settle
                .explanation
                .contains("tạm đình chỉ 15/03/2026 – 01/05/2026")
        );
    }

    #[test]
    fn complaint_acceptance_changes_on_1_july_2026() {
        let cal = danvan_calendar::national();
        let complaint = |received| Facts {
            petition_type: "KN".into(),
            received: Some(received),
            instance: 1,
            ..Facts::default()
        };
        let before = clocks(
            &complaint(d(2026, 6, 1)),
            &default_rules(),
            &cal,
            d(2026, 6, 2),
        )
        .expect("computes");
        // 10 working days after Monday 1/6/2026.
        assert_eq!(before[0].due, Some(d(2026, 6, 15)));
        let after = clocks(
            &complaint(d(2026, 7, 1)),
            &default_rules(),
            &cal,
            d(2026, 7, 2),
        )
        .expect("computes");
        // 7 working days after Wednesday 1/7/2026.
        assert_eq!(after[0].due, Some(d(2026, 7, 10)));
        assert!(after[0].explanation.contains("Nghị định 155/2026"));
    }

    #[test]
    fn a_pending_rule_takes_over_only_when_the_transition_says_so() {
        let cal = danvan_calendar::national();
        let mut rules = default_rules();
        let f = Facts {
            petition_type: "KN".into(),
            received: Some(d(2026, 6, 25)),
            instance: 1,
            ..Facts::default()
        };
        let c = clocks(&f, &rules, &cal, d(2026, 7, 3)).expect("computes");
        assert!(
            c[0].explanation.contains("10 ngày làm việc"),
            "the rule of the start date"
        );
        for r in rules
            .iter_mut()
            .filter(|r| r.clock == Clock::ComplaintAcceptance && r.valid_from == d(2026, 7, 1))
        {
            r.applies_to_pending = true;
        }
        let c = clocks(&f, &rules, &cal, d(2026, 7, 3)).expect("computes");
        assert!(
            c[0].explanation.contains("7 ngày làm việc"),
            "{}",
            c[0].explanation
        );
    }

    #[test]
    fn remote_complex_complaints_and_late_results() {
        let cal = danvan_calendar::national();
        let f = Facts {
            petition_type: "KN".into(),
            received: Some(d(2025, 3, 3)),
            decision: Some(("accept".into(), d(2025, 3, 10))),
            instance: 2,
            complex: true,
            remote: true,
            result: Some(d(2025, 6, 30)),
            ..Facts::default()
        };
        let c = clocks(&f, &default_rules(), &cal, d(2025, 7, 1)).expect("computes");
        let settle = c
            .iter()
            .find(|c| c.clock == Clock::ComplaintSecond)
            .expect("clock");
        // 70 days from 10/3/2025 = 19/5/2025 (Monday).
        assert_eq!(settle.due, Some(d(2025, 5, 19)));
        assert_eq!(settle.state, State::DoneLate);
        assert!(settle.overdue(d(2030, 1, 1)), "late stays late");
        assert!(settle.explanation.contains("vùng sâu, vùng xa"));
    }
}
