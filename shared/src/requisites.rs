//! Bank and tax requisites of a payee: ИНН, БИК, settlement and correspondent accounts, each
//! checked by its control digits (the rules of the Federal Tax Service and the Bank of Russia),
//! so that an import or a receipt never carries a mistyped number.

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

    proptest! {
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
        }
    }
}
