//! Meter readings (U-MTR-3, U-MTR-4): how a typed reading is read, when it is refused, and
//! the consumption it means — one set of rules for the form as the customer types and for the
//! server before it stores. Values are integer thousandths of the meter's unit.

use crate::utility::billing::ReadingWindow;
use serde::{Deserialize, Serialize};

/// U-MTR-4, verbatim.
pub const LOWER_READING_MESSAGE: &str = "Показание не принято! Введенные показания меньше ранее переданных показаний. Проверьте корректность ввода";
/// Asked before sending a consumption far above the usual; a warning, not a refusal.
pub const HIGH_CONSUMPTION_WARNING: &str = "Расход намного больше обычного для этого прибора учета. Проверьте показания; если они верны, подтвердите отправку.";
pub const READINGS_SENT_MESSAGE: &str = "Показания переданы.";
/// How many times the usual monthly consumption counts as far above it.
pub const HIGH_CONSUMPTION_FACTOR: i64 = 3;

/// U-MTR-3, outside the reading window: the manual's words and the window's days.
pub fn window_closed_message(window: ReadingWindow) -> String {
    format!(
        "Внести показания Вы можете в период {} каждого месяца. Просим быть внимательным к этим датам и вовремя вводить показания прибора учета",
        window.caption()
    )
}

/// What a meter can show: whole digits and digits after the decimal point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dial {
    pub digits: u32,
    pub fraction_digits: u32,
}

impl Dial {
    /// The first value the dial cannot show, in thousandths (10^digits units).
    pub fn capacity(self) -> i64 {
        10_i64.saturating_pow(self.digits.min(15)) * 1000
    }
}

/// Reads a typed reading: digits, «,» or «.» before the fraction, no more digits than the
/// meter has. Returns thousandths.
pub fn parse_reading(input: &str, dial: Dial) -> Result<i64, String> {
    let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Err(crate::contact::REQUIRED_MESSAGE.to_string());
    }
    let (whole, fraction) = text.split_once([',', '.']).unwrap_or((&text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return Err("Показания указываются цифрами, дробная часть — через запятую".to_string());
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > dial.digits as usize {
        return Err(format!("У прибора учета {} знаков до запятой", dial.digits));
    }
    if fraction.len() > dial.fraction_digits.min(3) as usize {
        return Err(match dial.fraction_digits {
            0 => "Прибор учета показывает только целые числа".to_string(),
            n => format!("У прибора учета {n} знака после запятой"),
        });
    }
    let units: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| "Слишком большое значение".to_string())?
    };
    let mut thousandths: i64 = 0;
    for (i, c) in fraction.chars().enumerate() {
        let d = i64::from(c.to_digit(10).unwrap_or(0));
        thousandths += d * 10_i64.pow(2 - i as u32);
    }
    units
        .checked_mul(1000)
        .map(|t| t + thousandths)
        .ok_or_else(|| "Слишком большое значение".to_string())
}

/// What a new reading means against the last accepted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Consumption {
    /// The first reading of a meter (a new or replaced meter starts its own history).
    First,
    /// Current minus previous (0 when equal).
    Used(i64),
    /// The dial went past its last value and started again from zero.
    Rolled(i64),
}

impl Consumption {
    pub fn amount(self) -> i64 {
        match self {
            Consumption::First => 0,
            Consumption::Used(n) | Consumption::Rolled(n) => n,
        }
    }
}

/// The consumption from `previous` (the last accepted reading of this meter and zone) to
/// `current`, or the U-MTR-4 refusal. A lower value is a roll-over only when the dial was
/// in its last tenth and the new value in its first (e.g. 99 987 → 00 012 on five digits).
pub fn consumption(previous: Option<i64>, current: i64, dial: Dial) -> Result<Consumption, String> {
    let Some(previous) = previous else {
        return Ok(Consumption::First);
    };
    if current >= previous {
        return Ok(Consumption::Used(current - previous));
    }
    let capacity = dial.capacity();
    let tenth = capacity / 10;
    if previous >= capacity - tenth && current < tenth {
        return Ok(Consumption::Rolled(capacity - previous + current));
    }
    Err(LOWER_READING_MESSAGE.to_string())
}

/// Whether a consumption is far above the usual (the average monthly consumption of this
/// meter and zone over the last year): the customer confirms before it is sent.
pub fn is_unusually_high(used: i64, usual: Option<i64>) -> bool {
    matches!(usual, Some(avg) if avg > 0 && used > avg * HIGH_CONSUMPTION_FACTOR)
}

/// Writes thousandths with the meter's decimals: «12 345,678».
pub fn format_reading(value: i64, dial: Dial) -> String {
    crate::utility::billing::thousandths(value, dial.fraction_digits)
}

/// One line of «Передать показания»: a meter, or one zone of a multi-zone meter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingRow {
    pub meter_id: i64,
    pub service: String,
    pub unit: String,
    pub serial: String,
    pub zone: crate::utility::billing::Zone,
    pub dial: Dial,
    /// The last accepted reading before this month, and its date.
    pub previous: Option<i64>,
    pub previous_on: Option<String>,
    /// What the customer already sent in this window (the last value counts).
    pub sent: Option<i64>,
    /// The usual monthly consumption (average of the last year), for the warning.
    pub usual: Option<i64>,
    /// Why this meter takes no manual reading (verification expired, read automatically).
    pub blocked: Option<String>,
}

impl ReadingRow {
    /// The form's key of the row: «<meter>:<zone>».
    pub fn key(&self) -> String {
        format!("{}:{}", self.meter_id, self.zone.code())
    }

    /// The rules of U-MTR-3/4 for a typed value: its consumption, or the message.
    pub fn check(&self, input: &str) -> Result<Consumption, String> {
        let value = parse_reading(input, self.dial)?;
        consumption(self.previous, value, self.dial)
    }

    /// Whether `input` is what was already sent this month (the form shows it again):
    /// sending it again is no new reading.
    pub fn is_resent(&self, input: &str) -> bool {
        self.sent.is_some() && parse_reading(input, self.dial).ok() == self.sent
    }

    /// Whether sending `input`, which uses `used`, waits for the customer's confirmation:
    /// far above the usual, and not what was already sent (and confirmed).
    pub fn needs_confirmation(&self, input: &str, used: Consumption) -> bool {
        !self.is_resent(input) && is_unusually_high(used.amount(), self.usual)
    }
}

/// «Передать показания» of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingSheet {
    pub account: i64,
    pub number: String,
    pub window: ReadingWindow,
    pub status: crate::utility::billing::WindowStatus,
    pub rows: Vec<ReadingRow>,
}

impl ReadingSheet {
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            crate::utility::billing::WindowStatus::Open { .. }
        )
    }
}

/// A reading in «Показания прибора учета» (U-MTR-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingRecord {
    pub period: crate::utility::billing::Period,
    pub service: String,
    pub serial: String,
    pub zone: crate::utility::billing::Zone,
    pub value: String,
    /// «личный кабинет», «биллинг», «контроллер»
    pub source: String,
    pub accepted: bool,
    pub taken_on: String,
}

/// «Показания прибора учета» for a range of months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingHistory {
    pub allowed: crate::utility::billing::PeriodRange,
    pub range: crate::utility::billing::PeriodRange,
    pub limited: bool,
    pub readings: Vec<ReadingRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WATER: Dial = Dial {
        digits: 5,
        fraction_digits: 3,
    };
    const POWER: Dial = Dial {
        digits: 6,
        fraction_digits: 0,
    };

    #[test]
    fn typed_readings_are_read_with_either_separator() {
        assert_eq!(parse_reading("123,456", WATER), Ok(123_456));
        assert_eq!(parse_reading("123.4", WATER), Ok(123_400));
        assert_eq!(parse_reading(" 00012 ", WATER), Ok(12_000));
        assert_eq!(parse_reading("1 234", POWER), Ok(1_234_000));
        assert!(
            parse_reading("123456", WATER).is_err(),
            "six digits on a five-digit dial"
        );
        assert!(parse_reading("12,3456", WATER).is_err(), "four decimals");
        assert!(
            parse_reading("12,5", POWER).is_err(),
            "no decimals on this meter"
        );
        assert!(parse_reading("-5", WATER).is_err());
        assert!(parse_reading("", WATER).is_err());
    }

    #[test]
    fn a_lower_reading_is_refused_but_a_roll_over_is_not() {
        assert_eq!(
            consumption(Some(5_000), 4_000, WATER),
            Err(LOWER_READING_MESSAGE.to_string())
        );
        assert_eq!(
            consumption(Some(5_000), 5_000, WATER),
            Ok(Consumption::Used(0))
        );
        // 99 987 → 00 012 on a five-digit dial: 25 units used.
        assert_eq!(
            consumption(Some(99_987_000), 12_000, WATER),
            Ok(Consumption::Rolled(25_000))
        );
        // Not near the top: refused.
        assert!(consumption(Some(50_000_000), 12_000, WATER).is_err());
        assert_eq!(consumption(None, 12_000, WATER), Ok(Consumption::First));
    }

    #[test]
    fn far_above_the_usual_asks_for_confirmation() {
        assert!(is_unusually_high(301, Some(100)));
        assert!(!is_unusually_high(300, Some(100)));
        assert!(!is_unusually_high(10_000, None));
        assert!(!is_unusually_high(10_000, Some(0)));
    }

    #[test]
    fn a_value_sent_before_is_not_asked_again() {
        let row = ReadingRow {
            meter_id: 1,
            service: "Холодное водоснабжение".into(),
            unit: "м³".into(),
            serial: "В1".into(),
            zone: crate::utility::billing::Zone::Single,
            dial: WATER,
            previous: Some(100_000),
            previous_on: None,
            sent: Some(150_000),
            usual: Some(5_000),
            blocked: None,
        };
        let used = row.check("150,000").unwrap();
        assert!(row.is_resent("150"));
        assert!(!row.needs_confirmation("150", used));
        let used = row.check("151").unwrap();
        assert!(row.needs_confirmation("151", used));
        assert!(!row.needs_confirmation("101", row.check("101").unwrap()));
    }

    #[test]
    fn the_closed_window_is_told_in_the_manuals_words() {
        let message = window_closed_message(ReadingWindow {
            from_day: 15,
            to_day: 25,
        });
        assert!(
            message.starts_with(
                "Внести показания Вы можете в период с 15 по 25 число каждого месяца."
            )
        );
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back(value in 0i64..99_999_999) {
            prop_assert_eq!(parse_reading(&format_reading(value, WATER), WATER), Ok(value));
        }

        #[test]
        fn equal_or_higher_is_always_accepted(previous in 0i64..99_999_999, more in 0i64..1_000_000) {
            let current = (previous + more).min(WATER.capacity() - 1);
            prop_assert_eq!(consumption(Some(previous), current, WATER), Ok(Consumption::Used(current - previous)));
        }

        #[test]
        fn a_roll_over_counts_across_the_wrap(used in 1i64..9_000_000, start in 0i64..1_000_000) {
            let capacity = WATER.capacity();
            let previous = capacity - 1 - start;
            let current = (previous + used) % capacity;
            if current < previous {
                let got = consumption(Some(previous), current, WATER);
                if current < capacity / 10 {
                    prop_assert_eq!(got, Ok(Consumption::Rolled(used)));
                } else {
                    prop_assert!(got.is_err());
                }
            }
        }

        #[test]
        fn reading_never_panics(s in ".{0,30}", digits in 0u32..20, fraction in 0u32..5) {
            let _ = parse_reading(&s, Dial { digits, fraction_digits: fraction });
        }
    }
}
