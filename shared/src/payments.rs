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

/// «Выберите способ оплаты» (U-PAY-6..8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Система быстрых платежей: a QR code the bank's app reads.
    Sbp,
    /// A bank card on the acquirer's page.
    Card,
    /// A saved card charged on the customer's autopay day.
    Autopay,
}

impl PaymentMethod {
    /// What the customer may choose on the payment page.
    pub const CHOICES: [PaymentMethod; 2] = [PaymentMethod::Sbp, PaymentMethod::Card];

    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Sbp => "sbp",
            PaymentMethod::Card => "card",
            PaymentMethod::Autopay => "autopay",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            PaymentMethod::Sbp,
            PaymentMethod::Card,
            PaymentMethod::Autopay,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            PaymentMethod::Sbp => "Система быстрых платежей (СБП)",
            PaymentMethod::Card => "Банковская карта",
            PaymentMethod::Autopay => "Автоплатеж",
        }
    }
}

pub const METHOD_MISSING_MESSAGE: &str = "Выберите способ оплаты.";
pub const RULES_MISSING_MESSAGE: &str = "Подтвердите, что ознакомились с правилами оплаты.";
pub const PAYMENT_SUCCEEDED_MESSAGE: &str = "Оплата прошла успешно. Спасибо!";
pub const PAYMENT_FAILED_MESSAGE: &str =
    "Оплата не прошла. Деньги не списаны, попробуйте еще раз или выберите другой способ оплаты.";
pub const PAYMENT_EXPIRED_MESSAGE: &str =
    "Срок действия ссылки на оплату истек. Оформите оплату еще раз.";

/// A supplier's line of the payment page: what the account owes it (never negative; an
/// overpayment shows as nothing owed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayLine {
    pub account: i64,
    pub account_number: String,
    pub supplier_id: i64,
    pub supplier: String,
    /// Charges minus payments to this supplier; negative is an overpayment.
    pub balance: Kopecks,
}

impl PayLine {
    /// The form's name of the line: «<account>:<supplier>».
    pub fn key(&self) -> String {
        format!("{}:{}", self.account, self.supplier_id)
    }

    /// «Сумма, руб.» as the page first shows it: the debt, or nothing for an advance.
    pub fn prefill(&self) -> String {
        if self.balance.0 > 0 {
            self.balance.format_number()
        } else {
            String::new()
        }
    }
}

/// Everything the payment page shows: the lines of one account or of all of them (U-ALL-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaySheet {
    pub lines: Vec<PayLine>,
    /// The largest payment the provider accepts.
    pub maximum: Kopecks,
    /// Where «Получить квитанцию» sends the receipt (the confirmed e-mail), if anywhere.
    pub receipt_email: Option<String>,
    /// Whether an acquirer is configured: without one the page says payment is unavailable.
    pub available: bool,
}

/// The payment form as sent: a line per [`PayLine`] in order, the method, the rules box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub lines: Vec<LineInput>,
    pub method: Option<String>,
    pub rules_accepted: bool,
}

/// A checked payment form: amounts per line index, their total and the method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPayment {
    pub amounts: Vec<(usize, Kopecks)>,
    pub total: Kopecks,
    pub method: PaymentMethod,
}

/// The form's field of line `i`'s amount.
pub fn amount_field(i: usize) -> String {
    format!("amount:{i}")
}

pub const LINES_FIELD: &str = "lines";
pub const METHOD_FIELD: &str = "method";
pub const RULES_FIELD: &str = "rules";
/// «Получить квитанцию»: refused when the person has no confirmed e-mail to send it to.
pub const RECEIPT_FIELD: &str = "receipt";

/// The whole payment form (U-PAY-6): the lines ([`check_payment`]), a method the customer may
/// choose, and the rules accepted. Every problem is named next to its field.
pub fn check_payment_form(
    form: &PaymentForm,
    maximum: Kopecks,
) -> Result<CheckedPayment, Vec<crate::FieldError>> {
    use crate::FieldError;
    let mut errors = Vec::new();
    let lines = match check_payment(&form.lines, maximum) {
        Ok(ok) => Some(ok),
        Err(PaymentFormError::Lines(bad)) => {
            errors.extend(
                bad.into_iter()
                    .map(|(i, m)| FieldError::new(amount_field(i), m)),
            );
            None
        }
        Err(PaymentFormError::Total(m)) => {
            errors.push(FieldError::new(LINES_FIELD, m));
            None
        }
    };
    let method = match check_method_and_rules(form.method.as_deref(), form.rules_accepted) {
        Ok(method) => Some(method),
        Err(bad) => {
            errors.extend(bad);
            None
        }
    };
    match (lines, method) {
        (Some((amounts, total)), Some(method)) if errors.is_empty() => Ok(CheckedPayment {
            amounts,
            total,
            method,
        }),
        _ => Err(errors),
    }
}

/// A method the customer may choose and the rules accepted: the part of every payment form
/// beyond its amounts (the payment page's, and a shop order's [Оплатить заказ]).
pub fn check_method_and_rules(
    method: Option<&str>,
    rules_accepted: bool,
) -> Result<PaymentMethod, Vec<crate::FieldError>> {
    use crate::FieldError;
    let mut errors = Vec::new();
    let method = method
        .and_then(PaymentMethod::from_code)
        .filter(|m| PaymentMethod::CHOICES.contains(m));
    if method.is_none() {
        errors.push(FieldError::new(METHOD_FIELD, METHOD_MISSING_MESSAGE));
    }
    if !rules_accepted {
        errors.push(FieldError::new(RULES_FIELD, RULES_MISSING_MESSAGE));
    }
    match method {
        Some(method) if errors.is_empty() => Ok(method),
        _ => Err(errors),
    }
}

/// Where a payment stands, as the customer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentState {
    /// Waiting for the customer at the bank; `expires_in_secs` until the link stops working.
    Pending {
        expires_in_secs: i64,
    },
    /// The link ran out before the bank answered.
    Expired,
    Succeeded,
    Failed,
}

impl PaymentState {
    pub fn is_final(self) -> bool {
        matches!(self, PaymentState::Succeeded | PaymentState::Failed)
    }

    pub fn caption(self) -> &'static str {
        match self {
            PaymentState::Pending { .. } => "Ожидает оплаты",
            PaymentState::Expired => "Срок оплаты истек",
            PaymentState::Succeeded => "Оплачено",
            PaymentState::Failed => "Не оплачено",
        }
    }
}

/// A payment's line: which account and supplier get how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidLine {
    pub account_number: String,
    pub supplier: String,
    pub amount: Kopecks,
}

/// A payment as its page shows it (U-PAY-7, U-PAY-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    /// The payment's number for the customer and the acquirer.
    pub number: String,
    pub method: PaymentMethod,
    pub amount: Kopecks,
    pub state: PaymentState,
    pub lines: Vec<PaidLine>,
    /// The SBP link (for the QR code and the bank app) or the card page, once the acquirer
    /// gave it.
    pub link: Option<String>,
    /// The account to go back to (the first one paid).
    pub account: Option<i64>,
    /// Where the receipt of the payment goes, when the customer asked for one.
    pub receipt_email: Option<String>,
    /// The shop order's case number, for a payment of an order.
    #[serde(default)]
    pub order_case: Option<String>,
}

/// «Осталось 4:59» of a pending payment.
pub fn countdown(secs: i64) -> String {
    let secs = secs.max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Autopay of an account as «Подключенные платежные реквизиты» shows it (U-PRF-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutopayLine {
    pub account: i64,
    pub account_number: String,
    pub address: String,
    /// The card, the day of the month and the monthly maximum, when autopay is on.
    pub autopay: Option<AutopaySettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutopaySettings {
    /// «•••• 1111».
    pub card: String,
    pub day: u8,
    pub max_amount: Kopecks,
}

pub const DAY_FIELD: &str = "day";
pub const MAX_AMOUNT_FIELD: &str = "max_amount";
pub const AUTOPAY_DAY_MESSAGE: &str = "Укажите день месяца от 1 до 28.";
pub const AUTOPAY_ON_MESSAGE: &str = "Автоплатеж подключен.";
pub const AUTOPAY_OFF_MESSAGE: &str = "Автоплатеж отключен.";

/// «Подключить автоплатеж»: the day of the month (1–28, so that every month has it) and the
/// most to take in a month (at least [`MIN_PAYMENT`], at most the provider's maximum).
pub fn check_autopay(
    day: &str,
    max_amount: &str,
    maximum: Kopecks,
) -> Result<(u8, Kopecks), Vec<crate::FieldError>> {
    use crate::FieldError;
    let mut errors = Vec::new();
    let day = match day.trim().parse::<u8>() {
        Ok(d) if (1..=28).contains(&d) => Some(d),
        _ => {
            errors.push(FieldError::new(DAY_FIELD, AUTOPAY_DAY_MESSAGE));
            None
        }
    };
    let max = match check_line_amount(max_amount) {
        Ok(k) if k <= maximum => Some(k),
        Ok(_) => {
            errors.push(FieldError::new(
                MAX_AMOUNT_FIELD,
                format!("Не более {maximum} в месяц"),
            ));
            None
        }
        Err(m) => {
            errors.push(FieldError::new(MAX_AMOUNT_FIELD, m));
            None
        }
    };
    match (day, max) {
        (Some(d), Some(m)) => Ok((d, m)),
        _ => Err(errors),
    }
}

/// What autopay takes from a debt: each supplier's debt of at least [`MIN_PAYMENT`], in the
/// order given, as long as the month's maximum allows (a debt that does not fit whole is
/// paid in part when the part is at least the minimum). Overpaid lines are skipped.
pub fn autopay_amounts(balances: &[Kopecks], max_amount: Kopecks) -> Vec<(usize, Kopecks)> {
    let mut left = max_amount.0;
    let mut out = Vec::new();
    for (i, b) in balances.iter().enumerate() {
        let take = b.0.min(left);
        if take >= MIN_PAYMENT.0 {
            out.push((i, Kopecks(take)));
            left -= take;
        }
    }
    out
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

    fn form(lines: Vec<LineInput>, method: Option<&str>, rules: bool) -> PaymentForm {
        PaymentForm {
            lines,
            method: method.map(str::to_string),
            rules_accepted: rules,
        }
    }

    #[test]
    fn the_form_names_every_missing_choice() {
        let ok =
            check_payment_form(&form(vec![line(true, "100")], Some("sbp"), true), MAX).unwrap();
        assert_eq!(ok.total, Kopecks(10_000));
        assert_eq!(ok.method, PaymentMethod::Sbp);
        let errors =
            check_payment_form(&form(vec![line(true, "5")], None, false), MAX).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["amount:0", METHOD_FIELD, RULES_FIELD]);
        // Autopay is not a choice of the form.
        assert!(
            check_payment_form(&form(vec![line(true, "100")], Some("autopay"), true), MAX).is_err()
        );
        let errors = check_payment_form(&form(vec![line(false, "100")], Some("card"), true), MAX)
            .unwrap_err();
        assert_eq!(errors[0].field, LINES_FIELD);
    }

    #[test]
    fn a_line_prefills_only_a_debt() {
        let mut l = PayLine {
            account: 3,
            account_number: "100000003".into(),
            supplier_id: 7,
            supplier: "Энергосбыт".into(),
            balance: Kopecks(123_456),
        };
        assert_eq!(l.key(), "3:7");
        assert_eq!(Kopecks::parse(&l.prefill()), Ok(Kopecks(123_456)));
        l.balance = Kopecks(-500);
        assert_eq!(l.prefill(), "");
        assert_eq!(countdown(299), "4:59");
        assert_eq!(countdown(-3), "0:00");
    }

    #[test]
    fn autopay_settings_and_amounts() {
        assert_eq!(check_autopay("5", "3000", MAX), Ok((5, Kopecks(300_000))));
        let errors = check_autopay("31", "5", MAX).unwrap_err();
        assert_eq!(errors[0].message, AUTOPAY_DAY_MESSAGE);
        assert_eq!(errors[1].message, BELOW_MINIMUM_MESSAGE);
        assert!(check_autopay("1", "150000,01", MAX).is_err());
        let balances = [
            Kopecks(50_000),
            Kopecks(-2_000),
            Kopecks(500),
            Kopecks(80_000),
        ];
        assert_eq!(
            autopay_amounts(&balances, Kopecks(100_000)),
            vec![(0, Kopecks(50_000)), (3, Kopecks(50_000))]
        );
        assert_eq!(
            autopay_amounts(&balances, Kopecks(50_500)),
            vec![(0, Kopecks(50_000))]
        );
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
