//! Cases (P-2): every request a customer sends — an appeal, an application, a document, a
//! notice about a meter — is a case of a kind, with fields, messages, files and a history, moved
//! through the statuses of its kind's workflow by staff. The rules a customer or an operator can
//! break live here once: the form checks (U-APL-2, U-DOC-3), the attachment limits (U-APL-3),
//! the 18 application topics with their own fields (U-DOC-2) and who may do what from which
//! status.

use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The message of an empty required field (U-APL-2, U-DOC-3).
pub use crate::contact::REQUIRED_MESSAGE as REQUIRED;
/// What a customer reads once a case is sent (U-DOC-3).
pub const ACCEPTED: &str = "Ваше обращение принято в работу.";
/// The most a file may weigh (U-APL-3).
pub const MAX_FILE_BYTES: u64 = 7 * 1024 * 1024;
/// The most all files of one submission may weigh together (U-APL-3).
pub const MAX_TOTAL_BYTES: u64 = 100 * 1024 * 1024;
/// The most files one submission may carry.
pub const MAX_FILES: usize = 20;
/// The longest text a message may have.
pub const MAX_TEXT: usize = 5000;
/// What the file inputs accept (the server sniffs the content; this only guides the picker).
pub const ACCEPT_FILES: &str =
    ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xls,.xlsx,.txt,application/pdf,image/*,text/plain";
/// How the allowed files are named to the customer.
pub const FILE_TYPES_HINT: &str =
    "PDF, JPEG, PNG, TIFF, DOC, DOCX, XLS, XLSX или TXT; до 7 МБ каждый, до 100 МБ всего";

/// The form field names, shared by the pages, the server functions and the tests.
pub mod field {
    pub const FULL_NAME: &str = "full_name";
    pub const ACCOUNT: &str = "account";
    pub const SUPPLIER: &str = "supplier";
    pub const TOPIC: &str = "topic";
    pub const TEXT: &str = "text";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const FILES: &str = "files";
    pub const CONSENT: &str = "consent";
    pub const KEY: &str = "key";
    pub const DOC_TYPE: &str = "doc_type";
    pub const RATING: &str = "rating";
    pub const COMMENT: &str = "comment";
}

/// What a case is; each kind has its workflow and its captions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseKind {
    /// «Обращение» (U-APL-2).
    Appeal,
    /// «Заявление» on one of the topics of U-DOC-2.
    Application,
    /// A document the customer sends (U-DOC-1).
    Document,
    /// [Редактировать] on the account's data (U-DET-2).
    DetailsChange,
    /// [Уведомить о неисправности] (U-DET-3).
    MeterFault,
    /// How receipts go once the cabinet is deleted (U-PRF-9).
    ReceiptDelivery,
    /// «Заказ обратного звонка» (U-INF-1).
    Callback,
    /// A conversation with the web consultant (U-INF-1).
    Consultation,
    /// An order from «Интернет-магазин» (U-INF-1).
    Order,
}

impl CaseKind {
    pub const ALL: [CaseKind; 9] = [
        CaseKind::Appeal,
        CaseKind::Application,
        CaseKind::Document,
        CaseKind::DetailsChange,
        CaseKind::MeterFault,
        CaseKind::ReceiptDelivery,
        CaseKind::Callback,
        CaseKind::Consultation,
        CaseKind::Order,
    ];

    /// How the database stores it.
    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Appeal => "appeal",
            CaseKind::Application => "application",
            CaseKind::Document => "document",
            CaseKind::DetailsChange => "details_change",
            CaseKind::MeterFault => "meter_fault",
            CaseKind::ReceiptDelivery => "receipt_delivery",
            CaseKind::Callback => "callback",
            CaseKind::Consultation => "consultation",
            CaseKind::Order => "order",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            CaseKind::Appeal => "Обращение",
            CaseKind::Application => "Заявление",
            CaseKind::Document => "Документ",
            CaseKind::DetailsChange => "Изменение данных лицевого счета",
            CaseKind::MeterFault => "Неисправность прибора учета",
            CaseKind::ReceiptDelivery => "Способ получения квитанции",
            CaseKind::Callback => "Обратный звонок",
            CaseKind::Consultation => "Web-консультант",
            CaseKind::Order => "Заказ в интернет-магазине",
        }
    }

    /// The transitions staff may make on a case of this kind.
    pub fn workflow(self) -> &'static [Transition] {
        match self {
            CaseKind::Document => &DOCUMENT_WORKFLOW,
            _ => &STANDARD_WORKFLOW,
        }
    }

    /// The caption of a status for this kind (a document is «Принят», not «Закрыто»).
    pub fn status_caption(self, status: Status) -> &'static str {
        match (self, status) {
            (CaseKind::Document, Status::Closed) => "Принят",
            (CaseKind::Document, Status::New) => "На проверке",
            _ => status.caption(),
        }
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    New,
    InProgress,
    InfoRequested,
    Closed,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::InProgress,
        Status::InfoRequested,
        Status::Closed,
        Status::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::InfoRequested => "info_requested",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            Status::New => "Зарегистрировано",
            Status::InProgress => "В работе",
            Status::InfoRequested => "Запрошена информация",
            Status::Closed => "Закрыто",
            Status::Rejected => "Отклонено",
        }
    }

    /// Whether the case is over (nothing more can be added by the customer).
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected)
    }
}

/// A staff member's role; each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Operator,
    Supervisor,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Operator, Role::Supervisor, Role::Administrator];

    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn caption(self) -> &'static str {
        match self {
            Role::Operator => "Оператор",
            Role::Supervisor => "Старший специалист",
            Role::Administrator => "Администратор",
        }
    }
}

/// What staff do to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Takes the case: «В работе».
    Take,
    /// Answers the customer (a message and files); the case stays in work.
    Reply,
    /// Asks the customer for more (a message); the customer's answer brings it back to work.
    RequestInfo,
    /// Closes the case (with the final answer, if any).
    Close,
    /// Refuses the case; the comment is mandatory.
    Reject,
    /// Opens a closed or rejected case again.
    Reopen,
    /// Accepts a document the customer sent.
    Accept,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Take,
        Action::Reply,
        Action::RequestInfo,
        Action::Close,
        Action::Reject,
        Action::Reopen,
        Action::Accept,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Take => "take",
            Action::Reply => "reply",
            Action::RequestInfo => "request_info",
            Action::Close => "close",
            Action::Reject => "reject",
            Action::Reopen => "reopen",
            Action::Accept => "accept",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The button's caption in the back-office.
    pub fn caption(self) -> &'static str {
        match self {
            Action::Take => "Взять в работу",
            Action::Reply => "Ответить",
            Action::RequestInfo => "Запросить информацию",
            Action::Close => "Закрыть",
            Action::Reject => "Отклонить",
            Action::Reopen => "Вернуть в работу",
            Action::Accept => "Принять документ",
        }
    }
}

/// One allowed move of a workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub action: Action,
    pub from: &'static [Status],
    pub to: Status,
    /// The least role that may make it.
    pub role: Role,
    /// Whether a comment (the message to the customer) must be given.
    pub comment_required: bool,
}

const STANDARD_WORKFLOW: [Transition; 6] = [
    Transition {
        action: Action::Take,
        from: &[Status::New],
        to: Status::InProgress,
        role: Role::Operator,
        comment_required: false,
    },
    Transition {
        action: Action::Reply,
        from: &[Status::InProgress],
        to: Status::InProgress,
        role: Role::Operator,
        comment_required: true,
    },
    Transition {
        action: Action::RequestInfo,
        from: &[Status::InProgress],
        to: Status::InfoRequested,
        role: Role::Operator,
        comment_required: true,
    },
    Transition {
        action: Action::Close,
        from: &[Status::InProgress, Status::InfoRequested],
        to: Status::Closed,
        role: Role::Operator,
        comment_required: false,
    },
    Transition {
        action: Action::Reject,
        from: &[Status::New, Status::InProgress, Status::InfoRequested],
        to: Status::Rejected,
        role: Role::Operator,
        comment_required: true,
    },
    Transition {
        action: Action::Reopen,
        from: &[Status::Closed, Status::Rejected],
        to: Status::InProgress,
        role: Role::Supervisor,
        comment_required: true,
    },
];

const DOCUMENT_WORKFLOW: [Transition; 3] = [
    Transition {
        action: Action::Accept,
        from: &[Status::New],
        to: Status::Closed,
        role: Role::Operator,
        comment_required: false,
    },
    Transition {
        action: Action::Reject,
        from: &[Status::New],
        to: Status::Rejected,
        role: Role::Operator,
        comment_required: true,
    },
    Transition {
        action: Action::Reopen,
        from: &[Status::Closed, Status::Rejected],
        to: Status::New,
        role: Role::Supervisor,
        comment_required: true,
    },
];

/// Why staff cannot make a move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Это действие недоступно для обращений такого вида.")]
    NotInWorkflow,
    #[error("Действие недоступно в статусе «{0}».")]
    WrongStatus(&'static str),
    #[error("Недостаточно прав: действие доступно роли «{0}» и выше.")]
    Role(&'static str),
    #[error("Укажите комментарий: он будет отправлен заявителю.")]
    CommentRequired,
}

/// Checks a move: the status it leads to, or why it is refused.
pub fn transition(
    kind: CaseKind,
    status: Status,
    action: Action,
    role: Role,
    comment: &str,
) -> Result<Status, TransitionError> {
    let t = kind
        .workflow()
        .iter()
        .find(|t| t.action == action)
        .ok_or(TransitionError::NotInWorkflow)?;
    if !t.from.contains(&status) {
        return Err(TransitionError::WrongStatus(kind.status_caption(status)));
    }
    if role < t.role {
        return Err(TransitionError::Role(t.role.caption()));
    }
    if t.comment_required && comment.trim().is_empty() {
        return Err(TransitionError::CommentRequired);
    }
    Ok(t.to)
}

/// The moves a role may make on a case in a status (the back-office shows these buttons).
pub fn available_actions(kind: CaseKind, status: Status, role: Role) -> Vec<Transition> {
    kind.workflow()
        .iter()
        .filter(|t| t.from.contains(&status) && role >= t.role)
        .copied()
        .collect()
}

/// Whether the customer may still add a message or files.
pub fn customer_may_write(status: Status) -> bool {
    !status.is_final()
}

/// The status a customer's message leads to: an answer to a request brings the case back.
pub fn after_customer_message(status: Status) -> Status {
    match status {
        Status::InfoRequested => Status::InProgress,
        other => other,
    }
}

/// Checks the customer's rating of a closed case: 1 to 5.
pub fn check_rating(status: Status, already_rated: bool, value: &str) -> Result<u8, String> {
    if status != Status::Closed {
        return Err("Оценить можно только закрытое обращение.".into());
    }
    if already_rated {
        return Err("Вы уже оценили ответ на это обращение.".into());
    }
    match value.trim().parse::<u8>() {
        Ok(v @ 1..=5) => Ok(v),
        _ => Err("Выберите оценку от 1 до 5".into()),
    }
}

/// A file the customer picked: its name and size (the browser knows both before upload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickedFile {
    pub name: String,
    pub size: u64,
}

/// «12,5 МБ», «300 КБ»
pub fn size_caption(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        format!("{},{} МБ", tenths / 10, tenths % 10)
    } else {
        format!("{} КБ", bytes.div_ceil(1024).max(1))
    }
}

/// The attachment rule (U-APL-3): at most 7 MB a file and 100 MB in all.
pub fn check_attachments(files: &[PickedFile]) -> Result<(), String> {
    if files.len() > MAX_FILES {
        return Err(format!("Можно приложить не больше {MAX_FILES} файлов"));
    }
    if let Some(big) = files.iter().find(|f| f.size > MAX_FILE_BYTES) {
        return Err(format!(
            "Файл «{}» ({}) больше 7 МБ: приложите файл не больше 7 МБ",
            big.name,
            size_caption(big.size)
        ));
    }
    if let Some(empty) = files.iter().find(|f| f.size == 0) {
        return Err(format!("Файл «{}» пустой", empty.name));
    }
    let total: u64 = files.iter().map(|f| f.size).sum();
    if total > MAX_TOTAL_BYTES {
        return Err(format!(
            "Файлы весят {} вместе: допускается не больше 100 МБ",
            size_caption(total)
        ));
    }
    Ok(())
}

/// A message to an open case: a text or at least one file, within the limits.
pub fn check_message(text: &str, files: &[PickedFile]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if text.trim().is_empty() && files.is_empty() {
        errors.add(field::TEXT, REQUIRED);
    }
    if text.chars().count() > MAX_TEXT {
        errors.add(field::TEXT, format!("Не больше {MAX_TEXT} знаков"));
    }
    if let Err(message) = check_attachments(files) {
        errors.add(field::FILES, message);
    }
    errors
}

/// The file types a case accepts, recognised from the content by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    Doc,
    Docx,
    Xls,
    Xlsx,
    Text,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Tiff => "image/tiff",
            FileType::Doc => "application/msword",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xls => "application/vnd.ms-excel",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn from_mime(mime: &str) -> Option<FileType> {
        [
            FileType::Pdf,
            FileType::Jpeg,
            FileType::Png,
            FileType::Tiff,
            FileType::Doc,
            FileType::Docx,
            FileType::Xls,
            FileType::Xlsx,
            FileType::Text,
        ]
        .into_iter()
        .find(|t| t.mime() == mime)
    }
}

/// The message of a file whose content is none of the allowed types.
pub fn unsupported_file(name: &str) -> String {
    format!("Файл «{name}» не подходит: допускаются {FILE_TYPES_HINT}")
}

/// A kind of document the customer sends (U-DOC-1).
pub const DOCUMENT_TYPES: [&str; 8] = [
    "Договор энергоснабжения",
    "Соглашение о реструктуризации задолженности",
    "Исковое заявление / заявление на выдачу судебного приказа",
    "Судебное решение",
    "Судебный приказ",
    "Исполнительный лист",
    "Документ, подтверждающий право собственности",
    "Прочие документы",
];

/// What a topic-specific field holds; each kind has its own check and its own control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Date,
    /// «2026-10»: a billing month.
    Month,
    /// Rubles and kopecks, more than zero.
    Money,
    /// A whole number within a range.
    Count {
        min: u32,
        max: u32,
    },
    /// БИК of a Russian bank.
    Bic,
    /// A settlement account, checked against the БИК in the field `bic`.
    BankAccount,
    /// One of the options.
    Choice(&'static [&'static str]),
}

/// A field of an application topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicField {
    pub name: &'static str,
    pub caption: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

const fn f(name: &'static str, caption: &'static str, kind: FieldKind) -> TopicField {
    TopicField {
        name,
        caption,
        kind,
        required: true,
    }
}

const fn optional(name: &'static str, caption: &'static str, kind: FieldKind) -> TopicField {
    TopicField {
        name,
        caption,
        kind,
        required: false,
    }
}

/// One of the application topics of U-DOC-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    pub code: &'static str,
    pub title: &'static str,
    pub fields: &'static [TopicField],
    /// Whether «Текст заявления» must be filled.
    pub text_required: bool,
    /// Whether a supporting document must be attached.
    pub file_required: bool,
    /// Whether a date range «с … по …» (fields `date_from`, `date_to`) must be ordered.
    pub date_range: bool,
}

const PERIOD: [TopicField; 2] = [
    f("date_from", "Период с", FieldKind::Date),
    f("date_to", "Период по", FieldKind::Date),
];
const METER_VISIT: [TopicField; 2] = [
    f("meter", "Номер прибора учета", FieldKind::Text),
    f("visit_date", "Желаемая дата посещения", FieldKind::Date),
];
const INSTALMENT: [TopicField; 1] = [f(
    "months",
    "Срок рассрочки, мес.",
    FieldKind::Count { min: 2, max: 24 },
)];
const ZONES: &[&str] = &[
    "Одноставочный",
    "Двухзонный (день/ночь)",
    "Трехзонный (пик/полупик/ночь)",
];

/// The application topics of U-DOC-2, in the manual's order.
pub const TOPICS: [Topic; 18] = [
    Topic {
        code: "reconciliation",
        title: "Заказать акт сверки",
        fields: &PERIOD,
        text_required: false,
        file_required: false,
        date_range: true,
    },
    Topic {
        code: "no_debt_certificate",
        title: "Заказать справку об отсутствии задолженности",
        fields: &[f("as_of", "Справка на дату", FieldKind::Date)],
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "debt_agreement",
        title: "Заключить соглашение о реструктуризации задолженности",
        fields: &INSTALMENT,
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "open_account",
        title: "Заявление на открытие лицевого счета",
        fields: &[
            f("address", "Адрес помещения", FieldKind::Text),
            f(
                "basis",
                "Основание владения или пользования",
                FieldKind::Text,
            ),
        ],
        text_required: false,
        file_required: true,
        date_range: false,
    },
    Topic {
        code: "close_account",
        title: "Заявление на закрытие лицевого счета",
        fields: &[
            f("close_date", "Дата закрытия", FieldKind::Date),
            f("reason", "Причина закрытия", FieldKind::Text),
        ],
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "change_owner",
        title: "Заявление на смену собственника по лицевому счету (перерегистрация лицевого счета)",
        fields: &[
            f("new_owner", "ФИО нового собственника", FieldKind::Text),
            f(
                "ownership_date",
                "Дата перехода права собственности",
                FieldKind::Date,
            ),
        ],
        text_required: false,
        file_required: true,
        date_range: false,
    },
    Topic {
        code: "change_details",
        title: "Заявление на изменение данных по лицевому счету",
        fields: &[],
        text_required: true,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "free_form",
        title: "Заявление свободной формы",
        fields: &[],
        text_required: true,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "meter_sealing",
        title: "Заявление на опломбировку прибора учета",
        fields: &METER_VISIT,
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "control_reading",
        title: "Заявление на контрольное снятие показаний прибора учета",
        fields: &METER_VISIT,
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "meter_check",
        title: "Заявление на проверку исправности прибора учета",
        fields: &METER_VISIT,
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "charges_correction",
        title: "Заявление на корректировку начислений по показаниям прибора учета",
        fields: &[
            f("period", "Расчетный период", FieldKind::Month),
            f("meter", "Номер прибора учета", FieldKind::Text),
            f(
                "reading",
                "Верные показания",
                FieldKind::Count {
                    min: 0,
                    max: 999_999_999,
                },
            ),
        ],
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "refund",
        title: "Заявление на возврат денежных средств",
        fields: &[
            f("amount", "Сумма к возврату, руб.", FieldKind::Money),
            f("recipient", "Получатель (ФИО)", FieldKind::Text),
            f("bic", "БИК банка", FieldKind::Bic),
            f(
                "bank_account",
                "Номер счета получателя",
                FieldKind::BankAccount,
            ),
        ],
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "payment_redirect",
        title: "Заявление на переадресовку оплаты",
        fields: &[
            f("payment_date", "Дата платежа", FieldKind::Date),
            f("amount", "Сумма платежа, руб.", FieldKind::Money),
            f(
                "target_account",
                "Лицевой счет, на который перенести оплату",
                FieldKind::Text,
            ),
        ],
        text_required: false,
        file_required: true,
        date_range: false,
    },
    Topic {
        code: "receivables_restructuring",
        title: "Заявление на реструктуризацию дебиторской задолженности",
        fields: &INSTALMENT,
        text_required: true,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "absence_recalculation",
        title: "Заявление на перерасчет по причине временного отсутствия",
        fields: &[
            f("date_from", "Дата начала отсутствия", FieldKind::Date),
            f("date_to", "Дата окончания отсутствия", FieldKind::Date),
            optional(
                "residents_absent",
                "Сколько человек отсутствовало",
                FieldKind::Count { min: 1, max: 50 },
            ),
        ],
        text_required: false,
        file_required: true,
        date_range: true,
    },
    Topic {
        code: "tariff_zones",
        title: "Заявление на смену тарифа (зоны суток)",
        fields: &[f("zones", "Новый тариф", FieldKind::Choice(ZONES))],
        text_required: false,
        file_required: false,
        date_range: false,
    },
    Topic {
        code: "reduced_coefficient",
        title: "Заявление на смену тарифа (применение в расчетах понижающего коэффициента)",
        fields: &[f(
            "basis",
            "Основание для понижающего коэффициента",
            FieldKind::Text,
        )],
        text_required: false,
        file_required: true,
        date_range: false,
    },
];

pub fn topic(code: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.code == code)
}

/// The message of a supporting document that must be attached.
pub const FILE_REQUIRED: &str = "Приложите подтверждающий документ";

/// Checks one topic field's value; `values` gives the others (the account needs the БИК).
pub fn check_topic_field(
    field: &TopicField,
    value: &str,
    values: &BTreeMap<String, String>,
) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return if field.required {
            Err(REQUIRED.into())
        } else {
            Ok(())
        };
    }
    match field.kind {
        FieldKind::Text => (value.chars().count() <= 500)
            .then_some(())
            .ok_or_else(|| "Не больше 500 знаков".to_string()),
        FieldKind::Date => crate::utility::billing::Day::parse(value)
            .map(|_| ())
            .ok_or_else(|| "Укажите дату в формате ДД.ММ.ГГГГ".to_string()),
        FieldKind::Month => crate::utility::billing::Period::parse(value)
            .map(|_| ())
            .ok_or_else(|| "Укажите месяц и год".to_string()),
        FieldKind::Money => match crate::money::Kopecks::parse(value) {
            Ok(k) if k.0 > 0 => Ok(()),
            Ok(_) => Err("Сумма должна быть больше нуля".into()),
            Err(e) => Err(e.to_string()),
        },
        FieldKind::Count { min, max } => match value.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(format!("Укажите целое число от {min} до {max}")),
        },
        FieldKind::Bic => crate::requisites::Bic::parse(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        FieldKind::BankAccount => {
            let bic = values.get("bic").map(String::as_str).unwrap_or("");
            match crate::requisites::Bic::parse(bic.trim()) {
                Ok(bic) => crate::requisites::SettlementAccount::parse(value, &bic)
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(_) => Err("Сначала укажите верный БИК банка".into()),
            }
        }
        FieldKind::Choice(options) => options
            .contains(&value)
            .then_some(())
            .ok_or_else(|| "Выберите значение из списка".to_string()),
    }
}

/// What the customer fills on «Написать новое обращение» and «Подать заявление».
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseForm {
    pub kind: Option<CaseKind>,
    pub full_name: String,
    pub account: String,
    pub supplier: String,
    /// The appeal's topic (a title from the provider's list), the application's topic code,
    /// or the document's type.
    pub topic: String,
    pub text: String,
    pub phone: String,
    pub email: String,
    pub consent: bool,
    /// The topic's own fields.
    pub fields: BTreeMap<String, String>,
    pub files: Vec<PickedFile>,
}

/// Checks a whole case form; every problem is reported next to its field. `topics` is the
/// provider's list of appeal topics (for appeals).
pub fn check_case_form(form: &CaseForm, appeal_topics: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let kind = form.kind.unwrap_or(CaseKind::Appeal);
    if kind != CaseKind::Document {
        if errors.require(field::FULL_NAME, &form.full_name)
            && form.full_name.trim().chars().count() > 200
        {
            errors.add(field::FULL_NAME, "Не больше 200 знаков");
        }
        if errors.require(field::PHONE, &form.phone)
            && let Err(e) = crate::contact::Phone::parse(&form.phone)
        {
            errors.add(field::PHONE, e.to_string());
        }
        if !form.email.trim().is_empty()
            && let Err(e) = crate::contact::Email::parse(&form.email)
        {
            errors.add(field::EMAIL, e.to_string());
        }
    }
    errors.require(field::ACCOUNT, &form.account);
    match kind {
        CaseKind::Appeal => {
            if errors.require(field::TOPIC, &form.topic)
                && !appeal_topics.iter().any(|t| t == form.topic.trim())
            {
                errors.add(field::TOPIC, "Выберите тему из списка");
            }
            errors.require(field::TEXT, &form.text);
        }
        CaseKind::Application => match topic(form.topic.trim()) {
            None => errors.add(field::TOPIC, "Выберите тему заявления"),
            Some(t) => {
                for tf in t.fields {
                    let value = form.fields.get(tf.name).map(String::as_str).unwrap_or("");
                    if let Err(message) = check_topic_field(tf, value, &form.fields) {
                        errors.add(tf.name, message);
                    }
                }
                if t.date_range
                    && let (Some(a), Some(b)) = (
                        form.fields
                            .get("date_from")
                            .and_then(|v| crate::utility::billing::Day::parse(v)),
                        form.fields
                            .get("date_to")
                            .and_then(|v| crate::utility::billing::Day::parse(v)),
                    )
                    && a.iso() > b.iso()
                {
                    errors.add("date_to", "Дата окончания раньше даты начала");
                }
                if t.text_required {
                    errors.require(field::TEXT, &form.text);
                }
                if t.file_required && form.files.is_empty() {
                    errors.add(field::FILES, FILE_REQUIRED);
                }
            }
        },
        CaseKind::Document => {
            if errors.require(field::DOC_TYPE, &form.topic)
                && !DOCUMENT_TYPES.contains(&form.topic.trim())
            {
                errors.add(field::DOC_TYPE, "Выберите тип документа из списка");
            }
            if form.files.is_empty() {
                errors.add(field::FILES, "Выберите файл документа");
            }
        }
        CaseKind::DetailsChange
        | CaseKind::MeterFault
        | CaseKind::ReceiptDelivery
        | CaseKind::Callback
        | CaseKind::Consultation
        | CaseKind::Order => {
            errors.require(field::TEXT, &form.text);
        }
    }
    if form.text.chars().count() > MAX_TEXT {
        errors.add(field::TEXT, format!("Не больше {MAX_TEXT} знаков"));
    }
    if kind == CaseKind::Application && !form.consent {
        errors.add(
            field::CONSENT,
            "Подтвердите согласие с «Политикой обработки персональных данных»",
        );
    }
    if let Err(message) = check_attachments(&form.files) {
        errors.add(field::FILES, message);
    }
    errors
}

/// A message (or a note of the history) as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    /// «Вы», «Специалист: Петрова А.», …
    pub author: String,
    pub from_staff: bool,
    pub body: String,
    /// «22.11.2026 14:05» (Moscow time)
    pub at: String,
    pub files: Vec<CaseFile>,
}

/// A stored file of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub id: i64,
    pub name: String,
    pub size: u64,
    pub from_staff: bool,
}

impl CaseFile {
    /// Where the file is downloaded from (only its owner and staff get it).
    pub fn href(&self) -> String {
        format!("/files/{}", self.id)
    }
}

/// A change of status, for the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: String,
    /// «Зарегистрировано», «В работе», …
    pub status: String,
    pub actor: String,
    pub comment: String,
}

/// A line of a list of cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub number: String,
    pub kind: CaseKind,
    pub status: Status,
    /// The topic's title or the document's type.
    pub subject: String,
    pub account_number: Option<String>,
    pub created_at: String,
    /// «2026-11» (Moscow): lists group by it.
    pub month: String,
    pub customer: String,
    pub branch: Option<String>,
    pub assignee: Option<String>,
    pub age_days: i64,
    /// The case's files (filled for «Мои документы», which offers [Скачать документ]).
    #[serde(default)]
    pub files: Vec<CaseFile>,
}

impl CaseSummary {
    pub fn status_caption(&self) -> &'static str {
        self.kind.status_caption(self.status)
    }
}

/// The case's card: what the customer (or staff) sees of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCard {
    pub summary: CaseSummary,
    /// The form's fields as caption and value.
    pub fields: Vec<(String, String)>,
    pub messages: Vec<CaseMessage>,
    pub history: Vec<CaseEvent>,
    pub rating: Option<u8>,
    pub rating_comment: Option<String>,
    /// A shop order's price and whether it is paid (orders only).
    #[serde(default)]
    pub order: Option<crate::utility::info::OrderPayment>,
}

impl CaseCard {
    pub fn customer_may_write(&self) -> bool {
        customer_may_write(self.summary.status)
    }

    pub fn customer_may_rate(&self) -> bool {
        self.summary.status == Status::Closed && self.rating.is_none()
    }
}

/// What «Написать новое обращение» and «Подать заявление» are prefilled with (U-APL-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDraft {
    pub full_name: String,
    pub phone: String,
    pub email: String,
    pub accounts: Vec<DraftAccount>,
    /// The provider's appeal topics.
    pub topics: Vec<String>,
    /// The application topics the provider accepts (codes).
    pub application_topics: Vec<String>,
    /// What the customer typed in a form the server refused (without script), by field name:
    /// it comes with the draft so that the page renders the same on the server and in the
    /// browser.
    #[serde(default)]
    pub echo: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftAccount {
    pub id: i64,
    pub number: String,
    pub owner_name: String,
    pub suppliers: Vec<String>,
}

/// A notice in «Уведомления».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub at: String,
    pub link: Option<String>,
    pub unread: bool,
}

/// A question and its answer (the FAQ the assistant draws on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub id: i64,
    pub category: String,
    pub question: String,
    pub answer: String,
}

/// The back-office's list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub kind: Option<CaseKind>,
    pub status: Option<Status>,
    pub branch: Option<i64>,
    /// Only cases older than this many days.
    pub older_than_days: Option<u32>,
    /// A case number, a customer's name or phone, an account number.
    pub search: String,
    /// Only cases taken by the signed-in staff member.
    pub mine: bool,
}

/// A staff member as the back-office shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// A line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub staff: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// A customer's list of cases within the chosen months (U-APL-1: 3 years at most).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHistory {
    pub allowed: crate::utility::billing::PeriodRange,
    pub range: crate::utility::billing::PeriodRange,
    pub limited: bool,
    pub cases: Vec<CaseSummary>,
    /// The number of the account the history is shown for, when one was chosen (U-ACC-6).
    pub account: Option<String>,
}

/// The back-office's list, with what its filters can choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub cases: Vec<CaseSummary>,
    pub branches: Vec<crate::utility::billing::BranchOption>,
    /// How many matched (the list shows the oldest 200).
    pub total: i64,
}

/// A case as staff see it: the card, who sent it and what they may do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCase {
    pub card: CaseCard,
    pub customer_phone: String,
    pub customer_email: Option<String>,
    pub actions: Vec<Action>,
    /// Actions whose comment is mandatory.
    pub comment_required: Vec<Action>,
}

/// What administrators and supervisors manage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSettings {
    /// Appeal topics: id, title, active.
    pub topics: Vec<(i64, String, bool)>,
    /// Application topics (codes) the provider does not accept now.
    pub topics_off: Vec<String>,
    pub faq: Vec<FaqEntry>,
    pub may_edit: bool,
}

/// Checks a new staff login: latin letters, digits, dot, dash and underscore, 3 to 32.
pub fn check_staff_login(login: &str) -> Result<(), String> {
    let ok = (3..=32).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    ok.then_some(())
        .ok_or_else(|| "Логин: от 3 до 32 латинских букв, цифр, точек, дефисов".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appeal() -> CaseForm {
        CaseForm {
            kind: Some(CaseKind::Appeal),
            full_name: "Иванов Иван".into(),
            account: "1".into(),
            supplier: "Энергосбыт".into(),
            topic: "Начисления".into(),
            text: "Прошу проверить начисления".into(),
            phone: "+79001234567".into(),
            ..CaseForm::default()
        }
    }

    fn topics() -> Vec<String> {
        vec!["Начисления".into(), "Показания".into()]
    }

    fn messages(e: &FieldErrors, name: &str) -> Vec<String> {
        e.clone()
            .into_result()
            .err()
            .map(|e| e.field_message(name).map(str::to_string))
            .into_iter()
            .flatten()
            .collect()
    }

    #[test]
    fn u_apl_2_a_filled_appeal_passes_and_every_empty_required_field_is_named() {
        assert!(check_case_form(&appeal(), &topics()).is_empty());
        let empty = CaseForm {
            kind: Some(CaseKind::Appeal),
            ..CaseForm::default()
        };
        let e = check_case_form(&empty, &topics());
        for name in [
            field::FULL_NAME,
            field::ACCOUNT,
            field::TOPIC,
            field::TEXT,
            field::PHONE,
        ] {
            assert_eq!(messages(&e, name), vec![REQUIRED.to_string()], "{name}");
        }
    }

    #[test]
    fn u_apl_2_topic_must_come_from_the_providers_list() {
        let mut form = appeal();
        form.topic = "Прочее".into();
        assert!(!check_case_form(&form, &topics()).is_empty());
    }

    #[test]
    fn u_apl_3_seven_megabytes_a_file_hundred_in_all() {
        let file = |size| PickedFile {
            name: "скан.pdf".into(),
            size,
        };
        assert!(check_attachments(&[file(MAX_FILE_BYTES)]).is_ok());
        let e = check_attachments(&[file(MAX_FILE_BYTES + 1)]).unwrap_err();
        assert!(e.contains("больше 7 МБ"), "{e}");
        let fifteen = vec![file(MAX_FILE_BYTES); 15];
        let e = check_attachments(&fifteen).unwrap_err();
        assert!(e.contains("100 МБ"), "{e}");
        assert!(check_attachments(&vec![file(MAX_FILE_BYTES); 14]).is_ok());
    }

    #[test]
    fn u_doc_2_eighteen_topics_with_distinct_codes() {
        assert_eq!(TOPICS.len(), 18);
        let mut codes: Vec<_> = TOPICS.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 18);
    }

    #[test]
    fn u_doc_3_application_needs_consent_and_its_topics_fields() {
        let mut form = appeal();
        form.kind = Some(CaseKind::Application);
        form.topic = "refund".into();
        let e = check_case_form(&form, &[]);
        assert_eq!(messages(&e, "amount"), vec![REQUIRED.to_string()]);
        assert_eq!(messages(&e, "bic"), vec![REQUIRED.to_string()]);
        assert!(!messages(&e, field::CONSENT).is_empty());
        form.consent = true;
        form.fields = [
            ("amount", "1500,50"),
            ("recipient", "Иванов Иван"),
            ("bic", "044525225"),
            ("bank_account", "40817810938160925982"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert!(check_case_form(&form, &[]).is_empty());
        form.fields
            .insert("bank_account".into(), "40817810938160925983".into());
        assert!(!messages(&check_case_form(&form, &[]), "bank_account").is_empty());
    }

    #[test]
    fn u_doc_2_absence_dates_must_be_ordered_and_a_document_attached() {
        let mut form = appeal();
        form.kind = Some(CaseKind::Application);
        form.topic = "absence_recalculation".into();
        form.consent = true;
        form.fields.insert("date_from".into(), "2026-10-20".into());
        form.fields.insert("date_to".into(), "2026-10-01".into());
        let e = check_case_form(&form, &[]);
        assert!(!messages(&e, "date_to").is_empty());
        assert_eq!(messages(&e, field::FILES), vec![FILE_REQUIRED.to_string()]);
    }

    #[test]
    fn p_2_workflow_allows_moves_only_from_the_right_status_and_role() {
        use Action::*;
        let k = CaseKind::Appeal;
        assert_eq!(
            transition(k, Status::New, Take, Role::Operator, ""),
            Ok(Status::InProgress)
        );
        assert_eq!(
            transition(k, Status::Closed, Take, Role::Administrator, ""),
            Err(TransitionError::WrongStatus("Закрыто"))
        );
        assert_eq!(
            transition(k, Status::InProgress, Reject, Role::Operator, " "),
            Err(TransitionError::CommentRequired)
        );
        assert!(matches!(
            transition(k, Status::Closed, Reopen, Role::Operator, "ошибка"),
            Err(TransitionError::Role(_))
        ));
        assert_eq!(
            transition(k, Status::Closed, Reopen, Role::Supervisor, "ошибка"),
            Ok(Status::InProgress)
        );
        assert_eq!(
            transition(CaseKind::Document, Status::New, Take, Role::Operator, ""),
            Err(TransitionError::NotInWorkflow)
        );
        assert_eq!(
            after_customer_message(Status::InfoRequested),
            Status::InProgress
        );
        let buttons: Vec<_> = available_actions(k, Status::InProgress, Role::Operator)
            .into_iter()
            .map(|t| t.action)
            .collect();
        assert_eq!(buttons, vec![Reply, RequestInfo, Close, Reject]);
    }

    #[test]
    fn rating_is_one_to_five_once_on_a_closed_case() {
        assert_eq!(check_rating(Status::Closed, false, "5"), Ok(5));
        assert!(check_rating(Status::Closed, false, "6").is_err());
        assert!(check_rating(Status::Closed, true, "4").is_err());
        assert!(check_rating(Status::InProgress, false, "4").is_err());
    }

    #[test]
    fn sizes_read_like_a_person_would_write_them() {
        assert_eq!(size_caption(7 * 1024 * 1024), "7,0 МБ");
        assert_eq!(size_caption(300 * 1024), "300 КБ");
        assert_eq!(size_caption(10), "1 КБ");
    }
}
