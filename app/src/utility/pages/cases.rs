//! The customer's cases: «Обращения» (U-APL-1..3), «Мои заявления и документы» (U-DOC-1..3),
//! the case card with its messages, files, history and rating, «Уведомления» (U-INF-1).

use super::accounts::{AccountNav, ApiErrorCard};
use super::billing::PeriodFilter;
use crate::api::cases::{
    AddCaseMessage, CreateCase, RateCase, load_case, load_case_draft, load_case_history,
    load_notices,
};
use crate::components::case::{FileLink, History, LiveMessages};
use crate::components::field::{Field, FormError, action_error};
use crate::components::idempotency::idempotency_key;
use crate::components::loading;
use crate::components::upload::{FieldMessage, FileInput, UploadErrors, form_value, picked_files};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;
use shared::ApiError;
use shared::cases::{
    self, CaseCard, CaseDraft, CaseForm, CaseHistory, CaseKind, CaseSummary, FieldKind, Topic,
    field,
};

/// The account chosen in the address (`?account=`): the history and the new case of one
/// account, opened from its sections (U-ACC-6).
fn chosen_account() -> Memo<Option<i64>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("account").and_then(|a| a.parse().ok()))
}

/// `path` with the chosen account added to its query.
fn with_account(path: &str, account: Option<i64>) -> String {
    match account {
        None => path.to_string(),
        Some(a) if path.contains('?') => format!("{path}&account={a}"),
        Some(a) => format!("{path}?account={a}"),
    }
}

/// What a case page shows when its data cannot be had.
#[component]
pub fn CaseErrorCard(error: ApiError) -> impl IntoView {
    match error {
        ApiError::NotFound => view! {
            <section class="card narrow">
                <h1>"Обращение не найдено"</h1>
                <p>"Такого обращения нет среди ваших. Проверьте номер или откройте историю обращений."</p>
                <p><a class="button button--secondary" href="/appeals">"История обращений"</a></p>
            </section>
        }
        .into_any(),
        other => view! { <ApiErrorCard error=other /> }.into_any(),
    }
}

/// «Обращения»: [Написать новое обращение], the assistant, the video call and «История
/// обращений» by month (U-APL-1).
#[component]
pub fn AppealsPage() -> impl IntoView {
    let account = chosen_account();
    view! {
        <Title text="Обращения" />
        <section class="card" aria-labelledby="appeals-title">
            <h1 id="appeals-title">"Обращения"</h1>
            {move || account.get().map(|a| view! { <AccountNav account=a current="appeals" /> })}
            <p class="cluster">
                <a class="button button--primary" href=move || with_account("/appeals/new", account.get())>"Написать новое обращение"</a>
                <a class="button button--secondary" href="/assistant">"Виртуальный ассистент"</a>
                <a class="button button--secondary" href="/video">"Видеозвонок"</a>
            </p>
            <h2>"История обращений"</h2>
            <CaseList scope="appeals" action="/appeals" />
        </section>
    }
}

/// A customer's cases of a scope, grouped by month, with the period filter.
#[component]
fn CaseList(scope: &'static str, action: &'static str) -> impl IntoView {
    let query = use_query_map();
    let account = chosen_account();
    let range = move || {
        let q = query.read();
        (q.get("from"), q.get("to"), account.get())
    };
    let history = Resource::new(range, move |(from, to, account)| {
        load_case_history(scope.to_string(), from, to, account)
    });
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => view! { <CaseTable h action account=account.get_untracked() documents=scope == "documents" /> }.into_any(),
                    Err(e) => view! { <CaseErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseTable(
    h: CaseHistory,
    action: &'static str,
    account: Option<i64>,
    documents: bool,
) -> impl IntoView {
    let keep = account
        .map(|a| vec![("account", a.to_string())])
        .unwrap_or_default();
    let scope = h.account.clone().map(|number| {
        view! {
            <p class="notice" role="status">
                {format!("По лицевому счету № {number}. ")}
                <a href=action>"Показать по всем лицевым счетам"</a>
            </p>
        }
    });
    let mut months: Vec<(String, Vec<CaseSummary>)> = Vec::new();
    for case in h.cases {
        match months.last_mut() {
            Some((month, cases)) if *month == case.month => cases.push(case),
            _ => months.push((case.month.clone(), vec![case])),
        }
    }
    view! {
        {scope}
        <PeriodFilter action allowed=h.allowed range=h.range limited=h.limited keep />
        {if months.is_empty() {
            view! { <p class="empty">"За выбранный период ничего нет."</p> }.into_any()
        } else {
            months.into_iter().map(|(month, cases)| {
                let caption = shared::utility::billing::Period::parse(&month).map_or(month.clone(), |p| p.caption());
                view! {
                    <h3 class="case-month">{caption.clone()}</h3>
                    <ul class="case-list" aria-label=caption>
                        {cases.into_iter().map(|c| view! { <CaseLine c documents /> }).collect_view()}
                    </ul>
                }
            }).collect_view().into_any()
        }}
    }
}

#[component]
fn CaseLine(c: CaseSummary, documents: bool) -> impl IntoView {
    let status = c.status_caption();
    let href = format!("/cases/{}", c.number);
    view! {
        <li class="case-line">
            <a class="case-line__subject" href=href>{c.subject.clone()}</a>
            <span class="case-line__meta">
                {format!("№ {} от {}", c.number, c.created_at)}
                {c.account_number.clone().map(|n| format!(", лицевой счет № {n}"))}
            </span>
            <span class=format!("status status--{}", c.status.code())>{status}</span>
            {documents.then(|| c.files.iter().map(|f| view! { <FileLink f=f.clone() caption="Скачать документ" /> }).collect_view())}
        </li>
    }
}

/// «Написать новое обращение» (U-APL-2, U-APL-3).
#[component]
pub fn NewAppealPage() -> impl IntoView {
    let draft = Resource::new(|| (), |_| load_case_draft());
    view! {
        <Title text="Новое обращение" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) if d.accounts.is_empty() => view! { <NoAccounts /> }.into_any(),
                    Ok(d) => view! { <CaseFormCard d kind=CaseKind::Appeal topic=None /> }.into_any(),
                    Err(e) => view! { <CaseErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoAccounts() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Нет лицевых счетов"</h1>
            <p>"Чтобы написать обращение или подать заявление, добавьте лицевой счет."</p>
            <p><a class="button button--primary" href="/accounts/add">"Добавить лицевой счет"</a></p>
        </section>
    }
}

/// Reads the form as the server will, for the `shared` rule (in the browser).
fn form_from_page(
    form: &leptos::web_sys::HtmlFormElement,
    kind: CaseKind,
    topic: Option<&'static Topic>,
) -> CaseForm {
    let value = |name: &str| form_value(form, name);
    CaseForm {
        kind: Some(kind),
        full_name: value(field::FULL_NAME),
        account: value(field::ACCOUNT),
        supplier: value(field::SUPPLIER),
        topic: if kind == CaseKind::Document {
            value(field::DOC_TYPE)
        } else {
            value(field::TOPIC)
        },
        text: value(field::TEXT),
        phone: value(field::PHONE),
        email: value(field::EMAIL),
        consent: !value(field::CONSENT).is_empty(),
        fields: topic
            .map(|t| {
                t.fields
                    .iter()
                    .map(|f| (f.name.to_string(), value(f.name)))
                    .collect()
            })
            .unwrap_or_default(),
        files: picked_files(form),
    }
}

/// The check every case form makes before it leaves (the server makes it again).
fn check_before_send(
    errors: UploadErrors,
    kind: CaseKind,
    topic: Option<&'static Topic>,
    appeal_topics: Vec<String>,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let checked = cases::check_case_form(&form_from_page(&form, kind, topic), &appeal_topics);
        match checked.into_result() {
            Ok(()) => errors.client.set(None),
            Err(e) => {
                ev.prevent_default();
                errors.client.set(Some(e));
            }
        }
    }
}

fn required_rule() -> Callback<String, Option<String>> {
    Callback::new(|v: String| v.trim().is_empty().then(|| cases::REQUIRED.to_string()))
}

/// The form of a new appeal or application: the fields of U-APL-2 prefilled, the topic's own
/// fields, files, consent (U-DOC-3).
#[component]
fn CaseFormCard(d: CaseDraft, kind: CaseKind, topic: Option<&'static Topic>) -> impl IntoView {
    let errors = UploadErrors::new(<CreateCase as ServerFn>::PATH);
    let key = idempotency_key();
    let accounts = d.accounts.clone();
    // The account the form was opened for (from an account's «Обращения»), else the first.
    let wanted = chosen_account().get_untracked();
    let first = accounts
        .iter()
        .find(|a| Some(a.id) == wanted)
        .or(accounts.first())
        .map(|a| a.id)
        .unwrap_or_default();
    let account = RwSignal::new(first);
    let suppliers = {
        let accounts = accounts.clone();
        move || {
            accounts
                .iter()
                .find(|a| a.id == account.get())
                .map(|a| a.suppliers.clone())
                .unwrap_or_default()
        }
    };
    let full_name = RwSignal::new(d.full_name.clone());
    let phone = RwSignal::new(d.phone.clone());
    let email = RwSignal::new(d.email.clone());
    let (title, button) = match kind {
        CaseKind::Appeal => ("Новое обращение", "Отправить обращение"),
        _ => ("Подать заявление", "Отправить заявление"),
    };
    let text_caption = match kind {
        CaseKind::Appeal => "Текст обращения",
        _ => "Текст заявления",
    };
    let text_required = kind == CaseKind::Appeal || topic.is_some_and(|t| t.text_required);
    let topics = d.topics.clone();
    let on_submit = check_before_send(errors, kind, topic, d.topics.clone());
    // Without script, a refused form comes back with what was typed (it comes with the draft,
    // so that the browser hydrates the same page).
    let typed_text = d.echo.get(field::TEXT).cloned().unwrap_or_default();
    let typed_topic = d.echo.get(field::TOPIC).cloned();
    view! {
        <section class="card" aria-labelledby="case-form-title">
            <h1 id="case-form-title">{title}</h1>
            {topic.map(|t| view! { <p class="case-topic">{t.title}</p> })}
            <p class="field__hint">"Поля, отмеченные «*», обязательны для заполнения."</p>
            <form class="case-form" method="post" enctype="multipart/form-data"
                action={<CreateCase as ServerFn>::PATH} on:submit=on_submit novalidate=true>
                <input type="hidden" name="kind" value=if kind == CaseKind::Appeal { "appeal" } else { "application" } />
                <input type="hidden" name=field::KEY value=key />
                {topic.map(|t| view! { <input type="hidden" name=field::TOPIC value=t.code /> })}
                <Field label="ФИО".to_string() name=field::FULL_NAME required=true value=full_name
                    autocomplete="name" check=required_rule() server_error=errors.field(field::FULL_NAME) />
                <div class="field">
                    <label class="field__label" for="f-account">"Номер лицевого счета"<span class="field__required" aria-hidden="true">"*"</span></label>
                    <select class="field__input" id="f-account" name=field::ACCOUNT required=true
                        aria-describedby="f-account-error"
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse() { account.set(id) }
                        }>
                        {accounts.iter().map(|a| view! {
                            <option value=a.id.to_string() selected=a.id == first>{a.number.clone()}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage id="f-account-error" message=errors.field(field::ACCOUNT) />
                </div>
                {(kind == CaseKind::Appeal).then(|| view! {
                    <div class="field">
                        <label class="field__label" for="f-supplier">"Поставщик"</label>
                        <select class="field__input" id="f-supplier" name=field::SUPPLIER aria-describedby="f-supplier-error">
                            {move || suppliers().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                        </select>
                        <FieldMessage id="f-supplier-error" message=errors.field(field::SUPPLIER) />
                    </div>
                    <div class="field">
                        <label class="field__label" for="f-topic">"Тема обращения"<span class="field__required" aria-hidden="true">"*"</span></label>
                        <select class="field__input" id="f-topic" name=field::TOPIC required=true aria-describedby="f-topic-error">
                            <option value="">"Выберите тему"</option>
                            {topics.iter().map(|t| view! { <option value=t.clone() selected=typed_topic.as_deref() == Some(t.as_str())>{t.clone()}</option> }).collect_view()}
                        </select>
                        <FieldMessage id="f-topic-error" message=errors.field(field::TOPIC) />
                    </div>
                })}
                {topic.map(|t| t.fields.iter().map(|tf| view! { <TopicInput tf=*tf errors /> }).collect_view())}
                <div class="field">
                    <label class="field__label" for="f-text">
                        {text_caption}
                        {text_required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
                    </label>
                    {
                        // An empty text area has no text node to hydrate: only a typed text is a child.
                        let max = cases::MAX_TEXT.to_string();
                        if typed_text.is_empty() {
                            view! { <textarea class="field__input" id="f-text" name=field::TEXT rows="6" maxlength=max
                                required=text_required aria-describedby="f-text-error"></textarea> }.into_any()
                        } else {
                            view! { <textarea class="field__input" id="f-text" name=field::TEXT rows="6" maxlength=max
                                required=text_required aria-describedby="f-text-error">{typed_text}</textarea> }.into_any()
                        }
                    }
                    <FieldMessage id="f-text-error" message=errors.field(field::TEXT) />
                </div>
                <FileInput errors label=if kind == CaseKind::Appeal { "Файлы" } else { "Выбрать документ" }
                    required=topic.is_some_and(|t| t.file_required) />
                <Field label="Номер телефона".to_string() name=field::PHONE required=true value=phone input_type="tel"
                    autocomplete="tel" check=crate::components::field::rule(shared::contact::check_phone)
                    server_error=errors.field(field::PHONE) />
                <Field label="E-mail".to_string() name=field::EMAIL value=email input_type="email" autocomplete="email"
                    check=Callback::new(|v: String| (!v.trim().is_empty()).then(|| shared::contact::check_email(&v).err()).flatten())
                    server_error=errors.field(field::EMAIL) />
                {(kind == CaseKind::Application).then(|| view! {
                    <div class="field">
                        <label class="checkbox">
                            <input type="checkbox" name=field::CONSENT value="1" aria-describedby="f-consent-error" />
                            " Согласие с «"<a href="/agreement">"Политикой обработки персональных данных"</a>"»"
                        </label>
                        <FieldMessage id="f-consent-error" message=errors.field(field::CONSENT) />
                    </div>
                })}
                <FormError message=errors.form() />
                <div class="cluster">
                    <button type="submit" class="button button--primary">{button}</button>
                    <a class="button button--secondary" href=if kind == CaseKind::Appeal { "/appeals" } else { "/documents" }>"Отменить"</a>
                </div>
            </form>
        </section>
    }
}

/// A field of an application topic, with the control its kind needs.
#[component]
fn TopicInput(tf: cases::TopicField, errors: UploadErrors) -> impl IntoView {
    let check = Callback::new(move |v: String| {
        if tf.kind == FieldKind::BankAccount {
            // Checked against the БИК when the form is sent.
            return (tf.required && v.trim().is_empty()).then(|| cases::REQUIRED.to_string());
        }
        cases::check_topic_field(&tf, &v, &Default::default()).err()
    });
    match tf.kind {
        FieldKind::Choice(options) => {
            let id = format!("f-{}", tf.name);
            let error_id = format!("{id}-error");
            view! {
                <div class="field">
                    <label class="field__label" for=id.clone()>{tf.caption}<span class="field__required" aria-hidden="true">"*"</span></label>
                    <select class="field__input" id=id name=tf.name aria-describedby=error_id.clone()>
                        <option value="">"Выберите"</option>
                        {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                    </select>
                    <FieldMessage id=error_id message=errors.field(tf.name) />
                </div>
            }
            .into_any()
        }
        kind => {
            let (input_type, inputmode) = match kind {
                FieldKind::Date => ("date", "text"),
                FieldKind::Month => ("month", "text"),
                FieldKind::Money => ("text", "decimal"),
                FieldKind::Count { .. } | FieldKind::Bic | FieldKind::BankAccount => {
                    ("text", "numeric")
                }
                _ => ("text", "text"),
            };
            view! {
                <Field label=tf.caption.to_string() name=tf.name required=tf.required input_type
                    inputmode=Signal::stored(inputmode) check server_error=errors.field(tf.name) />
            }
            .into_any()
        }
    }
}

/// «Мои заявления и документы» (U-DOC-1): «Мои документы» with [Скачать документ] and
/// [Загрузить документ], and «Мои заявления» with [Подать заявление].
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let query = use_query_map();
    let uploading = move || query.read().get("upload").is_some();
    let account = chosen_account();
    view! {
        <Title text="Мои заявления и документы" />
        <section class="card" aria-labelledby="documents-title">
            <h1 id="documents-title">"Мои заявления и документы"</h1>
            {move || account.get().map(|a| view! { <AccountNav account=a current="documents" /> })}
            <h2>"Мои заявления"</h2>
            <p><a class="button button--primary" href=move || with_account("/applications/new", account.get())>"Подать заявление"</a></p>
            <CaseList scope="applications" action="/documents" />
        </section>
        <section class="card" aria-labelledby="my-documents-title">
            <h2 id="my-documents-title">"Мои документы"</h2>
            <Show when=uploading fallback=|| view! {
                <p><a class="button button--secondary" href="/documents?upload=1#upload">"Загрузить документ"</a></p>
            }>
                <UploadDocument />
            </Show>
            <DocumentList />
        </section>
    }
}

#[component]
fn DocumentList() -> impl IntoView {
    let account = chosen_account();
    let history = Resource::new(
        move || account.get(),
        |account| load_case_history("documents".into(), None, None, account),
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) if h.cases.is_empty() => view! { <p class="empty">"Вы еще не отправляли документы."</p> }.into_any(),
                    Ok(h) => view! {
                        <ul class="case-list" aria-label="Отправленные документы">
                            {h.cases.into_iter().map(|c| view! { <CaseLine c documents=true /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <CaseErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// [Загрузить документ]: «Тип документов», the file, [Отправить документ].
#[component]
fn UploadDocument() -> impl IntoView {
    let draft = Resource::new(|| (), |_| load_case_draft());
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) if d.accounts.is_empty() => view! { <NoAccounts /> }.into_any(),
                    Ok(d) => view! { <UploadForm d /> }.into_any(),
                    Err(e) => view! { <CaseErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UploadForm(d: CaseDraft) -> impl IntoView {
    let errors = UploadErrors::new(<CreateCase as ServerFn>::PATH);
    let on_submit = check_before_send(errors, CaseKind::Document, None, Vec::new());
    view! {
        <form id="upload" class="case-form" method="post" enctype="multipart/form-data"
            action={<CreateCase as ServerFn>::PATH} on:submit=on_submit novalidate=true>
            <h3>"Загрузить документ"</h3>
            <input type="hidden" name="kind" value="document" />
            <input type="hidden" name=field::KEY value=idempotency_key() />
            <div class="field">
                <label class="field__label" for="f-account">"Номер лицевого счета"<span class="field__required" aria-hidden="true">"*"</span></label>
                <select class="field__input" id="f-account" name=field::ACCOUNT aria-describedby="f-account-error">
                    {d.accounts.iter().map(|a| view! { <option value=a.id.to_string()>{a.number.clone()}</option> }).collect_view()}
                </select>
                <FieldMessage id="f-account-error" message=errors.field(field::ACCOUNT) />
            </div>
            <div class="field">
                <label class="field__label" for="f-doc-type">"Тип документов"<span class="field__required" aria-hidden="true">"*"</span></label>
                <select class="field__input" id="f-doc-type" name=field::DOC_TYPE aria-describedby="f-doc-type-error">
                    <option value="">"Выберите тип"</option>
                    {cases::DOCUMENT_TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                </select>
                <FieldMessage id="f-doc-type-error" message=errors.field(field::DOC_TYPE) />
            </div>
            <FileInput errors label="Файл документа" required=true multiple=false />
            <FormError message=errors.form() />
            <div class="cluster">
                <button type="submit" class="button button--primary">"Отправить документ"</button>
                <a class="button button--secondary" href="/documents">"Отменить"</a>
            </div>
        </form>
    }
}

/// «Подать заявление» (U-DOC-2, U-DOC-3): the topic first, then its form.
#[component]
pub fn NewApplicationPage() -> impl IntoView {
    let query = use_query_map();
    let topic = Memo::new(move |_| query.read().get("topic").and_then(|t| cases::topic(&t)));
    let draft = Resource::new(|| (), |_| load_case_draft());
    view! {
        <Title text="Подать заявление" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) if d.accounts.is_empty() => view! { <NoAccounts /> }.into_any(),
                    Ok(d) => match topic.get() {
                        Some(t) if d.application_topics.iter().any(|c| c == t.code) => {
                            view! { <CaseFormCard d kind=CaseKind::Application topic=Some(t) /> }.into_any()
                        }
                        _ => view! { <TopicChoice d /> }.into_any(),
                    },
                    Err(e) => view! { <CaseErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TopicChoice(d: CaseDraft) -> impl IntoView {
    let account = chosen_account();
    view! {
        <section class="card" aria-labelledby="topics-title">
            <h1 id="topics-title">"Подать заявление"</h1>
            <p>"Выберите тему заявления:"</p>
            <ul class="topic-list">
                {cases::TOPICS.iter().filter(|t| d.application_topics.iter().any(|c| c == t.code)).map(|t| {
                    let href = format!("/applications/new?topic={}", t.code);
                    view! { <li><a href=move || with_account(&href, account.get())>{t.title}</a></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The card of a case (U-APL-1): fields, status, messages with files, a new message, the
/// rating of a closed case, the history.
#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
    // Fetched again after a form on the page answers (its redirect changes the query).
    let search = leptos_router::hooks::use_location().search;
    let card = Resource::new(move || (number.get(), search.get()), |(n, _)| load_case(n));
    view! {
        <Title text="Обращение" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match card.await {
                    Ok(c) => view! { <Card c /> }.into_any(),
                    Err(e) => view! { <CaseErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Card(c: CaseCard) -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let added = move || query.read().get("added").is_some();
    let s = c.summary.clone();
    let back = match s.kind {
        CaseKind::Appeal | CaseKind::Callback | CaseKind::Consultation | CaseKind::Order => {
            ("/appeals", "История обращений")
        }
        CaseKind::Document => ("/documents", "Мои документы"),
        _ => ("/documents", "Мои заявления"),
    };
    let may_write = c.customer_may_write();
    let may_rate = c.customer_may_rate();
    let number = s.number.clone();
    view! {
        <section class="card case-card" aria-labelledby="case-title">
            <p><a href=back.0>{format!("← {}", back.1)}</a></p>
            <h1 id="case-title">{format!("{} № {}", s.kind.caption(), s.number)}</h1>
            {move || sent().then(|| view! { <p class="notice notice--success" role="status">{cases::ACCEPTED}</p> })}
            {move || added().then(|| view! { <p class="notice notice--success" role="status">"Сообщение отправлено."</p> })}
            <dl class="summary">
                <dt>"Тема"</dt><dd>{s.subject.clone()}</dd>
                <dt>"Статус"</dt><dd><span class=format!("status status--{}", s.status.code())>{s.status_caption()}</span></dd>
                <dt>"Дата регистрации"</dt><dd>{s.created_at.clone()}</dd>
                {c.fields.iter().filter(|(k, _)| k != "Тема обращения" && k != "Тема заявления").map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
            </dl>
            <h2 id="messages">"Переписка"</h2>
            <LiveMessages number=number.clone() messages=c.messages.clone() open=may_write />
            {may_write.then(|| view! { <MessageForm number=number.clone() /> })}
            {c.rating.map(|r| view! {
                <p class="rating-given">{format!("Ваша оценка ответа: {r} из 5")}</p>
            })}
            {may_rate.then(|| view! { <RateForm number=number.clone() /> })}
            {c.order.map(|order| view! { <OrderPay number=number.clone() order /> })}
            <h2>"История"</h2>
            <History events=c.history.clone() />
        </section>
    }
}

/// A shop order's price and [Оплатить заказ] (U-INF-1): paid like any payment, by SBP or card.
#[component]
fn OrderPay(number: String, order: shared::utility::info::OrderPayment) -> impl IntoView {
    use shared::payments::{METHOD_FIELD, PaymentMethod, RULES_FIELD, check_method_and_rules};
    if order.paid {
        return view! {
            <p class="notice notice--success">{format!("Заказ оплачен: {}", order.price)}</p>
        }
        .into_any();
    }
    let errors = UploadErrors::new(<crate::utility::api::payments::PayOrder as ServerFn>::PATH);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let method = form_value(&form, "method");
        let rules = !form_value(&form, "rules").is_empty();
        match check_method_and_rules(Some(method.as_str()).filter(|m| !m.is_empty()), rules) {
            Ok(_) => errors.client.set(None),
            Err(fields) => {
                ev.prevent_default();
                errors.client.set(Some(ApiError::Invalid { fields }));
            }
        }
    };
    view! {
        <h2 id="order-pay">"Оплата заказа"</h2>
        <form method="post" action={<crate::utility::api::payments::PayOrder as ServerFn>::PATH}
            on:submit=on_submit novalidate=true aria-labelledby="order-pay">
            <input type="hidden" name="number" value=number />
            <input type="hidden" name="key" value=idempotency_key() />
            <p class="pay-total">"К оплате: " <strong>{order.price.to_string()}</strong></p>
            <fieldset class="field pay-methods">
                <legend class="field__label">"Выберите способ оплаты"</legend>
                {PaymentMethod::CHOICES.into_iter().map(|m| view! {
                    <label class="radio">
                        <input type="radio" name="method" value=m.code() aria-describedby="order-method-error" />
                        " " {m.caption()}
                    </label>
                }).collect_view()}
                <FieldMessage id="order-method-error" message=errors.field(METHOD_FIELD) />
            </fieldset>
            <p>"Ознакомьтесь с "<a href="/payments/rules" target="_blank" rel="noopener">"Правилами"</a>" оплаты."</p>
            <label class="checkbox">
                <input type="checkbox" name="rules" value="yes" aria-describedby="order-rules-error" />
                " С правилами оплаты ознакомлен(а)"
            </label>
            <FieldMessage id="order-rules-error" message=errors.field(RULES_FIELD) />
            <FormError message=errors.form() />
            <button type="submit" class="button button--primary">"Оплатить заказ"</button>
        </form>
    }
    .into_any()
}

/// A message (and files) to an open case.
#[component]
fn MessageForm(number: String) -> impl IntoView {
    let errors = UploadErrors::new(<AddCaseMessage as ServerFn>::PATH);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let checked = cases::check_message(&form_value(&form, field::TEXT), &picked_files(&form));
        match checked.into_result() {
            Ok(()) => errors.client.set(None),
            Err(e) => {
                ev.prevent_default();
                errors.client.set(Some(e));
            }
        }
    };
    view! {
        <form class="case-form" method="post" enctype="multipart/form-data"
            action={<AddCaseMessage as ServerFn>::PATH} on:submit=on_submit novalidate=true>
            <h3>"Новое сообщение"</h3>
            <input type="hidden" name="number" value=number />
            <input type="hidden" name=field::KEY value=idempotency_key() />
            <div class="field">
                <label class="field__label" for="f-text">"Сообщение"</label>
                <textarea class="field__input" id="f-text" name=field::TEXT rows="4" maxlength=cases::MAX_TEXT.to_string()
                    aria-describedby="f-text-error"></textarea>
                <FieldMessage id="f-text-error" message=errors.field(field::TEXT) />
            </div>
            <FileInput errors label="Файлы" />
            <FormError message=errors.form() />
            <button type="submit" class="button button--primary">"Отправить сообщение"</button>
        </form>
    }
}

/// The rating of the answer to a closed case.
#[component]
fn RateForm(number: String) -> impl IntoView {
    let rate = ServerAction::<RateCase>::new();
    view! {
        <ActionForm action=rate attr:class="case-form rate-form">
            <input type="hidden" name="number" value=number />
            <fieldset class="rating">
                <legend>"Оцените ответ"</legend>
                {(1..=5).map(|n| view! {
                    <label class="rating__option">
                        <input type="radio" name=field::RATING value=n.to_string() />
                        {format!(" {n}")}
                    </label>
                }).collect_view()}
            </fieldset>
            <p class="field__error" aria-live="polite">{move || action_error(rate.value(), Some(field::RATING)).get()}</p>
            <div class="field">
                <label class="field__label" for="f-comment">"Комментарий к оценке"</label>
                <textarea class="field__input" id="f-comment" name=field::COMMENT rows="2" maxlength="2000"></textarea>
            </div>
            <FormError message=action_error(rate.value(), None) />
            <button type="submit" class="button button--primary">"Оценить"</button>
        </ActionForm>
    }
}

/// «Уведомления» (U-INF-1): every notice sent to the customer.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let notices = Resource::new(|| (), |_| load_notices());
    view! {
        <Title text="Уведомления" />
        <section class="card" aria-labelledby="notices-title">
            <h1 id="notices-title">"Уведомления"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"Уведомлений пока нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="notices">
                                {list.into_iter().map(|n| view! {
                                    <li class="notice-item" class:notice-item--unread=n.unread>
                                        <p class="notice-item__meta">
                                            {n.at.clone()}
                                            {n.unread.then(|| view! { <span class="badge">"новое"</span> })}
                                        </p>
                                        <h2 class="notice-item__title">{n.title.clone()}</h2>
                                        <p>{n.body.clone()}</p>
                                        {n.link.clone().map(|href| view! { <a href=href aria-label=format!("Открыть: {}", n.title)>"Открыть"</a> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
