//! Bank and tax requisites of a payee or an organisation: ИНН, КПП, ОГРН/ОГРНИП, БИК,
//! settlement and correspondent accounts, and a person's СНИЛС, each checked by its control
//! digits (the rules of the Federal Tax Service, the Bank of Russia and the Pension Fund), so
//! that an import, a receipt or a form never carries a mistyped number.

use serde::{Deserialize, Serialize};

/// Why a requisite is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequisiteError {
    #[error("ИНН состоит из 10 цифр (организация) или 12 цифр (ИП)")]
    InnLength,
    #[error("Неверное контрольное число ИНН")]
    InnChecksum,
    #[error("БИК состоит из 9 цифр и начинается с 04")]
    Bic,
    #[error("Номер счета состоит из 20 цифр")]
    AccountLength,
    #[error("Номер счета не соответствует БИК банка")]
    AccountKey,
    #[error("Корреспондентский счет начинается с 30101")]
    CorrespondentPrefix,
    #[error("ОГРН состоит из 13 цифр")]
    OgrnLength,
    #[error("ОГРНИП состоит из 15 цифр")]
    OgrnipLength,
    #[error("Неверное контрольное число ОГРН")]
    OgrnChecksum,
    #[error("Неверное контрольное число ОГРНИП")]
    OgrnipChecksum,
    #[error("КПП состоит из 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры")]
    Kpp,
    #[error("СНИЛС состоит из 11 цифр, например 112-233-445 95")]
    SnilsLength,
    #[error("Неверное контрольное число СНИЛС")]
    SnilsChecksum,
}

fn digits<const N: usize>(input: &str) -> Option<[u32; N]> {
    let mut out = [0u32; N];
    let mut chars = input.chars();
    for slot in &mut out {
        *slot = chars.next()?.to_digit(10)?;
    }
    chars.next().is_none().then_some(out)
}

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// An ИНН: 10 digits for an organisation, 12 for a person or an ИП, with control digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inn(String);

impl Inn {
    pub fn parse(input: &str) -> Result<Inn, RequisiteError> {
        let input = input.trim();
        const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
        const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
        const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
        let control = |d: &[u32], w: &[u32]| weighted(d, w) % 11 % 10;
        let valid = if let Some(d) = digits::<10>(input) {
            control(&d[..9], &W10) == d[9]
        } else if let Some(d) = digits::<12>(input) {
            control(&d[..10], &W11) == d[10] && control(&d[..11], &W12) == d[11]
        } else {
            return Err(RequisiteError::InnLength);
        };
        if valid {
            Ok(Inn(input.to_string()))
        } else {
            Err(RequisiteError::InnChecksum)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A БИК of a Russian bank: 9 digits beginning with 04.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bic(String);

impl Bic {
    pub fn parse(input: &str) -> Result<Bic, RequisiteError> {
        let input = input.trim();
        match digits::<9>(input) {
            Some(_) if input.starts_with("04") => Ok(Bic(input.to_string())),
            _ => Err(RequisiteError::Bic),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The key check of a 20-digit account against 3 digits from the БИК (weights 7, 1, 3).
fn account_key_holds(prefix: &str, account: &[u32; 20]) -> bool {
    const WEIGHTS: [u32; 3] = [7, 1, 3];
    let sum: u32 = prefix
        .chars()
        .filter_map(|c| c.to_digit(10))
        .chain(account.iter().copied())
        .enumerate()
        .map(|(i, d)| (d * WEIGHTS[i % 3]) % 10)
        .sum();
    sum.is_multiple_of(10)
}

/// A settlement account (расчетный счет) in the bank `bic`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementAccount(String);

impl SettlementAccount {
    pub fn parse(input: &str, bic: &Bic) -> Result<SettlementAccount, RequisiteError> {
        let input = input.trim();
        let account = digits::<20>(input).ok_or(RequisiteError::AccountLength)?;
        if account_key_holds(&bic.0[6..9], &account) {
            Ok(SettlementAccount(input.to_string()))
        } else {
            Err(RequisiteError::AccountKey)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The correspondent account of the bank `bic` at the Bank of Russia.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrespondentAccount(String);

impl CorrespondentAccount {
    pub fn parse(input: &str, bic: &Bic) -> Result<CorrespondentAccount, RequisiteError> {
        let input = input.trim();
        let account = digits::<20>(input).ok_or(RequisiteError::AccountLength)?;
        if !input.starts_with("30101") {
            return Err(RequisiteError::CorrespondentPrefix);
        }
        if account_key_holds(&format!("0{}", &bic.0[4..6]), &account) {
            Ok(CorrespondentAccount(input.to_string()))
        } else {
            Err(RequisiteError::AccountKey)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The remainder of a decimal number written as digits, by `modulus` (ОГРН, ОГРНИП).
fn remainder(digits: &[u32], modulus: u64) -> u64 {
    digits
        .iter()
        .fold(0u64, |r, d| (r * 10 + u64::from(*d)) % modulus)
}

/// A state registration number: ОГРН of an organisation (13 digits: the remainder of the first
/// 12 by 11, its last digit) or ОГРНИП of an individual entrepreneur (15 digits: of the first
/// 14 by 13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ogrn(String);

impl Ogrn {
    /// An ОГРН (13 digits) or an ОГРНИП (15 digits).
    pub fn parse(input: &str) -> Result<Ogrn, RequisiteError> {
        let input = input.trim();
        match input.chars().count() {
            15 => Self::parse_ogrnip(input),
            _ => Self::parse_ogrn(input),
        }
    }

    /// An organisation's ОГРН only.
    pub fn parse_ogrn(input: &str) -> Result<Ogrn, RequisiteError> {
        let input = input.trim();
        let d = digits::<13>(input).ok_or(RequisiteError::OgrnLength)?;
        if remainder(&d[..12], 11) % 10 == u64::from(d[12]) {
            Ok(Ogrn(input.to_string()))
        } else {
            Err(RequisiteError::OgrnChecksum)
        }
    }

    /// An individual entrepreneur's ОГРНИП only.
    pub fn parse_ogrnip(input: &str) -> Result<Ogrn, RequisiteError> {
        let input = input.trim();
        let d = digits::<15>(input).ok_or(RequisiteError::OgrnipLength)?;
        if remainder(&d[..14], 13) % 10 == u64::from(d[14]) {
            Ok(Ogrn(input.to_string()))
        } else {
            Err(RequisiteError::OgrnipChecksum)
        }
    }

    /// Whether it is an individual entrepreneur's ОГРНИП.
    pub fn is_ogrnip(&self) -> bool {
        self.0.len() == 15
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A КПП: the tax office (4 digits), the reason (2 digits or capital Latin letters), the
/// number (3 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpp(String);

impl Kpp {
    pub fn parse(input: &str) -> Result<Kpp, RequisiteError> {
        let input = input.trim();
        let chars: Vec<char> = input.chars().collect();
        let valid = chars.len() == 9
            && chars.iter().enumerate().all(|(i, c)| match i {
                4 | 5 => c.is_ascii_digit() || c.is_ascii_uppercase(),
                _ => c.is_ascii_digit(),
            });
        if valid {
            Ok(Kpp(input.to_string()))
        } else {
            Err(RequisiteError::Kpp)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A СНИЛС, stored as its 11 digits; written `112-233-445 95`. Numbers up to 001-001-998 were
/// issued without a checked control number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snils(String);

impl Snils {
    pub fn parse(input: &str) -> Result<Snils, RequisiteError> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{a0}'))
            .collect();
        let d = digits::<11>(&compact).ok_or(RequisiteError::SnilsLength)?;
        let number = d[..9].iter().fold(0u64, |n, d| n * 10 + u64::from(*d));
        let control = u64::from(d[9] * 10 + d[10]);
        if number > 1_001_998 {
            let sum: u64 = d[..9]
                .iter()
                .zip((1..=9u32).rev())
                .map(|(d, w)| u64::from(d * w))
                .sum();
            let expected = match sum % 101 {
                100 => 0,
                r => r,
            };
            if expected != control {
                return Err(RequisiteError::SnilsChecksum);
            }
        }
        Ok(Snils(compact))
    }

    /// `112-233-445 95`.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{} {}", &s[..3], &s[3..6], &s[6..9], &s[9..])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Requisites of Sberbank (ПАО Сбербанк, Москва), published on its site.
    const SBER_BIC: &str = "044525225";
    const SBER_CORR: &str = "30101810400000000225";
    const SBER_INN: &str = "7707083893";

    #[test]
    fn inns_are_checked_by_their_control_digits() {
        assert!(Inn::parse(SBER_INN).is_ok());
        assert!(Inn::parse("500100732259").is_ok(), "a 12-digit ИНН");
        assert_eq!(Inn::parse("7707083894"), Err(RequisiteError::InnChecksum));
        assert_eq!(Inn::parse("500100732258"), Err(RequisiteError::InnChecksum));
        assert_eq!(Inn::parse("77070838"), Err(RequisiteError::InnLength));
        assert_eq!(Inn::parse("77070838ab"), Err(RequisiteError::InnLength));
    }

    #[test]
    fn bics_are_nine_digits_of_a_russian_bank() {
        assert!(Bic::parse(SBER_BIC).is_ok());
        assert_eq!(Bic::parse("144525225"), Err(RequisiteError::Bic));
        assert_eq!(Bic::parse("04452522"), Err(RequisiteError::Bic));
    }

    #[test]
    fn accounts_are_keyed_to_the_bank() {
        let bic = Bic::parse(SBER_BIC).unwrap();
        assert!(CorrespondentAccount::parse(SBER_CORR, &bic).is_ok());
        assert_eq!(
            CorrespondentAccount::parse("30101810400000000226", &bic),
            Err(RequisiteError::AccountKey)
        );
        assert_eq!(
            CorrespondentAccount::parse("40702810400000000225", &bic),
            Err(RequisiteError::CorrespondentPrefix)
        );
        // A settlement account with a valid key for this bank (the key digit is the 9th).
        assert!(SettlementAccount::parse("40702810938000000001", &bic).is_ok());
        assert_eq!(
            SettlementAccount::parse("40702810038000000001", &bic),
            Err(RequisiteError::AccountKey)
        );
        assert_eq!(
            SettlementAccount::parse("4070281093800000000", &bic),
            Err(RequisiteError::AccountLength)
        );
    }

    #[test]
    fn registration_numbers_are_checked_by_their_control_digit() {
        // The demo registry's companies (#19).
        for ogrn in ["1192225000813", "1157746123457", "1247700044338"] {
            let parsed = Ogrn::parse(ogrn).unwrap();
            assert!(!parsed.is_ogrnip());
        }
        assert!(Ogrn::parse("320774600123457").unwrap().is_ogrnip());
        assert!(Ogrn::parse_ogrn("320774600123457").is_err());
        assert_eq!(
            Ogrn::parse("1192225000814"),
            Err(RequisiteError::OgrnChecksum)
        );
        assert_eq!(
            Ogrn::parse("320774600123458"),
            Err(RequisiteError::OgrnipChecksum)
        );
        assert_eq!(Ogrn::parse("11922250008"), Err(RequisiteError::OgrnLength));
        assert_eq!(
            Ogrn::parse_ogrnip("1192225000813"),
            Err(RequisiteError::OgrnipLength)
        );
        assert_eq!(
            Ogrn::parse("11922250008a3"),
            Err(RequisiteError::OgrnLength)
        );
    }

    #[test]
    fn kpps_have_their_shape() {
        assert!(Kpp::parse("222501001").is_ok());
        assert!(
            Kpp::parse("7705AB001").is_ok(),
            "a reason code in Latin letters"
        );
        assert_eq!(Kpp::parse("7705ab001"), Err(RequisiteError::Kpp));
        assert_eq!(Kpp::parse("77050100"), Err(RequisiteError::Kpp));
        assert_eq!(
            Kpp::parse("77А501001"),
            Err(RequisiteError::Kpp),
            "a Cyrillic letter"
        );
    }

    #[test]
    fn snils_is_checked_by_its_control_number() {
        // The example of the Pension Fund's description: 112-233-445 95.
        let snils = Snils::parse("112-233-445 95").unwrap();
        assert_eq!(snils.as_str(), "11223344595");
        assert_eq!(snils.formatted(), "112-233-445 95");
        assert!(Snils::parse("11223344595").is_ok());
        assert_eq!(
            Snils::parse("112-233-445 96"),
            Err(RequisiteError::SnilsChecksum)
        );
        assert_eq!(
            Snils::parse("112-233-445"),
            Err(RequisiteError::SnilsLength)
        );
        // A weighted sum of 101 (here) or 100 gives the control number 00.
        assert!(Snils::parse("016-103-396 00").is_ok());
        assert!(Snils::parse("121-435-211 00").is_ok(), "a sum of 100");
        assert_eq!(
            Snils::parse("016-103-396 01"),
            Err(RequisiteError::SnilsChecksum)
        );
        // Early numbers were issued without a checked control number.
        assert!(Snils::parse("001-001-998 77").is_ok());
    }

    /// The control digit an ОГРН or ОГРНИП body needs, computed independently of the parser.
    fn control(body: &str, modulus: u128) -> u32 {
        u32::try_from(body.parse::<u128>().unwrap() % modulus % 10).unwrap()
    }

    proptest! {
        #[test]
        fn ogrn_takes_exactly_its_control_digit(body in "[1-9][0-9]{11}") {
            let fitting: Vec<u32> = (0..10)
                .filter(|k| Ogrn::parse_ogrn(&format!("{body}{k}")).is_ok())
                .collect();
            prop_assert_eq!(fitting, vec![control(&body, 11)]);
        }

        #[test]
        fn ogrnip_takes_exactly_its_control_digit(body in "[1-9][0-9]{13}") {
            let fitting: Vec<u32> = (0..10)
                .filter(|k| Ogrn::parse_ogrnip(&format!("{body}{k}")).is_ok())
                .collect();
            prop_assert_eq!(fitting, vec![control(&body, 13)]);
        }

        #[test]
        fn snils_past_the_early_numbers_takes_one_control_number(body in "[0-9]{9}") {
            prop_assume!(body.parse::<u64>().unwrap() > 1_001_998);
            let fitting = (0..100)
                .filter(|k| Snils::parse(&format!("{body}{k:02}")).is_ok())
                .count();
            prop_assert_eq!(fitting, 1);
        }

        #[test]
        fn exactly_one_key_digit_fits_any_account(body in "[0-9]{19}") {
            let bic = Bic::parse(SBER_BIC).unwrap();
            let fitting = (0..10)
                .filter(|k| {
                    let account = format!("{}{k}{}", &body[..8], &body[8..]);
                    SettlementAccount::parse(&account, &bic).is_ok()
                })
                .count();
            prop_assert_eq!(fitting, 1);
        }

        #[test]
        fn parsing_never_panics(s in ".{0,30}") {
            let _ = Inn::parse(&s);
            let _ = Bic::parse(&s);
            let _ = Ogrn::parse(&s);
            let _ = Kpp::parse(&s);
            let _ = Snils::parse(&s);
        }
    }
}
