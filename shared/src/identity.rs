//! Who signs in, and how.

use crate::contact::{ContactError, Email, Phone};
use serde::{Deserialize, Serialize};

/// The tab of the sign-in form: «По почте» or «По номеру».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LoginKind {
    #[default]
    Email,
    Phone,
}

impl LoginKind {
    /// From the `by` query or form field; anything unknown is the default tab.
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some("phone") => LoginKind::Phone,
            _ => LoginKind::Email,
        }
    }

    pub fn param(self) -> &'static str {
        match self {
            LoginKind::Email => "email",
            LoginKind::Phone => "phone",
        }
    }

    /// The caption of the login field.
    pub fn field_label(self) -> &'static str {
        match self {
            LoginKind::Email => "Email",
            LoginKind::Phone => "Телефон",
        }
    }

    /// Checks what was typed in the login field of this tab.
    pub fn parse(self, input: &str) -> Result<Login, ContactError> {
        match self {
            LoginKind::Email => Email::parse(input).map(Login::Email),
            LoginKind::Phone => Phone::parse(input).map(Login::Phone),
        }
    }

    /// The live check of the login field, for the form.
    pub fn check(self, input: &str) -> Result<(), String> {
        self.parse(input).map(|_| ()).map_err(|e| e.to_string())
    }

    /// The same check as a plain function, for a field's live check.
    pub fn checker(self) -> fn(&str) -> Result<(), String> {
        match self {
            LoginKind::Email => crate::contact::check_email,
            LoginKind::Phone => crate::contact::check_phone,
        }
    }
}

/// A checked login: what a person signs in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Login {
    Email(Email),
    Phone(Phone),
}

/// The signed-in person, as the pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    /// `+7XXXXXXXXXX`
    pub phone: String,
    pub email: Option<String>,
    pub email_confirmed: bool,
    /// «Отображать подсказки» (U-PRF-8).
    pub show_hints: bool,
    /// Notices not yet seen in «Уведомления» (the header shows the count).
    #[serde(default)]
    pub unread_notices: u32,
    /// Polls the customer can see (open ones and those answered): «Опросы» is inactive at 0.
    #[serde(default)]
    pub polls: u32,
    /// Current promotions: «Акции» is inactive at 0.
    #[serde(default)]
    pub promotions: u32,
}

impl PersonSummary {
    /// «Иванов Иван Иванович»
    pub fn full_name(&self) -> String {
        let mut name = format!("{} {}", self.last_name, self.first_name);
        if let Some(middle) = self.middle_name.as_deref().filter(|m| !m.is_empty()) {
            name.push(' ');
            name.push_str(middle);
        }
        name
    }
}

/// The message for a failed password sign-in; it does not tell whether the account exists.
pub const WRONG_CREDENTIALS_MESSAGE: &str =
    "Неверный логин или пароль. Проверьте данные и повторите попытку.";
/// Sign-in by code to an unknown phone (U-AUTH-1).
pub const UNKNOWN_PHONE_MESSAGE: &str =
    "Личный кабинет с таким номером телефона не найден. Проверьте номер или зарегистрируйтесь.";
/// Sign-in by code to an unknown e-mail (U-AUTH-1).
pub const UNKNOWN_EMAIL_MESSAGE: &str = "Личный кабинет с таким адресом электронной почты не найден. Проверьте адрес или зарегистрируйтесь.";
pub const WRONG_CURRENT_PASSWORD_MESSAGE: &str = "Текущий пароль указан неверно";
pub const SAME_PASSWORD_MESSAGE: &str = "Новый пароль должен отличаться от текущего";
pub const PASSWORD_CHANGED_MESSAGE: &str = "Пароль изменен.";
pub const NAMES_SAVED_MESSAGE: &str = "Личные данные сохранены.";
pub const PHONE_CHANGED_MESSAGE: &str = "Номер телефона изменен.";
pub const EMAIL_CHANGED_MESSAGE: &str = "Адрес электронной почты изменен и подтвержден.";
pub const SAME_CONTACT_MESSAGE: &str = "Укажите новое значение: оно совпадает с текущим.";
pub const NOTHING_TO_CONFIRM_MESSAGE: &str = "Адрес электронной почты уже подтвержден.";
pub const EMAIL_CONFIRMED_MESSAGE: &str = "Адрес электронной почты подтвержден.";
pub const PASSWORD_RECOVERED_MESSAGE: &str = "Пароль изменен. Войдите с новым паролем.";
pub const ACCOUNT_DELETED_MESSAGE: &str = "Учетная запись удалена.";
/// Sign-in by e-mail needs a confirmed address (seed 003 §2.2).
pub const EMAIL_NOT_CONFIRMED_MESSAGE: &str =
    "Адрес электронной почты не подтвержден. Войдите по номеру телефона и подтвердите адрес.";

/// The page of this site a `next` parameter names, worth carrying to after sign-in: a local
/// path (never another site, so that a link cannot send the customer away) other than home.
pub fn next_page(next: Option<&str>) -> Option<&str> {
    next.filter(|path| {
        path.starts_with('/')
            && *path != "/"
            && !path.starts_with("//")
            && path.len() <= 300
            && !path.chars().any(|c| c == '\\' || c.is_control())
    })
}

/// Where to go after signing in: the [`next_page`], else the cabinet's home.
pub fn return_path(next: Option<&str>) -> &str {
    next_page(next).unwrap_or("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(return_path(Some("/qr/abc")), "/qr/abc");
        assert_eq!(
            return_path(Some("/profile?edit=phone")),
            "/profile?edit=phone"
        );
        assert_eq!(return_path(None), "/");
        assert_eq!(return_path(Some("")), "/");
        assert_eq!(return_path(Some("https://evil.example/")), "/");
        assert_eq!(return_path(Some("//evil.example/")), "/");
        assert_eq!(return_path(Some("/\\evil.example/")), "/");
        assert_eq!(return_path(Some("/a\nb")), "/");
        assert_eq!(next_page(Some("/")), None);
        assert_eq!(next_page(Some("/qr/abc")), Some("/qr/abc"));
    }

    #[test]
    fn the_tab_decides_how_the_login_is_read() {
        assert!(
            matches!(LoginKind::Email.parse("Demo@Kabinet.local"), Ok(Login::Email(e)) if e.as_str() == "demo@kabinet.local")
        );
        assert!(
            matches!(LoginKind::Phone.parse("8 (900) 000-00-01"), Ok(Login::Phone(p)) if p.as_str() == "+79000000001")
        );
        assert!(LoginKind::Email.check("+79000000001").is_err());
        assert_eq!(LoginKind::from_param(Some("phone")), LoginKind::Phone);
        assert_eq!(LoginKind::from_param(Some("evil")), LoginKind::Email);
        assert_eq!(LoginKind::from_param(None), LoginKind::Email);
    }

    #[test]
    fn full_name_skips_a_missing_patronymic() {
        let mut p = PersonSummary {
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            middle_name: None,
            phone: "+79000000001".into(),
            email: None,
            email_confirmed: false,
            show_hints: true,
            unread_notices: 0,
            polls: 0,
            promotions: 0,
        };
        assert_eq!(p.full_name(), "Иванов Иван");
        p.middle_name = Some("Петрович".into());
        assert_eq!(p.full_name(), "Иванов Иван Петрович");
    }
}

/// The registration form «Введите регистрационные данные» (U-REG-1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub last_name: String,
    pub first_name: String,
    pub phone: String,
    pub email: String,
    pub password: String,
    pub password_repeat: String,
}

/// A registration whose every field meets its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub last_name: String,
    pub first_name: String,
    pub phone: Phone,
    pub email: Email,
    pub password: crate::password::Password,
}

impl RegistrationInput {
    /// Checks every field (U-REG-2, U-REG-3, phone and e-mail), reporting all bad fields at once.
    pub fn validate(&self) -> Result<Registration, crate::ApiError> {
        use crate::error::FieldErrors;
        use crate::password::Password;
        use crate::person::parse_name;
        let mut errors = FieldErrors::new();
        let last_name = errors.check("last_name", parse_name(&self.last_name));
        let first_name = errors.check("first_name", parse_name(&self.first_name));
        let phone = errors.check("phone", Phone::parse(&self.phone));
        let email = errors.check("email", Email::parse(&self.email));
        let password = errors.check("password", Password::parse(&self.password));
        errors.check(
            "password_repeat",
            Password::check_repeat(&self.password, &self.password_repeat),
        );
        errors.into_result()?;
        match (last_name, first_name, phone, email, password) {
            (Some(last_name), Some(first_name), Some(phone), Some(email), Some(password)) => {
                Ok(Registration {
                    last_name,
                    first_name,
                    phone,
                    email,
                    password,
                })
            }
            _ => Err(crate::ApiError::Unavailable),
        }
    }
}

/// What the page shows of a registration waiting for its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDraft {
    pub token: String,
    pub last_name: String,
    pub first_name: String,
    pub phone: String,
    pub email: String,
}

/// U-REG-6, verbatim.
pub const PHONE_TAKEN_MESSAGE: &str =
    "На указанный номер уже зарегистрирован личный кабинет. Внесите другой номер телефона.";
/// U-REG-6, verbatim.
pub const EMAIL_TAKEN_MESSAGE: &str =
    "Указанная электронная почта уже зарегистрирована в личном кабинете. Укажите другой адрес.";
pub const CONSENT_REQUIRED_MESSAGE: &str =
    "Для регистрации необходимо согласие с политикой обработки персональных данных";
pub const DRAFT_EXPIRED_MESSAGE: &str =
    "Данные регистрации устарели. Заполните форму и направьте код подтверждения еще раз.";
/// The version of the personal-data policy a consent refers to.
pub const CONSENT_VERSION: &str = "2026-11";

#[cfg(test)]
mod registration_tests {
    use super::*;

    fn good() -> RegistrationInput {
        RegistrationInput {
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            phone: "+7 (900) 000-00-01".into(),
            email: "Ivanov@bk.ru".into(),
            password: "Kx9#mePlank".into(),
            password_repeat: "Kx9#mePlank".into(),
        }
    }

    #[test]
    fn a_good_form_passes_normalised() {
        let r = good().validate().unwrap();
        assert_eq!(r.phone.as_str(), "+79000000001");
        assert_eq!(r.email.as_str(), "ivanov@bk.ru");
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = RegistrationInput {
            last_name: "Иванов1".into(),
            first_name: String::new(),
            phone: "123".into(),
            email: "ivanov".into(),
            password: "abc".into(),
            password_repeat: "abd".into(),
        };
        let err = input.validate().unwrap_err();
        for field in [
            "last_name",
            "first_name",
            "phone",
            "email",
            "password",
            "password_repeat",
        ] {
            assert!(err.field_message(field).is_some(), "{field}");
        }
    }
}
