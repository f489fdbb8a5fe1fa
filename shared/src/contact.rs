//! Contacts a person signs in with: a Russian mobile phone number and an e-mail address.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const PHONE_FORMAT_MESSAGE: &str =
    "Введите номер мобильного телефона в формате +7 (XXX) XXX-XX-XX";
pub const EMAIL_FORMAT_MESSAGE: &str = "Введите адрес электронной почты в формате name@example.ru";
pub const REQUIRED_MESSAGE: &str = "Поле обязательно для заполнения";

/// A Russian mobile number, always stored as `+7XXXXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("{}", REQUIRED_MESSAGE)]
    Required,
    #[error("{}", PHONE_FORMAT_MESSAGE)]
    Phone,
    #[error("{}", EMAIL_FORMAT_MESSAGE)]
    Email,
}

impl Phone {
    /// Accepts the usual ways of writing a number: `+7 (900) 000-00-01`, `8 900 000 00 01`,
    /// `79000000001`, `9000000001`.
    pub fn parse(input: &str) -> Result<Self, ContactError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ContactError::Required);
        }
        let mut digits = String::with_capacity(12);
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '(' | ')' | '-' | '\u{a0}' | '\u{2011}' | '\u{2013}' => {}
                _ => return Err(ContactError::Phone),
            }
        }
        let national = match digits.len() {
            10 => digits.as_str(),
            11 if digits.starts_with('7')
                || (digits.starts_with('8') && !trimmed.starts_with('+')) =>
            {
                &digits[1..]
            }
            _ => return Err(ContactError::Phone),
        };
        if !national.starts_with('9') {
            return Err(ContactError::Phone);
        }
        Ok(Phone(format!("+7{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+7 (900) 000-00-01`, as a person reads it.
    pub fn display(&self) -> String {
        let d = &self.0[2..];
        format!("+7 ({}) {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10])
    }
}

impl TryFrom<String> for Phone {
    type Error = ContactError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// An e-mail address, checked for a sane syntax and stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ContactError> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err(ContactError::Required);
        }
        let (local, domain) = value.rsplit_once('@').ok_or(ContactError::Email)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && domain.len() <= 253
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| {
                tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
            });
        if local_ok && domain_ok && value.len() <= 254 {
            Ok(Email(value))
        } else {
            Err(ContactError::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ContactError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The live check of a phone field: the message under it, if the number is not one.
pub fn check_phone(input: &str) -> Result<(), String> {
    Phone::parse(input).map(|_| ()).map_err(|e| e.to_string())
}

/// The live check of an e-mail field.
pub fn check_email(input: &str) -> Result<(), String> {
    Email::parse(input).map(|_| ()).map_err(|e| e.to_string())
}

/// Percent-encodes a value for a query string (a phone's «+», an e-mail's «@» …).
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones_in_usual_writings_normalise() {
        for input in [
            "+7 (900) 000-00-01",
            "8 900 000 00 01",
            "89000000001",
            "79000000001",
            "9000000001",
            " +7-900-000-00-01 ",
        ] {
            assert_eq!(
                Phone::parse(input).map(|p| p.0),
                Ok("+79000000001".into()),
                "{input}"
            );
        }
        assert_eq!(
            Phone::parse("+79000000001").unwrap().display(),
            "+7 (900) 000-00-01"
        );
    }

    #[test]
    fn non_mobile_or_foreign_numbers_are_refused() {
        for input in [
            "+7 (495) 123-45-67",
            "+8 900 000 00 01",
            "900000000",
            "+7900000000012",
            "9ooo",
            "+380501234567",
        ] {
            assert_eq!(Phone::parse(input), Err(ContactError::Phone), "{input}");
        }
        assert_eq!(Phone::parse("  "), Err(ContactError::Required));
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            Email::parse(" Ivanov@BK.ru ").map(|e| e.0),
            Ok("ivanov@bk.ru".into())
        );
        assert!(Email::parse("demo@kabinet.local").is_ok());
        assert!(
            Email::parse("иван@почта.рф").is_err(),
            "non-ASCII local parts are refused"
        );
        assert!(Email::parse("ivan@почта.рф").is_ok());
        for bad in [
            "ivanov",
            "ivanov@",
            "@bk.ru",
            "iv anov@bk.ru",
            "ivanov@bk",
            "a..b@bk.ru",
            "a@-bk.ru",
            "a@bk.1",
        ] {
            assert_eq!(Email::parse(bad), Err(ContactError::Email), "{bad}");
        }
        assert_eq!(Email::parse(""), Err(ContactError::Required));
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(url_encode("+79000000001"), "%2B79000000001");
        assert_eq!(url_encode("ivanov@bk.ru"), "ivanov%40bk.ru");
        assert_eq!(url_encode("иван"), "%D0%B8%D0%B2%D0%B0%D0%BD");
    }

    proptest! {
        #[test]
        fn any_ten_digit_mobile_number_round_trips(n in 9_000_000_000u64..=9_999_999_999u64) {
            let phone = Phone::parse(&n.to_string()).unwrap();
            prop_assert_eq!(Phone::parse(&phone.display()).unwrap(), phone.clone());
            prop_assert_eq!(Phone::parse(&format!("8{n}")).unwrap(), phone);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,60}") {
            let _ = Phone::parse(&s);
            let _ = Email::parse(&s);
        }
    }
}
