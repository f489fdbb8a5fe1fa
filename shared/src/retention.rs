//! How long each kind of file lives (M-8, P-5): a result of an order is downloadable for 10
//! days (B-ORD-CUR-1), scans of identity documents are kept 3 months (B-SIG-ISS-3), invoices
//! and acts 5 years (accounting documents, Federal Law 402-ФЗ, art. 29). A background job
//! removes what expired.

use serde::{Deserialize, Serialize};

/// How long a file lives after it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Retention {
    Days(u32),
    Months(u32),
}

impl Retention {
    /// «10 дней», «3 месяца», «60 месяцев».
    pub fn caption(self) -> String {
        let (n, forms) = match self {
            Retention::Days(n) => (n, ["день", "дня", "дней"]),
            Retention::Months(n) => (n, ["месяц", "месяца", "месяцев"]),
        };
        let form = match (n % 10, n % 100) {
            (_, 11..=14) => forms[2],
            (1, _) => forms[0],
            (2..=4, _) => forms[1],
            _ => forms[2],
        };
        format!("{n} {form}")
    }
}

/// The kinds of files the platform keeps for the modules, each with its retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// The answer to an order (a справка, an extract): 10 days from its placing.
    OrderResult,
    /// A scan of an identity document for a certificate application: 3 months.
    IdentityScan,
    /// An invoice or an act: 5 years.
    AccountingDocument,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [
        FileKind::OrderResult,
        FileKind::IdentityScan,
        FileKind::AccountingDocument,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FileKind::OrderResult => "order_result",
            FileKind::IdentityScan => "identity_scan",
            FileKind::AccountingDocument => "accounting",
        }
    }

    pub fn from_code(code: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn retention(self) -> Retention {
        match self {
            FileKind::OrderResult => Retention::Days(10),
            FileKind::IdentityScan => Retention::Months(3),
            FileKind::AccountingDocument => Retention::Months(60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_say_how_long_they_live() {
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(FileKind::OrderResult.retention().caption(), "10 дней");
        assert_eq!(FileKind::IdentityScan.retention().caption(), "3 месяца");
        assert_eq!(Retention::Days(1).caption(), "1 день");
        assert_eq!(Retention::Days(12).caption(), "12 дней");
        assert_eq!(Retention::Months(21).caption(), "21 месяц");
    }
}
