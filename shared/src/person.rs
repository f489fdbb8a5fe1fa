//! A person's name (U-REG-2) and the one-time confirmation code (U-REG-4).

use crate::contact::REQUIRED_MESSAGE;

pub const NAME_MAX_LEN: usize = 50;
pub const NAME_TOO_LONG_MESSAGE: &str = "Не более 50 символов";
pub const NAME_CHARS_MESSAGE: &str =
    "Допустимы только русские или латинские буквы, дефис «-» и тире «—»";

fn is_name_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

/// Фамилия, Имя or Отчество: Russian or Latin letters, hyphen «-» and dash «—», at most 50
/// characters. Surrounding spaces are dropped.
pub fn parse_name(input: &str) -> Result<String, String> {
    let name = input.trim();
    if name.is_empty() {
        return Err(REQUIRED_MESSAGE.to_string());
    }
    if name.chars().count() > NAME_MAX_LEN {
        return Err(NAME_TOO_LONG_MESSAGE.to_string());
    }
    let allowed = name
        .chars()
        .all(|c| is_name_letter(c) || c == '-' || c == '—');
    let starts_with_letter = name.chars().next().is_some_and(is_name_letter);
    if allowed && starts_with_letter {
        Ok(name.to_string())
    } else {
        Err(NAME_CHARS_MESSAGE.to_string())
    }
}

/// An optional name (Отчество): empty is fine.
pub fn parse_optional_name(input: &str) -> Result<Option<String>, String> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_name(input).map(Some)
    }
}

pub fn check_name(input: &str) -> Result<(), String> {
    parse_name(input).map(|_| ())
}

pub const CODE_LEN: usize = 6;
pub const CODE_FORMAT_MESSAGE: &str = "Код подтверждения состоит из 6 цифр";

/// The 6-digit code from an SMS or e-mail, as typed (spaces allowed).
pub fn parse_code(input: &str) -> Result<String, String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        Err(REQUIRED_MESSAGE.to_string())
    } else if digits.len() == CODE_LEN && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(CODE_FORMAT_MESSAGE.to_string())
    }
}

pub fn check_code(input: &str) -> Result<(), String> {
    parse_code(input).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn russian_and_latin_names_with_hyphens_and_dashes() {
        assert_eq!(parse_name(" Иванов "), Ok("Иванов".into()));
        assert!(parse_name("Салтыков-Щедрин").is_ok());
        assert!(parse_name("Римский—Корсаков").is_ok());
        assert!(parse_name("Smith").is_ok());
        assert!(parse_name("Ёлкина").is_ok());
        assert_eq!(parse_name(""), Err(REQUIRED_MESSAGE.into()));
        for bad in ["Иван1", "Ivan Ivanov", "-Иван", "O'Brien", "Іван"] {
            assert_eq!(parse_name(bad), Err(NAME_CHARS_MESSAGE.into()), "{bad}");
        }
        assert!(parse_name(&"а".repeat(50)).is_ok());
        assert_eq!(
            parse_name(&"а".repeat(51)),
            Err(NAME_TOO_LONG_MESSAGE.into())
        );
        assert_eq!(parse_optional_name("  "), Ok(None));
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(parse_code("123 456"), Ok("123456".into()));
        assert_eq!(parse_code("12345"), Err(CODE_FORMAT_MESSAGE.into()));
        assert_eq!(parse_code("12345a"), Err(CODE_FORMAT_MESSAGE.into()));
        assert_eq!(parse_code(""), Err(REQUIRED_MESSAGE.into()));
    }

    proptest! {
        #[test]
        fn accepted_names_are_short_and_clean(s in "\\PC{0,60}") {
            if let Ok(name) = parse_name(&s) {
                prop_assert!(name.chars().count() <= NAME_MAX_LEN);
                prop_assert!(name.chars().all(|c| is_name_letter(c) || c == '-' || c == '—'));
            }
        }
    }
}
