//! «Виртуальный ассистент» (U-APL-4): answers from the selected account's data and the FAQ
//! (the matching is `shared::utility::assistant`); when it does not understand, it says so and
//! offers an appeal instead of guessing. The case service answers, since the FAQ is the case
//! engine's.

use crate::cases::CasesService;
use crate::error::db;
use app::ports::CasesPort;
use app::utility::ports::{AccountsPort, AssistantPort};
use async_trait::async_trait;
use shared::ApiError;
use shared::utility::assistant::{Answer, Intent, asks_all_accounts, faq_score, intent};

impl CasesService {
    pub(crate) async fn answer(
        &self,
        session: &str,
        account: Option<i64>,
        question: &str,
    ) -> Result<Answer, ApiError> {
        let question = question.trim();
        if question.is_empty() {
            return Err(ApiError::field("question", shared::cases::REQUIRED));
        }
        if question.chars().count() > 500 {
            return Err(ApiError::field("question", "Не больше 500 знаков"));
        }
        let person = self.identity.session_person(session).await?;
        let accounts = self.accounts.accounts_of(person).await?;
        let chosen = account
            .and_then(|id| accounts.iter().find(|a| a.id == id))
            .or(accounts.first());
        let reply = |text: String, links: Vec<(&str, String)>| Answer {
            question: question.to_string(),
            text,
            links: links.into_iter().map(|(c, h)| (c.to_string(), h)).collect(),
            understood: true,
        };
        if let Some(found) = intent(question) {
            if chosen.is_none() {
                return Ok(reply(
                    "К личному кабинету не привязан ни один лицевой счет. Добавьте лицевой счет, и я расскажу о начислениях, оплатах и показаниях.".into(),
                    vec![("Добавить лицевой счет", "/accounts/add".into())],
                ));
            }
            // «по всем лицевым счетам»: one sentence per account, each with its link.
            let asked: Vec<_> = if asks_all_accounts(question) && accounts.len() > 1 {
                accounts.iter().collect()
            } else {
                chosen.into_iter().collect()
            };
            let mut texts = Vec::new();
            let mut links = Vec::new();
            for row in &asked {
                let (text, caption, href) =
                    self.answer_for(session, found, row.id, &row.number).await?;
                texts.push(text);
                let caption = if asked.len() > 1 {
                    format!("{caption} (№ {})", row.number)
                } else {
                    caption.to_string()
                };
                links.push((caption, href));
            }
            return Ok(Answer {
                question: question.to_string(),
                text: texts.join(" "),
                links,
                understood: true,
            });
        }
        let faq = self.faq().await?;
        let best = faq
            .iter()
            .map(|e| (faq_score(question, &e.question, &e.answer), e))
            .filter(|(score, _)| *score >= 2)
            .max_by_key(|(score, _)| *score);
        Ok(match best {
            Some((_, entry)) => reply(
                format!("{} {}", entry.question, entry.answer),
                vec![("Вопросы и ответы", "/faq".into())],
            ),
            None => Answer {
                question: question.to_string(),
                text: "Я не нашел ответа на этот вопрос. Напишите обращение: специалист ответит в личном кабинете.".into(),
                links: vec![("Написать новое обращение".into(), "/appeals/new".into())],
                understood: false,
            },
        })
    }

    /// The answer about one account to a question of `intent`: the text and one link.
    async fn answer_for(
        &self,
        session: &str,
        intent: Intent,
        id: i64,
        number: &str,
    ) -> Result<(String, &'static str, String), ApiError> {
        Ok(match intent {
            Intent::Balance => {
                let o = self.accounts.overview(session, id).await?;
                let text = match o.owed.0 {
                    0 => format!("По лицевому счету № {number} задолженности нет."),
                    n if n > 0 => format!(
                        "По лицевому счету № {number} к оплате {} руб.",
                        o.owed.format_number()
                    ),
                    _ => format!(
                        "По лицевому счету № {number} переплата {} руб.: она будет учтена в следующих начислениях.",
                        shared::Kopecks(-o.owed.0).format_number()
                    ),
                };
                (text, "Оплатить", format!("/accounts/{id}/pay"))
            }
            Intent::LastPayment => {
                let last: Option<(String, i64)> = sqlx::query_as(concat!(
                    "SELECT paid_on, ",
                    total!("amount"),
                    " FROM payments WHERE account_id = $1 GROUP BY paid_on, reference \
                         ORDER BY paid_on DESC LIMIT 1"
                ))
                .bind(id)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
                let text = match last {
                    Some((day, amount)) => format!(
                        "Последний платеж по лицевому счету № {number}: {} руб., {}.",
                        shared::Kopecks(amount).format_number(),
                        shared::utility::billing::Day::parse(&day)
                            .map_or(day.clone(), |d| d.caption())
                    ),
                    None => format!("По лицевому счету № {number} платежей не найдено."),
                };
                (
                    text,
                    "История оплат",
                    format!("/accounts/{id}/billing?tab=payments"),
                )
            }
            Intent::ReadingWindow => {
                let o = self.accounts.overview(session, id).await?;
                (
                    format!(
                        "Показания по лицевому счету № {number} принимаются с {} по {} число каждого месяца. {}.",
                        o.window.from_day,
                        o.window.to_day,
                        o.window_status.caption()
                    ),
                    "Передать показания",
                    format!("/accounts/{id}/meters"),
                )
            }
            Intent::Tariff => {
                let history = self.accounts.tariffs(session, id, None, None).await?;
                let mut seen = Vec::new();
                let mut lines = Vec::new();
                for t in &history.tariffs {
                    let key = (t.service.clone(), t.zone);
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    let zone = if t.zone == shared::utility::billing::Zone::Single {
                        String::new()
                    } else {
                        format!(" ({})", t.zone.caption())
                    };
                    lines.push(format!(
                        "{}{zone}: {} руб. за {}",
                        t.service,
                        t.price.format_number(),
                        t.unit
                    ));
                }
                let text = if lines.is_empty() {
                    format!("По лицевому счету № {number} тарифов за последний год нет.")
                } else {
                    format!(
                        "Действующие тарифы по лицевому счету № {number}: {}.",
                        lines.join("; ")
                    )
                };
                (
                    text,
                    "История тарифов",
                    format!("/accounts/{id}/details#tariffs-title"),
                )
            }
        })
    }
}

#[async_trait]
impl AssistantPort for CasesService {
    async fn ask(
        &self,
        session: &str,
        account: Option<i64>,
        question: &str,
    ) -> Result<Answer, ApiError> {
        self.answer(session, account, question).await
    }
}
