//! Days and working days (M-7): a calendar day with its arithmetic, and the production
//! calendar that deadlines in working days are counted by. The calendar knows Saturdays and
//! Sundays, the non-working holidays of the Labour Code (art. 112: 1–8 January, 23 February,
//! 8 March, 1 May, 9 May, 12 June, 4 November), a holiday falling on a day off moved to the
//! next working day, and the Government's transfers of the years it has built in; staff add
//! the transfers of other years as exceptions.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// The day of the week, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

impl Day {
    /// A day that exists, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
            .then_some(Day { year, month, day })
    }

    /// Reads «2026-10-15».
    pub fn parse(input: &str) -> Option<Day> {
        let mut parts = input.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if !(1900..=9999).contains(&year) {
            return None;
        }
        Day::new(year, month, day)
    }

    /// Reads «15.10.2026», as people type a date.
    pub fn parse_russian(input: &str) -> Option<Day> {
        let mut parts = input.trim().splitn(3, '.');
        let day: u32 = parts.next()?.trim().parse().ok()?;
        let month: u32 = parts.next()?.trim().parse().ok()?;
        let year: i32 = parts.next()?.trim().parse().ok()?;
        if !(1900..=9999).contains(&year) {
            return None;
        }
        Day::new(year, month, day)
    }

    /// «15.10.2026»
    pub fn caption(self) -> String {
        format!("{:02}.{:02}.{}", self.day, self.month, self.year)
    }

    /// «2026-10-15»
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn ordinal(self) -> i64 {
        // The days-from-civil algorithm (proleptic Gregorian calendar).
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `ordinal` days after 1970-01-01.
    pub fn from_ordinal(ordinal: i64) -> Day {
        let z = ordinal + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// The day `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Day {
        Day::from_ordinal(self.ordinal() + n)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        later.ordinal() - self.ordinal()
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.ordinal() + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }
}

/// The non-working holidays of the Labour Code, art. 112, as (month, day).
const HOLIDAYS: [(u32, u32); 14] = [
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

/// (month, day, working) of a decree.
type DecreeDay = (u32, u32, bool);

/// The Government's decrees of the years built in: for each year, every day that differs from
/// the plain week (`false`: a day off on a weekday, `true`: a working Saturday or Sunday).
/// 2026: Постановление Правительства РФ о переносе выходных дней в 2026 году (3 January to
/// 9 January, 4 January to 31 December), with 8 March and 9 May moved to 9 and 11 May by
/// art. 112.
const DECREES: &[(i32, &[DecreeDay])] = &[(
    2026,
    &[
        (1, 1, false),
        (1, 2, false),
        (1, 5, false),
        (1, 6, false),
        (1, 7, false),
        (1, 8, false),
        (1, 9, false),
        (2, 23, false),
        (3, 9, false),
        (5, 1, false),
        (5, 11, false),
        (6, 12, false),
        (11, 4, false),
        (12, 31, false),
    ],
)];

/// The production calendar: the plain week, the holidays and exceptions by day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Days set apart from the rules: `true` a working day, `false` a day off.
    exceptions: BTreeMap<Day, bool>,
}

impl WorkCalendar {
    /// The calendar of the built-in rules and decrees alone.
    pub fn russian() -> Self {
        Self::default()
    }

    /// The built-in calendar with the days staff set (`true`: working, `false`: day off).
    pub fn with_exceptions(exceptions: impl IntoIterator<Item = (Day, bool)>) -> Self {
        Self {
            exceptions: exceptions.into_iter().collect(),
        }
    }

    /// Sets one day as working or not.
    pub fn set(&mut self, day: Day, working: bool) {
        self.exceptions.insert(day, working);
    }

    pub fn is_working_day(&self, day: Day) -> bool {
        if let Some(working) = self.exceptions.get(&day) {
            return *working;
        }
        if let Some((_, days)) = DECREES.iter().find(|(year, _)| *year == day.year) {
            return match days
                .iter()
                .find(|(m, d, _)| *m == day.month && *d == day.day)
            {
                Some((_, _, working)) => *working,
                None => !day.weekday().is_weekend(),
            };
        }
        !day.weekday().is_weekend() && !is_statutory_day_off(day)
    }

    /// Whether staff set `day` apart from the rules (`Some(true)`: working).
    pub fn exception(&self, day: Day) -> Option<bool> {
        self.exceptions.get(&day).copied()
    }

    /// A month as a sheet of weeks from Monday, with its working days.
    pub fn month_sheet(&self, year: i32, month: u32) -> MonthSheet {
        let mut weeks: Vec<[Option<SheetDay>; 7]> = Vec::new();
        let mut working_days = 0;
        for d in 1..=days_in_month(year, month) {
            let Some(day) = Day::new(year, month, d) else {
                continue;
            };
            let column = day.weekday() as usize;
            if weeks.is_empty() || column == 0 {
                weeks.push([None; 7]);
            }
            let working = self.is_working_day(day);
            working_days += u32::from(working);
            if let Some(week) = weeks.last_mut() {
                week[column] = Some(SheetDay {
                    day,
                    working,
                    exception: self.exceptions.contains_key(&day),
                });
            }
        }
        MonthSheet {
            month,
            weeks,
            working_days,
        }
    }

    /// The `n`-th working day after `from` (`n` = 0: `from` itself if it is a working day,
    /// else the next one). «Within 2 working days» of a Friday request is Tuesday.
    pub fn add_working_days(&self, from: Day, n: u32) -> Day {
        let mut day = from;
        if n == 0 {
            while !self.is_working_day(day) {
                day = day.add_days(1);
            }
            return day;
        }
        let mut left = n;
        while left > 0 {
            day = day.add_days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days in `from..=to`.
    pub fn working_days_between(&self, from: Day, to: Day) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day <= to {
            if self.is_working_day(day) {
                count += 1;
            }
            day = day.add_days(1);
        }
        count
    }
}

/// A day off by art. 112 in a year without a decree: a holiday, or the first weekday after a
/// weekend on which a holiday fell (not for 1–8 January, whose weekend days the Government
/// moves by decree). Outside January no two holidays share a weekend, so one day is moved at
/// most.
fn is_statutory_day_off(day: Day) -> bool {
    let holiday = |d: Day| HOLIDAYS.contains(&(d.month, d.day));
    if holiday(day) {
        return true;
    }
    if day.weekday().is_weekend() {
        return false;
    }
    let mut back = day.add_days(-1);
    while back.weekday().is_weekend() || holiday(back) {
        if holiday(back) && back.weekday().is_weekend() && back.month != 1 {
            return true;
        }
        back = back.add_days(-1);
    }
    false
}

/// The months' names, «январь» … «декабрь».
pub const MONTHS_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// The months' names in the genitive, «1 января».
pub const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// The short names of the days of the week, from Monday.
pub const WEEKDAYS_SHORT: [&str; 7] = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];

/// A day on a month's sheet of the production calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetDay {
    pub day: Day,
    pub working: bool,
    /// Staff set this day apart from the built-in rules.
    pub exception: bool,
}

/// A month of the production calendar as a sheet: weeks from Monday, `None` outside the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSheet {
    pub month: u32,
    pub weeks: Vec<[Option<SheetDay>; 7]>,
    pub working_days: u32,
}

impl MonthSheet {
    /// «Январь».
    pub fn caption(&self) -> String {
        let name = MONTHS_NOMINATIVE[(self.month.clamp(1, 12) - 1) as usize];
        let mut chars = name.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// A day staff set apart from the built-in rules, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarException {
    pub day: Day,
    pub working: bool,
    pub note: String,
}

/// A year of the production calendar as the back-office shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    pub months: Vec<MonthSheet>,
    pub working_days: u32,
    pub exceptions: Vec<CalendarException>,
}

impl CalendarYear {
    /// The year's sheets by `calendar` and the exceptions stored for the year.
    pub fn new(calendar: &WorkCalendar, year: i32, exceptions: Vec<CalendarException>) -> Self {
        let months: Vec<MonthSheet> = (1..=12).map(|m| calendar.month_sheet(year, m)).collect();
        CalendarYear {
            year,
            working_days: months.iter().map(|m| m.working_days).sum(),
            months,
            exceptions,
        }
    }
}

/// The longest note of a calendar exception.
pub const NOTE_MAX: usize = 200;

/// Reads a day staff set apart from the rules: the date (ДД.ММ.ГГГГ or ГГГГ-ММ-ДД), `1` for a
/// working day or `0` for a day off, and a note; every message with its field (`day`,
/// `working`, `note`).
pub fn parse_exception(
    day: &str,
    working: &str,
    note: &str,
) -> Result<CalendarException, Vec<crate::FieldError>> {
    let mut errors = Vec::new();
    let parsed = check_exception_day(day)
        .map_err(|m| errors.push(crate::FieldError::new("day", m)))
        .ok();
    let working = match working.trim() {
        "1" => Some(true),
        "0" => Some(false),
        _ => {
            errors.push(crate::FieldError::new(
                "working",
                "Выберите: рабочий день или выходной",
            ));
            None
        }
    };
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.chars().count() > NOTE_MAX {
        errors.push(crate::FieldError::new(
            "note",
            format!("Не длиннее {NOTE_MAX} символов"),
        ));
    }
    match (parsed, working) {
        (Some(day), Some(working)) if errors.is_empty() => {
            Ok(CalendarException { day, working, note })
        }
        _ => Err(errors),
    }
}

/// The date of a calendar exception, from 2000 to 2100.
pub fn check_exception_day(input: &str) -> Result<Day, String> {
    let input = input.trim();
    match Day::parse_russian(input).or_else(|| Day::parse(input)) {
        Some(day) if (2000..=2100).contains(&day.year) => Ok(day),
        _ => Err("Укажите дату в виде ДД.ММ.ГГГГ, с 2000 по 2100 год".to_string()),
    }
}

/// What «На сколько перевести часы вперёд» of the development clock (`/dev/clock`) says when
/// it cannot be read.
pub const SHIFT_MESSAGE: &str =
    "Укажите число и единицу: 90m (минуты), 25h (часы) или 36d (дни), не больше 3650 дней";

/// Reads how far to move the development clock forward: «90m», «25h», «36d» (also «90 мин»,
/// «25 ч», «36 д»), in seconds; at least a minute, at most ten years.
pub fn parse_shift(input: &str) -> Result<i64, String> {
    let input = input.trim().to_lowercase();
    let split = input
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(input.len());
    let (number, unit) = input.split_at(split);
    let number: i64 = number.parse().map_err(|_| SHIFT_MESSAGE.to_string())?;
    let unit_secs = match unit.trim() {
        "m" | "min" | "м" | "мин" => 60,
        "h" | "ч" => 3_600,
        "d" | "д" | "дн" => 86_400,
        _ => return Err(SHIFT_MESSAGE.to_string()),
    };
    let secs = number
        .checked_mul(unit_secs)
        .ok_or_else(|| SHIFT_MESSAGE.to_string())?;
    if (60..=3_650 * 86_400).contains(&secs) {
        Ok(secs)
    } else {
        Err(SHIFT_MESSAGE.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(year: i32, month: u32, day: u32) -> Day {
        Day::new(year, month, day).unwrap()
    }

    #[test]
    fn days_are_read_and_written_both_ways() {
        assert_eq!(Day::parse("2026-10-15"), Some(d(2026, 10, 15)));
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse_russian("29.02.2024"), Some(d(2024, 2, 29)));
        assert_eq!(Day::parse_russian("31.04.2026"), None);
        assert_eq!(d(2026, 3, 5).caption(), "05.03.2026");
        assert_eq!(d(2026, 3, 5).iso(), "2026-03-05");
    }

    #[test]
    fn weekdays_and_arithmetic() {
        assert_eq!(d(1970, 1, 1).ordinal(), 0);
        assert_eq!(d(2026, 12, 3).weekday(), Weekday::Thursday);
        assert_eq!(d(2026, 1, 3).weekday(), Weekday::Saturday);
        assert_eq!(d(2026, 12, 31).add_days(1), d(2027, 1, 1));
        assert_eq!(d(2024, 3, 1).add_days(-1), d(2024, 2, 29));
        assert_eq!(d(2026, 1, 1).days_until(d(2027, 1, 1)), 365);
    }

    #[test]
    fn the_year_2026_has_the_official_247_working_days() {
        let calendar = WorkCalendar::russian();
        assert_eq!(
            calendar.working_days_between(d(2026, 1, 1), d(2026, 12, 31)),
            247
        );
        // The New Year holidays run to 11 January; 31 December is a day off.
        assert!(!calendar.is_working_day(d(2026, 1, 9)));
        assert!(calendar.is_working_day(d(2026, 1, 12)));
        assert!(!calendar.is_working_day(d(2026, 12, 31)));
        // 8 March and 9 May fell on a Sunday and a Saturday: the Mondays after are off.
        assert!(!calendar.is_working_day(d(2026, 3, 9)));
        assert!(!calendar.is_working_day(d(2026, 5, 11)));
    }

    #[test]
    fn a_year_without_a_decree_follows_article_112() {
        let calendar = WorkCalendar::russian();
        // 2027: 1 May is a Saturday, 9 May a Sunday, 12 June a Saturday.
        assert!(!calendar.is_working_day(d(2027, 5, 3)));
        assert!(!calendar.is_working_day(d(2027, 5, 10)));
        assert!(calendar.is_working_day(d(2027, 5, 11)));
        assert!(!calendar.is_working_day(d(2027, 6, 14)));
        assert!(calendar.is_working_day(d(2027, 6, 15)));
        // 23 February is a Tuesday, 8 March a Monday, 4 November a Thursday.
        assert!(!calendar.is_working_day(d(2027, 2, 23)));
        assert!(!calendar.is_working_day(d(2027, 3, 8)));
        assert!(!calendar.is_working_day(d(2027, 11, 4)));
        assert!(calendar.is_working_day(d(2027, 11, 5)));
        // January's weekend days are not moved by the rule.
        assert!(calendar.is_working_day(d(2027, 1, 11)));
    }

    #[test]
    fn deadlines_count_working_days() {
        let calendar = WorkCalendar::russian();
        // A Friday request «within 2 working days»: Tuesday.
        assert_eq!(
            calendar.add_working_days(d(2026, 11, 27), 2),
            d(2026, 12, 1)
        );
        // Over the New Year: 30 December + 1 working day is 12 January.
        assert_eq!(
            calendar.add_working_days(d(2026, 12, 30), 1),
            d(2027, 1, 11)
        );
        assert_eq!(
            calendar.add_working_days(d(2026, 11, 28), 0),
            d(2026, 11, 30)
        );
    }

    #[test]
    fn a_month_sheet_starts_on_monday_and_counts_working_days() {
        let mut calendar = WorkCalendar::russian();
        let sheet = calendar.month_sheet(2026, 1);
        assert_eq!(sheet.caption(), "Январь");
        // 1 January 2026 is a Thursday.
        assert_eq!(sheet.weeks[0][..3], [None, None, None]);
        assert_eq!(sheet.weeks[0][3].map(|d| d.day), Some(d(2026, 1, 1)));
        assert_eq!(sheet.working_days, 15);
        calendar.set(d(2026, 1, 10), true);
        let sheet = calendar.month_sheet(2026, 1);
        assert_eq!(sheet.working_days, 16);
        assert!(sheet.weeks[1][5].is_some_and(|s| s.working && s.exception));
        let year = CalendarYear::new(&WorkCalendar::russian(), 2026, Vec::new());
        assert_eq!(year.working_days, 247);
        assert_eq!(calendar.exception(d(2026, 1, 10)), Some(true));
        assert_eq!(calendar.exception(d(2026, 1, 11)), None);
    }

    #[test]
    fn an_exception_is_read_with_a_message_per_field() {
        let e = parse_exception("09.01.2027", "1", "  рабочая   суббота ").unwrap();
        assert_eq!(
            (e.day, e.working, e.note.as_str()),
            (d(2027, 1, 9), true, "рабочая суббота")
        );
        assert!(!parse_exception("2027-01-11", "0", "").unwrap().working);
        let errors = parse_exception("31.02.2027", "2", &"х".repeat(201)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["day", "working", "note"]);
        assert!(check_exception_day("01.01.1999").is_err());
    }

    #[test]
    fn staff_exceptions_win() {
        let mut calendar = WorkCalendar::russian();
        calendar.set(d(2027, 1, 11), false);
        calendar.set(d(2027, 12, 31), false);
        calendar.set(d(2027, 11, 6), true);
        assert!(!calendar.is_working_day(d(2027, 1, 11)));
        assert!(
            calendar.is_working_day(d(2027, 11, 6)),
            "a working Saturday"
        );
        assert_eq!(calendar.add_working_days(d(2027, 1, 8), 1), d(2027, 1, 12));
    }

    #[test]
    fn the_clock_moves_by_minutes_hours_or_days() {
        assert_eq!(parse_shift("90m"), Ok(90 * 60));
        assert_eq!(parse_shift(" 25h "), Ok(25 * 3_600));
        assert_eq!(parse_shift("36d"), Ok(36 * 86_400));
        assert_eq!(parse_shift("36 д"), Ok(36 * 86_400));
        assert_eq!(parse_shift("2 ч"), Ok(7_200));
        for bad in [
            "",
            "d",
            "36",
            "-5d",
            "1.5h",
            "36w",
            "0m",
            "3651d",
            "99999999999999999d",
        ] {
            assert_eq!(parse_shift(bad), Err(SHIFT_MESSAGE.to_string()), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn shifts_never_panic(s in ".{0,20}") {
            let _ = parse_shift(&s);
        }

        #[test]
        fn ordinals_round_trip(n in -800_000i64..800_000) {
            let day = Day::from_ordinal(n);
            prop_assert_eq!(day.ordinal(), n);
            prop_assert!(Day::new(day.year, day.month, day.day).is_some());
            prop_assert_eq!(day.add_days(1).ordinal(), n + 1);
        }

        #[test]
        fn a_deadline_is_a_working_day_after_the_start(n in 1u32..40, start in 20_000i64..22_000) {
            let calendar = WorkCalendar::russian();
            let from = Day::from_ordinal(start);
            let due = calendar.add_working_days(from, n);
            prop_assert!(calendar.is_working_day(due));
            prop_assert!(due > from);
            prop_assert_eq!(calendar.working_days_between(from.add_days(1), due), n);
        }
    }
}
