//! Money as integer kopecks, and its Russian written form «1 234,56 руб.».

use serde::{Deserialize, Serialize};
use std::fmt;

/// Narrow no-break space: the thousands separator of Russian typography.
pub const THOUSANDS_SEPARATOR: char = '\u{202F}';

/// An amount of money in kopecks (1/100 of a rouble). Never a float.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Kopecks(pub i64);

/// Why a typed amount is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("Введите сумму")]
    Empty,
    #[error("Сумма указывается цифрами, копейки — через запятую, например 1250,50")]
    Malformed,
    #[error("Слишком большая сумма")]
    TooLarge,
}

impl Kopecks {
    pub const ZERO: Kopecks = Kopecks(0);

    pub fn from_rubles(rubles: i64) -> Self {
        Kopecks(rubles * 100)
    }

    /// Parses what a customer types: «1250», «1 250,5», «1250.50». At most two decimals,
    /// never negative.
    pub fn parse(input: &str) -> Result<Self, AmountError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != THOUSANDS_SEPARATOR)
            .collect();
        if cleaned.is_empty() {
            return Err(AmountError::Empty);
        }
        let (whole, fraction) = match cleaned.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 {
            return Err(AmountError::Malformed);
        }
        let rubles: i64 = whole.parse().map_err(|_| AmountError::TooLarge)?;
        let kopecks: i64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<i64>()
                    .map_err(|_| AmountError::Malformed)?
                    * 10
            }
            _ => fraction
                .parse::<i64>()
                .map_err(|_| AmountError::Malformed)?,
        };
        rubles
            .checked_mul(100)
            .and_then(|k| k.checked_add(kopecks))
            .map(Kopecks)
            .ok_or(AmountError::TooLarge)
    }

    /// «1 234,56» (no currency), with a minus sign for negative amounts.
    pub fn format_number(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let rubles = (abs / 100).to_string();
        let mut grouped = String::with_capacity(rubles.len() + rubles.len() / 3 + 4);
        for (i, ch) in rubles.chars().enumerate() {
            if i > 0 && (rubles.len() - i).is_multiple_of(3) {
                grouped.push(THOUSANDS_SEPARATOR);
            }
            grouped.push(ch);
        }
        format!(
            "{}{},{:02}",
            if negative { "-" } else { "" },
            grouped,
            abs % 100
        )
    }
}

impl fmt::Display for Kopecks {
    /// «1 234,56 руб.»
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} руб.", self.format_number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_as_russian_amounts() {
        assert_eq!(Kopecks(123456).to_string(), "1\u{202F}234,56 руб.");
        assert_eq!(Kopecks(0).to_string(), "0,00 руб.");
        assert_eq!(Kopecks(5).to_string(), "0,05 руб.");
        assert_eq!(Kopecks(-100000).to_string(), "-1\u{202F}000,00 руб.");
        assert_eq!(
            Kopecks(123456789012).format_number(),
            "1\u{202F}234\u{202F}567\u{202F}890,12"
        );
    }

    #[test]
    fn parses_what_customers_type() {
        assert_eq!(Kopecks::parse("1250"), Ok(Kopecks(125000)));
        assert_eq!(Kopecks::parse("1 250,5"), Ok(Kopecks(125050)));
        assert_eq!(Kopecks::parse("10.05"), Ok(Kopecks(1005)));
        assert_eq!(Kopecks::parse(" "), Err(AmountError::Empty));
        assert_eq!(Kopecks::parse("-5"), Err(AmountError::Malformed));
        assert_eq!(Kopecks::parse("1,234"), Err(AmountError::Malformed));
        assert_eq!(Kopecks::parse("1e3"), Err(AmountError::Malformed));
        assert_eq!(Kopecks::parse(",5"), Err(AmountError::Malformed));
        assert_eq!(
            Kopecks::parse("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_amount_back(k in 0i64..=i64::MAX / 1000) {
            prop_assert_eq!(Kopecks::parse(&Kopecks(k).format_number()), Ok(Kopecks(k)));
        }

        #[test]
        fn parsing_never_panics(s in ".{0,40}") {
            let _ = Kopecks::parse(&s);
        }
    }
}
