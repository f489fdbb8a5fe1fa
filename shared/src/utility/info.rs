//! The information sections (U-INF-1; seed 003 §2.13–2.17): «Интернет-магазин», «Опросы»,
//! «Акции», «Контакты» with «Запись на прием» and «Заказ обратного звонка», and the rules
//! their forms follow in the page and on the server.

use crate::contact::{REQUIRED_MESSAGE, check_phone};
use crate::error::{ApiError, FieldErrors};
use crate::money::Kopecks;
use crate::utility::billing::Day;
use serde::{Deserialize, Serialize};

pub const ORDER_ACCEPTED: &str =
    "Заказ принят. Специалист свяжется с вами, чтобы согласовать время.";
pub const CALLBACK_ACCEPTED: &str =
    "Заявка на обратный звонок принята. Специалист позвонит в выбранное время.";
pub const POLL_THANKS: &str = "Спасибо! Ваш ответ принят.";
pub const POLL_ALREADY_ANSWERED: &str = "Вы уже ответили на этот опрос.";
pub const BOOKED_MESSAGE: &str = "Вы записаны на прием.";
pub const SLOT_TAKEN_MESSAGE: &str = "Это время уже занято. Выберите другое.";
pub const BOOKING_CANCELLED_MESSAGE: &str = "Запись на прием отменена.";
/// How far ahead a customer may book (days).
pub const BOOKING_DAYS_AHEAD: i64 = 30;
/// How long a topic or a comment may be.
pub const MAX_SHORT_TEXT: usize = 500;
/// How long a free-text poll answer may be.
pub const MAX_POLL_TEXT: usize = 2000;

/// When a customer would like the call back.
pub const CALLBACK_TIMES: [&str; 4] = [
    "В ближайшее время",
    "С 9:00 до 12:00",
    "С 12:00 до 15:00",
    "С 15:00 до 18:00",
];

/// A product or service of the provider (meter replacement, verification, installation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopItem {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub price: Kopecks,
    /// «за 1 прибор», «за услугу».
    pub unit: String,
    pub active: bool,
}

/// A shop order's price and whether it is paid (its case's card offers [Оплатить заказ]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPayment {
    pub price: Kopecks,
    pub paid: bool,
}

/// A promotion with its dates (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub starts_on: Day,
    pub ends_on: Day,
}

impl Promotion {
    /// «с 01.11.2026 по 30.11.2026»
    pub fn dates(&self) -> String {
        format!(
            "с {} по {}",
            self.starts_on.caption(),
            self.ends_on.caption()
        )
    }

    pub fn is_current(&self, today: Day) -> bool {
        self.starts_on <= today && today <= self.ends_on
    }
}

/// An office of the provider («Контакты»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub hours: String,
    pub phone: String,
}

impl Office {
    /// A map search for the address (opens in the customer's maps; no tiles are served here).
    pub fn map_link(&self) -> String {
        format!(
            "https://yandex.ru/maps/?text={}",
            crate::contact::url_encode(&self.address)
        )
    }
}

/// A free time at an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub id: i64,
    pub office_id: i64,
    /// «10:30», the provider's time.
    pub time: String,
}

/// A customer's appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: i64,
    pub office: String,
    pub address: String,
    /// «24.11.2026 10:30»
    pub when: String,
    pub topic: String,
    pub cancelled: bool,
    /// Still ahead (may be cancelled).
    pub upcoming: bool,
    /// The customer's name and phone (for staff).
    pub customer: String,
}

/// What «Запись на прием» offers: the offices, the chosen one's free times on the chosen
/// day, and the customer's appointments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BookingSheet {
    pub offices: Vec<Office>,
    pub office: Option<i64>,
    pub day: Option<Day>,
    /// The first and the last day one may book.
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    pub slots: Vec<Slot>,
    pub bookings: Vec<Booking>,
}

/// How a poll question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    Single,
    Multiple,
    Text,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 3] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::Text,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Text => "text",
        }
    }

    pub fn from_code(code: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            QuestionKind::Single => "Один вариант",
            QuestionKind::Multiple => "Несколько вариантов",
            QuestionKind::Text => "Свободный ответ",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollOption {
    pub id: i64,
    pub text: String,
    /// How many chose it (staff's results; 0 for customers).
    pub votes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollQuestion {
    pub id: i64,
    pub text: String,
    pub kind: QuestionKind,
    pub options: Vec<PollOption>,
    /// Free-text answers (staff's results).
    pub texts: Vec<String>,
}

impl PollQuestion {
    /// The form field of the question: «q12».
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }
}

/// A poll sent to the customers; `answered` for the customer who reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub ends_on: Option<Day>,
    pub questions: Vec<PollQuestion>,
    pub answered: bool,
    /// Open for answers.
    pub open: bool,
    /// How many answered (staff's results).
    pub answers: i64,
}

/// A customer's answer to one question: the chosen options or the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollAnswer {
    pub question: i64,
    pub options: Vec<i64>,
    pub text: String,
}

/// The answers as a form sends them: «q12» → option ids or text. Every question needs an
/// answer; an option must be the question's own; a single choice is one option.
pub fn check_poll_answers(poll: &Poll, answers: &[PollAnswer]) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    for question in &poll.questions {
        let field = question.field();
        let answer = answers.iter().find(|a| a.question == question.id);
        match question.kind {
            QuestionKind::Text => {
                let text = answer.map(|a| a.text.trim()).unwrap_or("");
                if text.is_empty() {
                    errors.add(&field, REQUIRED_MESSAGE);
                } else if text.chars().count() > MAX_POLL_TEXT {
                    errors.add(&field, format!("Не больше {MAX_POLL_TEXT} знаков"));
                }
            }
            QuestionKind::Single | QuestionKind::Multiple => {
                let chosen = answer.map(|a| a.options.as_slice()).unwrap_or(&[]);
                if chosen.is_empty() {
                    errors.add(&field, "Выберите вариант ответа");
                } else if chosen
                    .iter()
                    .any(|o| !question.options.iter().any(|q| q.id == *o))
                {
                    errors.add(&field, "Выберите вариант ответа из списка");
                } else if question.kind == QuestionKind::Single && chosen.len() > 1 {
                    errors.add(&field, "Выберите один вариант ответа");
                }
            }
        }
    }
    errors.into_result()
}

/// How many questions the back-office form for a new poll offers.
pub const NEW_POLL_QUESTIONS: usize = 5;

/// The form name of a question's answer: «a[q12]» (its key in the map: «q12»).
pub fn answer_name(question: i64) -> String {
    format!("a[q{question}]")
}

/// The form name of a ticked option of a multiple choice: «a[q12_7]».
pub fn option_name(question: i64, option: i64) -> String {
    format!("a[q{question}_{option}]")
}

/// The answers from the form's map (keys «q12», «q12_7»): options as numbers, text as is.
pub fn parse_poll_form(form: &std::collections::HashMap<String, String>) -> Vec<PollAnswer> {
    let mut answers: Vec<PollAnswer> = Vec::new();
    for (key, value) in form {
        let Some(rest) = key.strip_prefix('q') else {
            continue;
        };
        let (question, ticked) = match rest.split_once('_') {
            Some((q, _)) => (q, true),
            None => (rest, false),
        };
        let Ok(question) = question.parse::<i64>() else {
            continue;
        };
        let index = match answers.iter().position(|a| a.question == question) {
            Some(i) => i,
            None => {
                answers.push(PollAnswer {
                    question,
                    options: Vec::new(),
                    text: String::new(),
                });
                answers.len() - 1
            }
        };
        let answer = &mut answers[index];
        match value.trim().parse::<i64>() {
            Ok(option) if ticked || answer.text.is_empty() => {
                if !answer.options.contains(&option) {
                    answer.options.push(option);
                }
                if !ticked {
                    answer.text = value.clone();
                }
            }
            _ if !ticked => answer.text = value.clone(),
            _ => {}
        }
    }
    for answer in &mut answers {
        answer.options.sort_unstable();
    }
    answers.sort_by_key(|a| a.question);
    answers
}

/// A required short text (a topic, a comment) of at most [`MAX_SHORT_TEXT`] characters.
pub fn check_short_text(input: &str) -> Result<(), String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(REQUIRED_MESSAGE.to_string());
    }
    if text.chars().count() > MAX_SHORT_TEXT {
        return Err(format!("Не больше {MAX_SHORT_TEXT} знаков"));
    }
    Ok(())
}

/// «Заказ обратного звонка»: the phone, a time from [`CALLBACK_TIMES`] and the topic.
pub fn check_callback(phone: &str, time: &str, topic: &str) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    errors.check("phone", check_phone(phone));
    if !CALLBACK_TIMES.contains(&time.trim()) {
        errors.add("time", "Выберите удобное время");
    }
    errors.check("topic", check_short_text(topic));
    errors.into_result()
}

/// An order from «Интернет-магазин»: the account it is for, the phone, an optional comment.
pub fn check_order(account: Option<i64>, phone: &str, comment: &str) -> Result<(), ApiError> {
    let mut errors = FieldErrors::new();
    if account.is_none() {
        errors.add("account", "Выберите лицевой счет");
    }
    errors.check("phone", check_phone(phone));
    if comment.chars().count() > MAX_SHORT_TEXT {
        errors.add("comment", format!("Не больше {MAX_SHORT_TEXT} знаков"));
    }
    errors.into_result()
}

/// Times of a day from `from` to `to` (minutes after midnight, `to` excluded) every `step`
/// minutes: the slots staff open at an office. Refused when the range or the step is odd.
pub fn slot_times(from: &str, to: &str, step: u32) -> Result<Vec<u32>, String> {
    let parse = |s: &str| -> Option<u32> {
        let (h, m) = s.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    };
    let (Some(from), Some(to)) = (parse(from), parse(to)) else {
        return Err("Укажите время в формате ЧЧ:ММ".to_string());
    };
    if !(10..=240).contains(&step) {
        return Err("Интервал — от 10 до 240 минут".to_string());
    }
    if from >= to {
        return Err("Время начала должно быть раньше времени окончания".to_string());
    }
    Ok((from..to).step_by(step as usize).collect())
}

/// «10:30» of minutes after midnight.
pub fn time_caption(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll() -> Poll {
        Poll {
            id: 1,
            title: "Качество обслуживания".into(),
            description: String::new(),
            ends_on: None,
            open: true,
            answered: false,
            answers: 0,
            questions: vec![
                PollQuestion {
                    id: 10,
                    text: "Оцените".into(),
                    kind: QuestionKind::Single,
                    options: vec![
                        PollOption {
                            id: 100,
                            text: "Хорошо".into(),
                            votes: 0,
                        },
                        PollOption {
                            id: 101,
                            text: "Плохо".into(),
                            votes: 0,
                        },
                    ],
                    texts: vec![],
                },
                PollQuestion {
                    id: 11,
                    text: "Чем пользуетесь".into(),
                    kind: QuestionKind::Multiple,
                    options: vec![
                        PollOption {
                            id: 110,
                            text: "Сайт".into(),
                            votes: 0,
                        },
                        PollOption {
                            id: 111,
                            text: "Офис".into(),
                            votes: 0,
                        },
                    ],
                    texts: vec![],
                },
                PollQuestion {
                    id: 12,
                    text: "Пожелания".into(),
                    kind: QuestionKind::Text,
                    options: vec![],
                    texts: vec![],
                },
            ],
        }
    }

    fn answer(question: i64, options: &[i64], text: &str) -> PollAnswer {
        PollAnswer {
            question,
            options: options.to_vec(),
            text: text.into(),
        }
    }

    #[test]
    fn a_complete_poll_answer_passes() {
        let answers = [
            answer(10, &[100], ""),
            answer(11, &[110, 111], ""),
            answer(12, &[], "Все хорошо"),
        ];
        assert!(check_poll_answers(&poll(), &answers).is_ok());
    }

    #[test]
    fn every_question_needs_a_fitting_answer() {
        let errors = check_poll_answers(
            &poll(),
            &[answer(10, &[100, 101], ""), answer(11, &[999], "")],
        )
        .unwrap_err();
        assert_eq!(
            errors.field_message("q10"),
            Some("Выберите один вариант ответа")
        );
        assert_eq!(
            errors.field_message("q11"),
            Some("Выберите вариант ответа из списка")
        );
        assert_eq!(errors.field_message("q12"), Some(REQUIRED_MESSAGE));
    }

    #[test]
    fn the_form_map_reads_back_as_answers() {
        let form: std::collections::HashMap<String, String> = [
            ("q10", "100"),
            ("q11_111", "111"),
            ("q11_110", "110"),
            ("q12", "Все хорошо"),
            ("junk", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let answers = parse_poll_form(&form);
        assert_eq!(answers.len(), 3);
        assert_eq!(answers[0].options, vec![100]);
        assert_eq!(answers[1].options, vec![110, 111]);
        assert_eq!(answers[2].text, "Все хорошо");
        assert!(check_poll_answers(&poll(), &answers).is_ok());
        assert_eq!(answer_name(10), "a[q10]");
        assert_eq!(option_name(11, 110), "a[q11_110]");
    }

    #[test]
    fn callback_and_order_rules() {
        assert!(check_callback("+7 900 000-00-01", CALLBACK_TIMES[1], "Перерасчет").is_ok());
        let errors = check_callback("123", "в полночь", " ").unwrap_err();
        assert!(errors.field_message("phone").is_some());
        assert_eq!(errors.field_message("time"), Some("Выберите удобное время"));
        assert_eq!(errors.field_message("topic"), Some(REQUIRED_MESSAGE));
        assert!(check_order(Some(1), "+79000000001", "").is_ok());
        let errors = check_order(None, "+79000000001", "").unwrap_err();
        assert_eq!(
            errors.field_message("account"),
            Some("Выберите лицевой счет")
        );
    }

    #[test]
    fn slots_of_a_day() {
        assert_eq!(slot_times("09:00", "10:00", 30), Ok(vec![540, 570]));
        assert_eq!(time_caption(570), "09:30");
        assert!(slot_times("10:00", "09:00", 30).is_err());
        assert!(slot_times("9", "10:00", 30).is_err());
        assert!(slot_times("09:00", "10:00", 5).is_err());
    }

    #[test]
    fn promotion_dates() {
        let p = Promotion {
            id: 1,
            title: "Поверка".into(),
            body: String::new(),
            starts_on: Day {
                year: 2026,
                month: 11,
                day: 1,
            },
            ends_on: Day {
                year: 2026,
                month: 11,
                day: 30,
            },
        };
        assert_eq!(p.dates(), "с 01.11.2026 по 30.11.2026");
        assert!(p.is_current(Day {
            year: 2026,
            month: 11,
            day: 30
        }));
        assert!(!p.is_current(Day {
            year: 2026,
            month: 12,
            day: 1
        }));
    }
}
