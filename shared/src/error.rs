//! The one error type that crosses the server-function boundary.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// What a request the server cannot read is answered with.
pub const MALFORMED_REQUEST_MESSAGE: &str =
    "Некорректный запрос. Обновите страницу и повторите попытку.";

/// A message tied to one form field, shown under that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The `name` of the form field.
    pub field: String,
    /// The message in Russian, as the customer reads it.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// What a server function can answer instead of its result.
///
/// Messages are Russian and safe to show to the customer. Internal failures never carry
/// their cause across the boundary: only a reference under which the server logged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// The input broke a rule; each message belongs next to its field.
    #[error("Проверьте правильность заполнения полей.")]
    Invalid { fields: Vec<FieldError> },
    /// A rule of the business refused the request; the message says what to do next.
    #[error("{message}")]
    Refused { message: String },
    #[error("Войдите в личный кабинет.")]
    Unauthorized,
    #[error("Недостаточно прав для этого действия.")]
    Forbidden,
    #[error("Страница или запись не найдена.")]
    NotFound,
    #[error("Слишком много попыток. Повторите через {retry_after_secs} с.")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("Сервис временно недоступен. Повторите попытку через минуту.")]
    Unavailable,
    #[error("Произошла внутренняя ошибка. Код для службы поддержки: {reference}.")]
    Internal { reference: String },
    /// The request did not reach the server or its answer could not be read.
    #[error("Нет связи с сервером. Проверьте подключение к интернету и повторите попытку.")]
    Network { detail: String },
}

impl ApiError {
    /// A single field's error.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            fields: vec![FieldError::new(field, message)],
        }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        ApiError::Refused {
            message: message.into(),
        }
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            ApiError::Invalid { fields } => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }

    /// A message for the form as a whole: everything but field errors.
    pub fn form_message(&self) -> Option<String> {
        match self {
            ApiError::Invalid { .. } => None,
            other => Some(other.to_string()),
        }
    }
}

/// Collects field errors while a form is checked, so that every bad field is reported at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records «Поле обязательно для заполнения» for `field` when `value` is blank; whether
    /// something was given.
    pub fn require(&mut self, field: &str, value: &str) -> bool {
        let given = !value.trim().is_empty();
        if !given {
            self.add(field, crate::contact::REQUIRED_MESSAGE);
        }
        given
    }

    /// Keeps the value of a successful check, records the message of a failed one.
    pub fn check<T, E: ToString>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded, else the error listing every field.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid { fields: self.0 })
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(detail)
            | ServerFnErrorErr::Response(detail)
            | ServerFnErrorErr::Deserialization(detail) => ApiError::Network { detail },
            ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_)
            | ServerFnErrorErr::Registration(_) => ApiError::Unavailable,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Serialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                ApiError::refused(MALFORMED_REQUEST_MESSAGE)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_required_field_is_named_with_the_required_message() {
        let mut errors = FieldErrors::new();
        assert!(errors.require("title", "Поверка"));
        assert!(errors.is_empty());
        assert!(!errors.require("address", "  \t"));
        let err = errors.into_result().unwrap_err();
        assert_eq!(
            err.field_message("address"),
            Some(crate::contact::REQUIRED_MESSAGE)
        );
        assert_eq!(err.field_message("title"), None);
    }

    #[test]
    fn field_errors_collect_every_bad_field() {
        let mut errors = FieldErrors::new();
        let ok: Option<i32> = errors.check("a", Ok::<_, String>(1));
        assert_eq!(ok, Some(1));
        errors.check::<(), _>("b", Err("Поле обязательно для заполнения"));
        errors.check::<(), _>("c", Err("Слишком длинно"));
        let err = errors.into_result().unwrap_err();
        assert_eq!(
            err.field_message("b"),
            Some("Поле обязательно для заполнения")
        );
        assert_eq!(err.field_message("c"), Some("Слишком длинно"));
        assert_eq!(err.field_message("a"), None);
        assert_eq!(err.form_message(), None);
    }

    #[test]
    fn internal_error_shows_only_its_reference() {
        let err = ApiError::Internal {
            reference: "7f3a".into(),
        };
        assert_eq!(
            err.to_string(),
            "Произошла внутренняя ошибка. Код для службы поддержки: 7f3a."
        );
    }

    #[test]
    fn error_survives_the_wire() {
        let err = ApiError::field("email", "Неверный формат");
        let json = serde_json::to_string(&err).unwrap();
        let back: ApiError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, err);
    }
}
