//! The password rule (U-REG-3), wherever a password is set: registration, recovery, change.

/// The 10,000 most common passwords, lower-case, one a line (see `data/NOTICE`).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// At least this many characters (U-REG-3).
pub const MIN_LEN: usize = 6;
/// Long passphrases are welcome; beyond this the input is refused as unreasonable.
pub const MAX_LEN: usize = 128;

/// One part of the rule, shown as a checklist while the customer types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Length,
    Upper,
    Lower,
    Digit,
    Special,
    NotCommon,
}

impl Requirement {
    pub const ALL: [Requirement; 6] = [
        Requirement::Length,
        Requirement::Upper,
        Requirement::Lower,
        Requirement::Digit,
        Requirement::Special,
        Requirement::NotCommon,
    ];

    /// The checklist caption.
    pub fn caption(self) -> &'static str {
        match self {
            Requirement::Length => "не менее 6 символов",
            Requirement::Upper => "заглавная латинская буква",
            Requirement::Lower => "строчная латинская буква",
            Requirement::Digit => "цифра",
            Requirement::Special => "символ, отличный от букв и цифр (например, ! $ # %)",
            Requirement::NotCommon => "не из списка распространенных паролей",
        }
    }

    pub fn is_met(self, password: &str) -> bool {
        match self {
            Requirement::Length => {
                let n = password.chars().count();
                (MIN_LEN..=MAX_LEN).contains(&n)
            }
            Requirement::Upper => password.chars().any(|c| c.is_ascii_uppercase()),
            Requirement::Lower => password.chars().any(|c| c.is_ascii_lowercase()),
            Requirement::Digit => password.chars().any(|c| c.is_ascii_digit()),
            Requirement::Special => password.chars().any(|c| !c.is_alphanumeric()),
            Requirement::NotCommon => !password.is_empty() && !is_common(password),
        }
    }
}

/// Whether the password is one of the most common passwords, whatever its letter case.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON_PASSWORDS.lines().any(|line| line == lower)
}

/// The message under the password field when the rule is not met.
pub const RULE_MESSAGE: &str = "Пароль должен содержать не менее 6 символов: заглавные и строчные латинские буквы, цифры и символы, отличные от букв и цифр (например, ! $ # %)";
pub const COMMON_MESSAGE: &str =
    "Этот пароль слишком распространен и легко подбирается. Придумайте другой.";
pub const TOO_LONG_MESSAGE: &str = "Пароль не должен быть длиннее 128 символов.";
pub const MISMATCH_MESSAGE: &str = "Пароли не совпадают";

/// A password that meets the rule.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(input: &str) -> Result<Password, String> {
        if input.is_empty() {
            return Err(crate::contact::REQUIRED_MESSAGE.to_string());
        }
        if input.chars().count() > MAX_LEN {
            return Err(TOO_LONG_MESSAGE.to_string());
        }
        let composition = [
            Requirement::Length,
            Requirement::Upper,
            Requirement::Lower,
            Requirement::Digit,
            Requirement::Special,
        ];
        if !composition.iter().all(|r| r.is_met(input)) {
            return Err(RULE_MESSAGE.to_string());
        }
        if is_common(input) {
            return Err(COMMON_MESSAGE.to_string());
        }
        Ok(Password(input.to_string()))
    }

    /// The live check for a form.
    pub fn check(input: &str) -> Result<(), String> {
        Password::parse(input).map(|_| ())
    }

    /// The repeated password must equal the first.
    pub fn check_repeat(first: &str, repeat: &str) -> Result<(), String> {
        if repeat.is_empty() {
            Err(crate::contact::REQUIRED_MESSAGE.to_string())
        } else if first != repeat {
            Err(MISMATCH_MESSAGE.to_string())
        } else {
            Ok(())
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_manuals_rule_holds() {
        assert!(Password::parse("Demo-2026!").is_ok());
        assert!(
            Password::parse("aB3$xy").is_ok(),
            "six characters are enough"
        );
        for weak in ["aB3$x", "ab3$xy", "AB3$XY", "aBc$xy", "aB3dxy"] {
            assert_eq!(
                Password::parse(weak),
                Err(RULE_MESSAGE.to_string()),
                "{weak}"
            );
        }
        assert_eq!(
            Password::parse(""),
            Err("Поле обязательно для заполнения".to_string())
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(COMMON_PASSWORDS.lines().count(), 10_000);
        assert_eq!(Password::parse("P@ssw0rd"), Err(COMMON_MESSAGE.to_string()));
        assert_eq!(
            Password::parse("P@SSW0RD1"),
            Err(RULE_MESSAGE.to_string()),
            "no lower case"
        );
        assert_eq!(Password::parse("p@SSW0RD"), Err(COMMON_MESSAGE.to_string()));
        assert!(is_common("password"));
        assert!(!is_common("Kx9#mePlank"));
    }

    #[test]
    fn long_passphrases_are_allowed_up_to_128() {
        let long = format!("Aa1!{}", "x".repeat(60));
        assert!(Password::parse(&long).is_ok());
        let too_long = format!("Aa1!{}", "x".repeat(MAX_LEN));
        assert_eq!(
            Password::parse(&too_long),
            Err(TOO_LONG_MESSAGE.to_string())
        );
    }

    #[test]
    fn the_checklist_shows_what_is_met() {
        let met: Vec<_> = Requirement::ALL
            .iter()
            .filter(|r| r.is_met("abc1"))
            .collect();
        assert_eq!(
            met,
            vec![
                &Requirement::Lower,
                &Requirement::Digit,
                &Requirement::NotCommon
            ]
        );
    }

    #[test]
    fn repeat_must_match() {
        assert_eq!(Password::check_repeat("Demo-2026!", "Demo-2026!"), Ok(()));
        assert_eq!(
            Password::check_repeat("Demo-2026!", "Demo-2026"),
            Err(MISMATCH_MESSAGE.to_string())
        );
    }

    #[test]
    fn a_password_is_never_printed() {
        let p = Password::parse("Demo-2026!").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    proptest! {
        #[test]
        fn accepted_passwords_meet_every_requirement(s in "\\PC{0,40}") {
            if Password::parse(&s).is_ok() {
                for r in Requirement::ALL {
                    prop_assert!(r.is_met(&s), "{:?} not met by {:?}", r, s);
                }
            }
        }
    }
}
