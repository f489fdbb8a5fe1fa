//! How receipts and notices reach a customer (U-PRF-4, U-PRF-5) and when the reminders are
//! due (#8): the rules both the profile forms and the server's background jobs follow.

use crate::contact::check_email;
use crate::money::Kopecks;
use crate::utility::billing::{Day, Period, ReadingWindow, WindowStatus, days};
use serde::{Deserialize, Serialize};

pub const RECEIPT_SAVED_MESSAGE: &str = "Способ получения квитанции сохранен.";
pub const PREFS_SAVED_MESSAGE: &str = "Настройки рассылки сохранены.";
/// The separate consent advertising needs (off by default).
pub const ADVERTISING_CONSENT_LABEL: &str =
    "Согласен на получение рекламной информации о товарах, услугах и акциях";
pub const ADVERTISING_CONSENT_REQUIRED: &str =
    "Чтобы получать рекламу, отметьте согласие на получение рекламной информации";
pub const RECEIPT_NOT_ALLOWED_MESSAGE: &str =
    "Для этого лицевого счета электронная квитанция недоступна";
pub const RECEIPT_NO_EMAIL_MESSAGE: &str =
    "Укажите адрес электронной почты: в профиле нет подтвержденного адреса";
/// Said beside the choice: a receipt goes out when the next month's charges arrive.
pub const RECEIPT_FROM_NEXT_MESSAGE: &str =
    "Электронная квитанция приходит на почту, когда поставщик начислит плату за следующий месяц.";
/// Charges of a month are due by this day of the next month (ЖК РФ, ст. 155, ч. 1).
pub const PAYMENT_DUE_DAY: u32 = 10;
/// The second reading reminder goes this many days before the window closes.
pub const CLOSING_REMINDER_DAYS: u32 = 2;

/// What a notice is about; each can be switched off per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    /// The reading window opens or is about to close.
    Readings,
    /// A debt after the due date.
    Debts,
    /// Appeals, applications and documents: every change of status and every reply.
    Cases,
    /// Promotions and offers: advertising, off until the customer consents.
    Promotions,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] = [
        NoticeKind::Readings,
        NoticeKind::Debts,
        NoticeKind::Cases,
        NoticeKind::Promotions,
    ];

    pub fn param(self) -> &'static str {
        match self {
            NoticeKind::Readings => "readings",
            NoticeKind::Debts => "debts",
            NoticeKind::Cases => "cases",
            NoticeKind::Promotions => "promotions",
        }
    }

    pub fn from_param(value: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.param() == value)
    }

    pub fn caption(self) -> &'static str {
        match self {
            NoticeKind::Readings => "Напоминания о передаче показаний",
            NoticeKind::Debts => "Уведомления о задолженности",
            NoticeKind::Cases => "Ход рассмотрения обращений и заявлений",
            NoticeKind::Promotions => "Акции и рекламная информация",
        }
    }

    /// Advertising is off by default and needs its own consent.
    pub fn is_advertising(self) -> bool {
        self == NoticeKind::Promotions
    }
}

/// Where a notice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeChannel {
    Email,
    Sms,
    /// The «Уведомления» section of the cabinet.
    Cabinet,
}

impl NoticeChannel {
    pub const ALL: [NoticeChannel; 3] = [
        NoticeChannel::Email,
        NoticeChannel::Sms,
        NoticeChannel::Cabinet,
    ];

    pub fn param(self) -> &'static str {
        match self {
            NoticeChannel::Email => "email",
            NoticeChannel::Sms => "sms",
            NoticeChannel::Cabinet => "cabinet",
        }
    }

    pub fn from_param(value: &str) -> Option<NoticeChannel> {
        NoticeChannel::ALL.into_iter().find(|c| c.param() == value)
    }

    pub fn caption(self) -> &'static str {
        match self {
            NoticeChannel::Email => "E-mail",
            NoticeChannel::Sms => "SMS",
            NoticeChannel::Cabinet => "В личном кабинете",
        }
    }
}

/// The form field of one kind on one channel: «readings.email».
pub fn pref_field(kind: NoticeKind, channel: NoticeChannel) -> String {
    format!("{}.{}", kind.param(), channel.param())
}

/// Reads «readings.email» back.
pub fn parse_pref_field(field: &str) -> Option<(NoticeKind, NoticeChannel)> {
    let (kind, channel) = field.split_once('.')?;
    Some((
        NoticeKind::from_param(kind)?,
        NoticeChannel::from_param(channel)?,
    ))
}

/// A customer's choice of notices (U-PRF-5), for every account of the cabinet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePrefs {
    /// The pairs switched on.
    pub on: Vec<(NoticeKind, NoticeChannel)>,
    /// The advertising consent is in force.
    pub advertising_consent: bool,
}

impl Default for NoticePrefs {
    /// Everything but advertising, on every channel.
    fn default() -> Self {
        NoticePrefs {
            on: NoticeKind::ALL
                .into_iter()
                .filter(|k| !k.is_advertising())
                .flat_map(|k| NoticeChannel::ALL.into_iter().map(move |c| (k, c)))
                .collect(),
            advertising_consent: false,
        }
    }
}

impl NoticePrefs {
    pub fn is_on(&self, kind: NoticeKind, channel: NoticeChannel) -> bool {
        self.on.contains(&(kind, channel)) && (!kind.is_advertising() || self.advertising_consent)
    }

    /// The choice as the form sent it: the ticked fields, and the consent box.
    pub fn from_form(fields: &[String], advertising_consent: bool) -> NoticePrefs {
        let mut on: Vec<(NoticeKind, NoticeChannel)> = Vec::new();
        for pair in fields.iter().filter_map(|f| parse_pref_field(f)) {
            if !on.contains(&pair) {
                on.push(pair);
            }
        }
        NoticePrefs {
            on,
            advertising_consent,
        }
    }

    /// Advertising switched on without the consent is refused, with the message for the
    /// consent box.
    pub fn check(&self) -> Result<(), String> {
        let wants_advertising = self.on.iter().any(|(k, _)| k.is_advertising());
        if wants_advertising && !self.advertising_consent {
            return Err(ADVERTISING_CONSENT_REQUIRED.to_string());
        }
        Ok(())
    }
}

/// One account's receipt delivery as «Способ получения квитанции» shows it (U-PRF-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptSetting {
    pub account: i64,
    pub number: String,
    pub address: String,
    /// The provider sends this account's receipts electronically.
    pub allowed: bool,
    pub electronic: bool,
    /// An address of the customer's choice for this account's receipts; none: the
    /// profile's confirmed e-mail.
    pub email: Option<String>,
}

impl ReceiptSetting {
    /// Where the receipt goes: the account's own address, else the confirmed profile e-mail.
    pub fn address_in_use(&self, profile_email: Option<&str>) -> Option<String> {
        self.email
            .clone()
            .filter(|e| !e.is_empty())
            .or_else(|| profile_email.map(str::to_string))
    }
}

/// Every account's receipt delivery, and the profile's confirmed e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReceiptSettings {
    pub accounts: Vec<ReceiptSetting>,
    pub profile_email: Option<String>,
}

/// The choice for one account: electronic or not, and an address (empty: the profile's).
/// An error names the field: `email`, or `electronic` when the account does not allow it.
pub fn check_receipt_choice(
    allowed: bool,
    electronic: bool,
    email: &str,
    profile_email: Option<&str>,
) -> Result<(), (&'static str, String)> {
    let email = email.trim();
    if !email.is_empty() {
        check_email(email).map_err(|m| ("email", m))?;
    }
    if electronic {
        if !allowed {
            return Err(("electronic", RECEIPT_NOT_ALLOWED_MESSAGE.to_string()));
        }
        if email.is_empty() && profile_email.is_none() {
            return Err(("email", RECEIPT_NO_EMAIL_MESSAGE.to_string()));
        }
    }
    Ok(())
}

/// Said when the postal address for paper receipts is missing or cannot be a full address.
pub const POSTAL_ADDRESS_MESSAGE: &str =
    "Укажите почтовый адрес полностью: индекс, населенный пункт, улицу, дом и квартиру";
/// Said when the postal address is longer than [`POSTAL_ADDRESS_MAX`] characters.
pub const POSTAL_ADDRESS_TOO_LONG: &str = "Адрес слишком длинный: не более 300 знаков";
pub const POSTAL_ADDRESS_MAX: usize = 300;

/// Another postal address for paper receipts (U-PRF-9): at least a short line with a number
/// in it (the house), at most [`POSTAL_ADDRESS_MAX`] characters. Gives the address trimmed.
pub fn check_postal_address(address: &str) -> Result<String, String> {
    let address = address.split_whitespace().collect::<Vec<_>>().join(" ");
    if address.chars().count() > POSTAL_ADDRESS_MAX {
        return Err(POSTAL_ADDRESS_TOO_LONG.to_string());
    }
    let letters = address.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 5 || !address.chars().any(|c| c.is_ascii_digit()) {
        return Err(POSTAL_ADDRESS_MESSAGE.to_string());
    }
    Ok(address)
}

/// How an account's receipts are to come once the cabinet is deleted (U-PRF-9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeftDelivery {
    /// Electronic, to the confirmed e-mail.
    Electronic,
    /// Paper, to the account's own address.
    Paper,
    /// Paper, to another postal address.
    PaperTo(String),
}

impl LeftDelivery {
    /// The form's value of a choice: «<account id>:electronic», «…:paper» or «…:other».
    pub fn choice_value(account: i64, choice: &str) -> String {
        format!("{account}:{choice}")
    }

    /// Reads one account's choice from the deletion form: `choice` as
    /// [`LeftDelivery::choice_value`] wrote it, `address` the other postal address typed
    /// beside it. The error is the address's message; junk gives `None`.
    pub fn from_form(choice: &str, address: &str) -> Option<(i64, Result<LeftDelivery, String>)> {
        let (id, how) = choice.split_once(':')?;
        let id = id.parse().ok()?;
        let delivery = match how {
            "electronic" => Ok(LeftDelivery::Electronic),
            "paper" => Ok(LeftDelivery::Paper),
            "other" => check_postal_address(address).map(LeftDelivery::PaperTo),
            _ => return None,
        };
        Some((id, delivery))
    }
}

/// A reminder the background job sends, once per customer, account and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reminder {
    /// The reading window is open (sent from its first day).
    WindowOpen,
    /// The window closes in [`CLOSING_REMINDER_DAYS`] days or fewer.
    WindowClosing,
    /// Charges are unpaid after the due date.
    Debt,
}

impl Reminder {
    /// Its name in the deliveries' ledger.
    pub fn key(self) -> &'static str {
        match self {
            Reminder::WindowOpen => "reading-open",
            Reminder::WindowClosing => "reading-closing",
            Reminder::Debt => "debt",
        }
    }

    pub fn kind(self) -> NoticeKind {
        match self {
            Reminder::WindowOpen | Reminder::WindowClosing => NoticeKind::Readings,
            Reminder::Debt => NoticeKind::Debts,
        }
    }
}

/// Which reading reminder is due today for customers who have sent nothing this month:
/// the closing one in the last days, else the opening one while the window is open.
pub fn reading_reminder(today: Day, window: ReadingWindow) -> Option<Reminder> {
    match window.status(today) {
        WindowStatus::Open { closes_in_days } if closes_in_days <= CLOSING_REMINDER_DAYS => {
            Some(Reminder::WindowClosing)
        }
        WindowStatus::Open { .. } => Some(Reminder::WindowOpen),
        WindowStatus::Closed { .. } => None,
    }
}

/// The month whose charges are overdue today: the previous month's, from the due day on.
pub fn overdue_period(today: Day) -> Option<Period> {
    (today.day > PAYMENT_DUE_DAY).then(|| today.period().add_months(-1))
}

/// A reminder's title and text for an account.
pub fn reminder_text(
    reminder: Reminder,
    account_number: &str,
    today: Day,
    window: ReadingWindow,
    owed: Kopecks,
) -> (String, String) {
    match reminder {
        Reminder::WindowOpen => (
            "Открыт прием показаний".to_string(),
            format!(
                "Передайте показания приборов учета по лицевому счету № {account_number} {}.",
                window.caption()
            ),
        ),
        Reminder::WindowClosing => {
            let left = match window.status(today) {
                WindowStatus::Open { closes_in_days: 0 } => "сегодня".to_string(),
                WindowStatus::Open { closes_in_days } => format!("через {}", days(closes_in_days)),
                WindowStatus::Closed { .. } => String::new(),
            };
            (
                "Прием показаний завершается".to_string(),
                format!(
                    "Прием показаний по лицевому счету № {account_number} завершается {left}. \
                     Показания за этот месяц еще не переданы."
                ),
            )
        }
        Reminder::Debt => (
            "Задолженность по лицевому счету".to_string(),
            format!(
                "По лицевому счету № {account_number} не оплачено {owed} \
                 Срок оплаты — до {PAYMENT_DUE_DAY} числа месяца, следующего за расчетным."
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Day {
        Day {
            year: 2026,
            month: 11,
            day: d,
        }
    }

    const WINDOW: ReadingWindow = ReadingWindow {
        from_day: 15,
        to_day: 25,
    };

    #[test]
    fn advertising_is_off_by_default_and_every_other_notice_on() {
        let prefs = NoticePrefs::default();
        for kind in NoticeKind::ALL {
            for channel in NoticeChannel::ALL {
                assert_eq!(prefs.is_on(kind, channel), !kind.is_advertising());
            }
        }
    }

    #[test]
    fn advertising_needs_its_consent() {
        let fields = vec![pref_field(NoticeKind::Promotions, NoticeChannel::Email)];
        let without = NoticePrefs::from_form(&fields, false);
        assert_eq!(
            without.check(),
            Err(ADVERTISING_CONSENT_REQUIRED.to_string())
        );
        assert!(!without.is_on(NoticeKind::Promotions, NoticeChannel::Email));
        let with = NoticePrefs::from_form(&fields, true);
        assert_eq!(with.check(), Ok(()));
        assert!(with.is_on(NoticeKind::Promotions, NoticeChannel::Email));
        assert!(!with.is_on(NoticeKind::Promotions, NoticeChannel::Sms));
        // The consent alone switches nothing on.
        assert!(NoticePrefs::from_form(&[], true).on.is_empty());
    }

    #[test]
    fn form_fields_round_trip_and_junk_is_ignored() {
        for kind in NoticeKind::ALL {
            for channel in NoticeChannel::ALL {
                assert_eq!(
                    parse_pref_field(&pref_field(kind, channel)),
                    Some((kind, channel))
                );
            }
        }
        let prefs = NoticePrefs::from_form(
            &[
                "debts.sms".into(),
                "debts.sms".into(),
                "debts.fax".into(),
                "x".into(),
            ],
            false,
        );
        assert_eq!(prefs.on, vec![(NoticeKind::Debts, NoticeChannel::Sms)]);
    }

    #[test]
    fn receipt_choice_rules() {
        let ok = Some("me@example.ru");
        assert_eq!(check_receipt_choice(true, true, "", ok), Ok(()));
        assert_eq!(
            check_receipt_choice(true, true, "other@example.ru", None),
            Ok(())
        );
        assert_eq!(check_receipt_choice(true, false, "", None), Ok(()));
        assert_eq!(
            check_receipt_choice(true, true, "", None),
            Err(("email", RECEIPT_NO_EMAIL_MESSAGE.to_string()))
        );
        assert_eq!(
            check_receipt_choice(false, true, "", ok),
            Err(("electronic", RECEIPT_NOT_ALLOWED_MESSAGE.to_string()))
        );
        assert!(matches!(
            check_receipt_choice(true, true, "not-an-address", ok),
            Err(("email", _))
        ));
    }

    #[test]
    fn another_postal_address_needs_a_house_and_fits_a_line() {
        assert_eq!(
            check_postal_address("  390000,  г. Рязань, ул. Ленина, д. 5, кв. 7 "),
            Ok("390000, г. Рязань, ул. Ленина, д. 5, кв. 7".to_string())
        );
        assert_eq!(
            check_postal_address(""),
            Err(POSTAL_ADDRESS_MESSAGE.to_string())
        );
        assert_eq!(
            check_postal_address("г. Рязань"),
            Err(POSTAL_ADDRESS_MESSAGE.to_string())
        );
        assert_eq!(
            check_postal_address(&format!("ул. Ленина, д. 5 {}", "а".repeat(300))),
            Err(POSTAL_ADDRESS_TOO_LONG.to_string())
        );
    }

    #[test]
    fn deletion_choices_are_read_from_the_form() {
        assert_eq!(
            LeftDelivery::from_form(&LeftDelivery::choice_value(7, "electronic"), ""),
            Some((7, Ok(LeftDelivery::Electronic)))
        );
        assert_eq!(
            LeftDelivery::from_form("8:paper", "ignored"),
            Some((8, Ok(LeftDelivery::Paper)))
        );
        assert_eq!(
            LeftDelivery::from_form("9:other", "г. Рязань, ул. Ленина, д. 5"),
            Some((
                9,
                Ok(LeftDelivery::PaperTo("г. Рязань, ул. Ленина, д. 5".into()))
            ))
        );
        assert_eq!(
            LeftDelivery::from_form("9:other", ""),
            Some((9, Err(POSTAL_ADDRESS_MESSAGE.to_string())))
        );
        assert_eq!(LeftDelivery::from_form("x:paper", ""), None);
        assert_eq!(LeftDelivery::from_form("9:pigeon", ""), None);
    }

    #[test]
    fn the_account_address_wins_over_the_profile() {
        let mut setting = ReceiptSetting {
            account: 1,
            number: "1".into(),
            address: String::new(),
            allowed: true,
            electronic: true,
            email: None,
        };
        assert_eq!(
            setting.address_in_use(Some("me@example.ru")).as_deref(),
            Some("me@example.ru")
        );
        setting.email = Some("flat@example.ru".into());
        assert_eq!(
            setting.address_in_use(Some("me@example.ru")).as_deref(),
            Some("flat@example.ru")
        );
    }

    #[test]
    fn reading_reminders_follow_the_window() {
        assert_eq!(reading_reminder(day(14), WINDOW), None);
        assert_eq!(
            reading_reminder(day(15), WINDOW),
            Some(Reminder::WindowOpen)
        );
        assert_eq!(
            reading_reminder(day(22), WINDOW),
            Some(Reminder::WindowOpen)
        );
        assert_eq!(
            reading_reminder(day(23), WINDOW),
            Some(Reminder::WindowClosing)
        );
        assert_eq!(
            reading_reminder(day(25), WINDOW),
            Some(Reminder::WindowClosing)
        );
        assert_eq!(reading_reminder(day(26), WINDOW), None);
        let (_, text) = reminder_text(Reminder::WindowClosing, "100", day(23), WINDOW, Kopecks(0));
        assert!(text.contains("через 2 дня"), "{text}");
        let (_, text) = reminder_text(Reminder::WindowClosing, "100", day(25), WINDOW, Kopecks(0));
        assert!(text.contains("завершается сегодня"), "{text}");
    }

    #[test]
    fn debts_are_overdue_after_the_tenth() {
        assert_eq!(overdue_period(day(10)), None);
        assert_eq!(overdue_period(day(11)), Some(Period(202610)));
        let january = Day {
            year: 2027,
            month: 1,
            day: 20,
        };
        assert_eq!(overdue_period(january), Some(Period(202612)));
        let (title, text) = reminder_text(
            Reminder::Debt,
            "100000001",
            day(11),
            WINDOW,
            Kopecks(12_345),
        );
        assert_eq!(title, "Задолженность по лицевому счету");
        assert!(text.contains("123,45"), "{text}");
    }
}
