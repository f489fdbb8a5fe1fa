//! «Виртуальный ассистент» (U-APL-4): understands a customer's question in Russian well enough
//! to answer from the account's own data (balance, last payment, reading window, tariffs) or
//! from the provider's FAQ, without any outside service. The matching is by word stems: a
//! question is a bag of stems, each topic a list of stems that point to it.

use serde::{Deserialize, Serialize};

/// What the customer asks about, when the account's data can answer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intent {
    Balance,
    LastPayment,
    ReadingWindow,
    Tariff,
}

const INTENTS: [(Intent, &[&str]); 4] = [
    (
        Intent::LastPayment,
        &[
            "последн плат",
            "последн оплат",
            "когда плат",
            "когда оплат",
            "поступ",
            "зачисл",
            "дошел",
            "дошла",
        ],
    ),
    (
        Intent::ReadingWindow,
        &[
            "показан",
            "счетчик",
            "прибор",
            "передат",
            "переда",
            "период",
            "когда можно",
        ],
    ),
    (Intent::Tariff, &["тариф", "цена", "стоимост", "расценк"]),
    (
        Intent::Balance,
        &[
            "долг",
            "задолж",
            "баланс",
            "сколько",
            "должен",
            "должна",
            "переплат",
            "аванс",
            "оплатить",
            "к оплате",
            "сумм",
        ],
    ),
];

/// Lower case, «ё» as «е», letters and digits only, single spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Whether a question asks about every account («по всем лицевым счетам», «по всем счетам»,
/// «все мои счета»), not only the selected one.
pub fn asks_all_accounts(question: &str) -> bool {
    let text = normalize(question);
    let words: Vec<&str> = text.split(' ').collect();
    let all = words
        .iter()
        .any(|w| matches!(*w, "все" | "всем" | "всех" | "каждому" | "каждый"));
    all && words
        .iter()
        .any(|w| w.starts_with("счет") || w.starts_with("лицев"))
}

/// The topic of a question the account's data can answer, if any. Phrases count before
/// single words, so «когда прошел последний платеж» is about the payment, not the balance.
pub fn intent(question: &str) -> Option<Intent> {
    let text = normalize(question);
    let words: Vec<&str> = text.split(' ').collect();
    // A pattern matches when each of its stems begins a word of the question.
    let matches = |pattern: &str| {
        pattern
            .split(' ')
            .all(|stem| words.iter().any(|w| w.starts_with(stem)))
    };
    INTENTS
        .iter()
        .map(|(intent, patterns)| {
            let score: usize = patterns
                .iter()
                .filter(|p| matches(p))
                .map(|p| if p.contains(' ') { 3 } else { 1 })
                .sum();
            (*intent, score)
        })
        .filter(|(_, score)| *score > 0)
        .max_by_key(|(_, score)| *score)
        .map(|(intent, _)| intent)
}

const STOP: [&str; 20] = [
    "как",
    "что",
    "где",
    "когда",
    "почему",
    "зачем",
    "мне",
    "мой",
    "моя",
    "мои",
    "это",
    "для",
    "или",
    "если",
    "можно",
    "нужно",
    "ли",
    "не",
    "на",
    "по",
];

/// The stems of a text's meaningful words (the first five letters of each word of three or
/// more letters): enough to match «показания» with «показаний».
pub fn stems(text: &str) -> Vec<String> {
    let mut stems: Vec<String> = normalize(text)
        .split(' ')
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(w))
        .map(|w| w.chars().take(5).collect())
        .collect();
    stems.sort();
    stems.dedup();
    stems
}

/// How well a FAQ entry matches a question: shared stems, the question's counting double.
pub fn faq_score(question: &str, entry_question: &str, entry_answer: &str) -> usize {
    let asked = stems(question);
    let q = stems(entry_question);
    let a = stems(entry_answer);
    asked
        .iter()
        .map(|s| 2 * usize::from(q.contains(s)) + usize::from(a.contains(s)))
        .sum()
}

/// The assistant's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question: String,
    pub text: String,
    /// Where to go next: caption and address.
    pub links: Vec<(String, String)>,
    /// Whether the assistant understood the question (else it offers an appeal).
    pub understood: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_accounts_are_asked_for_in_so_many_words() {
        assert!(asks_all_accounts(
            "Сколько я должен по всем лицевым счетам?"
        ));
        assert!(asks_all_accounts("долг по всем счетам"));
        assert!(asks_all_accounts(
            "Все мои счета: когда передавать показания?"
        ));
        assert!(!asks_all_accounts("Сколько я должен?"));
        assert!(!asks_all_accounts("Все ли показания приняты?"));
    }

    #[test]
    fn u_apl_4_questions_find_their_topic() {
        assert_eq!(intent("Сколько я должен?"), Some(Intent::Balance));
        assert_eq!(intent("Какая у меня задолженность"), Some(Intent::Balance));
        assert_eq!(
            intent("Когда прошел мой последний платеж?"),
            Some(Intent::LastPayment)
        );
        assert_eq!(
            intent("Когда передавать показания счетчика"),
            Some(Intent::ReadingWindow)
        );
        assert_eq!(
            intent("Какой тариф на электроэнергию"),
            Some(Intent::Tariff)
        );
        assert_eq!(intent("Здравствуйте"), None);
    }

    #[test]
    fn faq_matches_word_forms() {
        let q = "Как получать квитанции на почту";
        let good = faq_score(
            q,
            "Как получать квитанцию по электронной почте?",
            "Подтвердите адрес",
        );
        let bad = faq_score(
            q,
            "Почему показания не приняты?",
            "Показания не принимаются",
        );
        assert!(good > bad, "{good} vs {bad}");
    }
}
