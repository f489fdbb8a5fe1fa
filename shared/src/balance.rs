//! How an account's balance is worded (U-ACC-4): a debt is «К оплате», an overpayment
//! «Переплата» with a minus sign, nothing owed «Задолженность отсутствует» — never colour alone.

use crate::money::Kopecks;
use serde::{Deserialize, Serialize};

/// The balance of an account: what the customer owes (positive) or has paid ahead (negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Balance {
    ToPay(Kopecks),
    Overpaid(Kopecks),
    Settled,
}

impl Balance {
    /// From the amount owed: charges minus payments.
    pub fn from_owed(owed: Kopecks) -> Balance {
        match owed.0 {
            0 => Balance::Settled,
            n if n > 0 => Balance::ToPay(owed),
            n => Balance::Overpaid(Kopecks(-n)),
        }
    }

    /// «К оплате», «Переплата» or «Задолженность отсутствует».
    pub fn caption(self) -> &'static str {
        match self {
            Balance::ToPay(_) => "К оплате",
            Balance::Overpaid(_) => "Переплата",
            Balance::Settled => "Задолженность отсутствует",
        }
    }

    /// The amount as shown next to the caption: an overpayment with a minus sign, nothing
    /// owed 0 (U-ACC-5).
    pub fn amount(self) -> String {
        match self {
            Balance::ToPay(k) => k.to_string(),
            Balance::Overpaid(k) => Kopecks(-k.0).to_string(),
            Balance::Settled => Kopecks::ZERO.to_string(),
        }
    }

    /// The caption and the amount in one line, where a table cell shows a balance:
    /// «К оплате 1 234,56 руб.», «Переплата -120,00 руб.», «Задолженность отсутствует 0,00 руб.».
    pub fn words(self) -> String {
        format!("{} {}", self.caption(), self.amount())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_balance_has_its_words() {
        let debt = Balance::from_owed(Kopecks(123456));
        assert_eq!(debt.caption(), "К оплате");
        assert_eq!(debt.amount(), "1\u{202F}234,56 руб.");
        let ahead = Balance::from_owed(Kopecks(-12000));
        assert_eq!(ahead.caption(), "Переплата");
        assert_eq!(ahead.amount(), "-120,00 руб.");
        assert_eq!(ahead.words(), "Переплата -120,00 руб.");
        let settled = Balance::from_owed(Kopecks(0));
        assert_eq!(settled.caption(), "Задолженность отсутствует");
        assert_eq!(settled.amount(), "0,00 руб.");
        assert_eq!(settled.words(), "Задолженность отсутствует 0,00 руб.");
    }
}
