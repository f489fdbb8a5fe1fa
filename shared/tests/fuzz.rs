//! Bad input (#9): every parser a form or an import feeds with what people type gets
//! arbitrary text — never a panic (a panic in the browser kills the page, on the server it
//! drops the request) — and what it accepts reads back as the same value from its own
//! written form, so that what is stored and shown is what was meant.

use proptest::prelude::*;
use shared::Kopecks;
use shared::contact::{Email, Phone};
use shared::identity::LoginKind;
use shared::password::Password;
use shared::payments::{LineInput, PaymentForm, check_autopay, check_payment_form};
use shared::person::{parse_code, parse_name};
use shared::requisites::{Bic, CorrespondentAccount, Inn, SettlementAccount};
use shared::utility::billing::{
    Day, Period, check_account_number, check_detail_value, parse_proof,
};
use shared::utility::readings::{Dial, consumption, format_reading, parse_reading};

/// Any text, with a bias towards what the parsers look at: digits, separators, signs,
/// Cyrillic, spaces of several kinds and very long numbers.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 ,.+()\\-]{0,40}",
        "[0-9]{15,40}([.,][0-9]{0,5})?",
        "[ \u{a0}\u{202f}\t]*[+]?[0-9]{1,3}[ \u{a0}\u{2011}\u{2013}()\\-]*[0-9]{0,12}",
        "[a-zA-Z0-9._%+\\-]{0,70}@[a-zA-Z0-9.\\-]{0,70}",
        "[А-яЁё\\-— a-z]{0,60}",
        "[\\x00-\\x7f]{0,30}",
    ]
}

fn dial() -> impl Strategy<Value = Dial> {
    (0u32..40, 0u32..6).prop_map(|(digits, fraction_digits)| Dial {
        digits,
        fraction_digits,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn phones_never_panic_and_read_back(input in text()) {
        if let Ok(phone) = Phone::parse(&input) {
            prop_assert_eq!(phone.as_str().len(), 12);
            prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
            // As the pages show it, too.
            prop_assert_eq!(Phone::parse(&phone.display()), Ok(phone.clone()));
            prop_assert!(LoginKind::Phone.check(&input).is_ok());
        }
    }

    #[test]
    fn e_mails_never_panic_and_read_back(input in text()) {
        if let Ok(email) = Email::parse(&input) {
            prop_assert!(email.as_str().len() <= 254);
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            prop_assert!(LoginKind::Email.check(&input).is_ok());
        }
    }

    #[test]
    fn passwords_never_panic(input in text()) {
        if let Ok(password) = Password::parse(&input) {
            prop_assert_eq!(password.expose(), input.as_str());
            prop_assert!(Password::check_repeat(&input, password.expose()).is_ok());
        }
    }

    #[test]
    fn names_and_codes_never_panic(input in text()) {
        if let Ok(name) = parse_name(&input) {
            prop_assert_eq!(parse_name(&name), Ok(name.clone()));
        }
        if let Ok(code) = parse_code(&input) {
            prop_assert_eq!(code.len(), 6);
            prop_assert_eq!(parse_code(&code), Ok(code.clone()));
        }
    }

    #[test]
    fn amounts_never_panic_and_read_back(input in text()) {
        if let Ok(amount) = Kopecks::parse(&input) {
            prop_assert!(amount.0 >= 0);
            prop_assert_eq!(Kopecks::parse(&amount.format_number()), Ok(amount));
            prop_assert_eq!(parse_proof(&input), Ok(amount));
        }
    }

    #[test]
    fn written_amounts_read_back(kopecks in 0i64..=i64::MAX) {
        let amount = Kopecks(kopecks);
        prop_assert_eq!(Kopecks::parse(&amount.format_number()), Ok(amount));
    }

    #[test]
    fn readings_never_panic_and_read_back(input in text(), dial in dial(), previous in prop::option::of(0i64..=i64::MAX)) {
        if let Ok(value) = parse_reading(&input, dial) {
            prop_assert!(value >= 0);
            prop_assert_eq!(parse_reading(&format_reading(value, dial), dial), Ok(value));
            // What it means against any earlier reading is an answer, never a panic.
            let _ = consumption(previous, value, dial);
        }
    }

    #[test]
    fn payment_forms_never_panic(
        amounts in prop::collection::vec((any::<bool>(), text()), 0..6),
        method in prop::option::of(text()),
        rules in any::<bool>(),
        maximum in 0i64..=i64::MAX,
    ) {
        let form = PaymentForm {
            lines: amounts
                .iter()
                .map(|(chosen, amount)| LineInput { chosen: *chosen, amount: amount.clone() })
                .collect(),
            method,
            rules_accepted: rules,
        };
        if let Ok(checked) = check_payment_form(&form, Kopecks(maximum)) {
            // Only ticked lines are paid, each at least the minimum, and the total adds up
            // within the maximum.
            prop_assert!(!checked.amounts.is_empty());
            prop_assert!(checked.amounts.iter().all(|(i, k)| form.lines[*i].chosen
                && *k >= shared::payments::MIN_PAYMENT));
            prop_assert_eq!(checked.amounts.iter().map(|(_, k)| k.0).sum::<i64>(), checked.total.0);
            prop_assert!(checked.total.0 <= maximum);
            prop_assert!(rules);
        }
    }

    #[test]
    fn autopay_and_details_never_panic(day in text(), amount in text(), key in "[a-z_]{0,20}") {
        if let Ok((d, max)) = check_autopay(&day, &amount, Kopecks(i64::MAX)) {
            prop_assert!((1..=28).contains(&d));
            prop_assert!(max >= shared::payments::MIN_PAYMENT);
        }
        let _ = check_detail_value(&key, &amount);
        let _ = check_account_number(&day);
    }

    #[test]
    fn periods_and_days_never_panic_and_read_back(input in text()) {
        if let Some(period) = Period::parse(&input) {
            prop_assert_eq!(Period::parse(&period.param()), Some(period));
            prop_assert_eq!(Period::parse(&period.short()), Some(period));
            let _ = period.caption();
        }
        if let Some(day) = Day::parse(&input) {
            prop_assert_eq!(Day::parse(&day.iso()), Some(day));
        }
    }

    #[test]
    fn requisites_never_panic_and_read_back(inn in text(), bic in text(), account in text()) {
        if let Ok(parsed) = Inn::parse(&inn) {
            prop_assert_eq!(Inn::parse(parsed.as_str()), Ok(parsed.clone()));
        }
        // A real БИК, so that the accounts get past it and their key check runs.
        let bank = Bic::parse("044525225").map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Ok(parsed) = Bic::parse(&bic) {
            prop_assert_eq!(Bic::parse(parsed.as_str()), Ok(parsed.clone()));
        }
        if let Ok(parsed) = SettlementAccount::parse(&account, &bank) {
            prop_assert_eq!(SettlementAccount::parse(parsed.as_str(), &bank), Ok(parsed.clone()));
        }
        if let Ok(parsed) = CorrespondentAccount::parse(&account, &bank) {
            prop_assert_eq!(CorrespondentAccount::parse(parsed.as_str(), &bank), Ok(parsed.clone()));
        }
    }

    /// 20 digits reach the key check of an account; every tenth or so holds.
    #[test]
    fn accounts_of_twenty_digits_are_checked_not_panicked(account in "(30101)?[0-9]{15,20}") {
        let bank = Bic::parse("044525225").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = SettlementAccount::parse(&account, &bank);
        let _ = CorrespondentAccount::parse(&account, &bank);
    }
}

#[test]
fn huge_and_odd_amounts_are_refused_with_a_reason() {
    use shared::money::AmountError;
    assert_eq!(
        Kopecks::parse("99999999999999999999"),
        Err(AmountError::TooLarge)
    );
    assert_eq!(
        Kopecks::parse("92233720368547758,08"),
        Err(AmountError::TooLarge)
    );
    assert_eq!(Kopecks::parse("-5"), Err(AmountError::Malformed));
    assert_eq!(Kopecks::parse("1,234"), Err(AmountError::Malformed));
    assert_eq!(Kopecks::parse("１２"), Err(AmountError::Malformed));
    assert_eq!(Kopecks::parse(" \u{202f} "), Err(AmountError::Empty));
}

#[test]
fn huge_readings_are_refused_with_a_reason() {
    let wide = Dial {
        digits: 30,
        fraction_digits: 3,
    };
    assert!(parse_reading("99999999999999999999999", wide).is_err());
    assert!(parse_reading("1e5", wide).is_err());
    assert_eq!(parse_reading("0000012,5", wide), Ok(12_500));
}
