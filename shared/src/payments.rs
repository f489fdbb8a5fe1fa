//! The payment form's rules (U-PAY-6): «Сумма, руб.» per supplier, never less than 10,00 руб.
//! for a ticked line, an advance payment when nothing is owed, a configured maximum. One
//! function for the form as the customer types and for the server before it asks the acquirer.

use crate::money::{AmountError, Kopecks};
use serde::{Deserialize, Serialize};

/// The least a supplier's line, and so a payment, may be (U-PAY-6).
pub const MIN_PAYMENT: Kopecks = Kopecks(1_000);
pub const BELOW_MINIMUM_MESSAGE: &str = "Сумма к оплате должна быть не менее 10,00 руб.";
pub const NOTHING_CHOSEN_MESSAGE: &str =
    "Отметьте хотя бы одного поставщика и укажите сумму не менее 10,00 руб.";

/// A line of the payment form: a supplier, whether it is ticked, and the amount as typed
/// (prefilled with the debt; empty when nothing is owed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub chosen: bool,
    pub amount: String,
}

/// What is wrong with a payment form: a message per line, or about the whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentFormError {
    Lines(Vec<(usize, String)>),
    Total(String),
}

/// One ticked line's amount: at least [`MIN_PAYMENT`].
pub fn check_line_amount(input: &str) -> Result<Kopecks, String> {
    let amount = Kopecks::parse(input).map_err(|e| match e {
        AmountError::Empty => BELOW_MINIMUM_MESSAGE.to_string(),
        other => other.to_string(),
    })?;
    if amount < MIN_PAYMENT {
        return Err(BELOW_MINIMUM_MESSAGE.to_string());
    }
    Ok(amount)
}

/// The amounts to pay per ticked line (by index) and their total, or what is wrong.
/// Unticked lines are ignored whatever they hold; `maximum` caps the total.
pub fn check_payment(
    lines: &[LineInput],
    maximum: Kopecks,
) -> Result<(Vec<(usize, Kopecks)>, Kopecks), PaymentFormError> {
    let mut amounts = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.chosen) {
        match check_line_amount(&line.amount) {
            Ok(amount) => amounts.push((i, amount)),
            Err(message) => errors.push((i, message)),
        }
    }
    if !errors.is_empty() {
        return Err(PaymentFormError::Lines(errors));
    }
    if amounts.is_empty() {
        return Err(PaymentFormError::Total(NOTHING_CHOSEN_MESSAGE.to_string()));
    }
    let total = amounts
        .iter()
        .try_fold(0_i64, |sum, (_, k)| sum.checked_add(k.0))
        .map(Kopecks)
        .filter(|t| *t <= maximum)
        .ok_or_else(|| {
            PaymentFormError::Total(format!("Сумма одного платежа — не более {maximum}"))
        })?;
    Ok((amounts, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAX: Kopecks = Kopecks(15_000_000);

    fn line(chosen: bool, amount: &str) -> LineInput {
        LineInput {
            chosen,
            amount: amount.to_string(),
        }
    }

    #[test]
    fn a_ticked_line_is_at_least_ten_roubles() {
        assert_eq!(check_line_amount("10,00"), Ok(Kopecks(1_000)));
        assert_eq!(
            check_line_amount("9,99"),
            Err(BELOW_MINIMUM_MESSAGE.to_string())
        );
        assert_eq!(
            check_line_amount(""),
            Err(BELOW_MINIMUM_MESSAGE.to_string())
        );
        assert!(check_line_amount("десять").is_err());
    }

    #[test]
    fn only_ticked_lines_count() {
        let lines = [line(true, "1 250,50"), line(false, "5"), line(true, "10")];
        let (amounts, total) = check_payment(&lines, MAX).unwrap();
        assert_eq!(amounts, vec![(0, Kopecks(125_050)), (2, Kopecks(1_000))]);
        assert_eq!(total, Kopecks(126_050));
        // An advance payment: nothing was owed, the customer typed the amount.
        assert!(check_payment(&[line(true, "500")], MAX).is_ok());
    }

    #[test]
    fn every_bad_line_is_named() {
        let lines = [line(true, "5"), line(true, "100"), line(true, "")];
        assert_eq!(
            check_payment(&lines, MAX),
            Err(PaymentFormError::Lines(vec![
                (0, BELOW_MINIMUM_MESSAGE.to_string()),
                (2, BELOW_MINIMUM_MESSAGE.to_string()),
            ]))
        );
        assert_eq!(
            check_payment(&[line(false, "100")], MAX),
            Err(PaymentFormError::Total(NOTHING_CHOSEN_MESSAGE.to_string()))
        );
        assert!(matches!(
            check_payment(&[line(true, "150000,01")], MAX),
            Err(PaymentFormError::Total(_))
        ));
    }

    proptest! {
        #[test]
        fn an_accepted_payment_keeps_every_rule(amounts in proptest::collection::vec((any::<bool>(), 0i64..20_000_000), 0..6)) {
            let lines: Vec<LineInput> = amounts
                .iter()
                .map(|(chosen, k)| line(*chosen, &Kopecks(*k).format_number()))
                .collect();
            if let Ok((chosen, total)) = check_payment(&lines, MAX) {
                prop_assert!(!chosen.is_empty());
                prop_assert!(chosen.iter().all(|(i, k)| lines[*i].chosen && *k >= MIN_PAYMENT));
                prop_assert_eq!(total.0, chosen.iter().map(|(_, k)| k.0).sum::<i64>());
                prop_assert!(total <= MAX);
            }
        }

        #[test]
        fn checking_never_panics(s in ".{0,30}") {
            let _ = check_payment(&[line(true, &s)], MAX);
        }
    }
}
