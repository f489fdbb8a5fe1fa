//! The back-office (`/staff`): staff sign-in, the queue of cases, a case with its moves,
//! the provider's topics and FAQ, the team and the audit log.

use crate::components::case::{History, LiveMessages};
use crate::components::field::{Field, FormError, action_error};
use crate::components::idempotency::idempotency_key;
use crate::components::loading;
use crate::components::table::TableWrap;
use crate::components::upload::{FieldMessage, FileInput, UploadErrors, form_value};
use crate::staff::api::{
    AddMember, SaveFaq, SaveTopic, SetApplicationTopic, SetMemberActive, StaffAct, StaffSignIn,
    StaffSignOut, load_audit, load_queue, load_staff_case, load_staff_settings, load_team,
    staff_me,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;
use shared::ApiError;
use shared::cases::{self, Action, CaseKind, Role, StaffCase, StaffMember, Status, field};

/// The text of a table cell, «—» when there is none.
fn or_dash(text: String) -> String {
    if text.is_empty() {
        "—".to_string()
    } else {
        text
    }
}

/// What a back-office page shows when its data cannot be had.
#[component]
pub fn StaffError(error: ApiError) -> impl IntoView {
    match error {
        ApiError::Unauthorized => view! {
            <section class="card narrow">
                <h1>"Вход для сотрудников"</h1>
                <p>"Войдите, чтобы работать с обращениями."</p>
                <p><a class="button button--primary" href="/staff/login">"Войти"</a></p>
            </section>
        }
        .into_any(),
        ApiError::Forbidden => view! {
            <section class="card narrow">
                <h1>"Недостаточно прав"</h1>
                <p>"Этот раздел доступен другой роли."</p>
                <p><a class="button button--secondary" href="/staff">"К очереди"</a></p>
            </section>
        }
        .into_any(),
        ApiError::NotFound => view! {
            <section class="card narrow">
                <h1>"Не найдено"</h1>
                <p><a class="button button--secondary" href="/staff">"К очереди"</a></p>
            </section>
        }
        .into_any(),
        other => view! { <p class="form-error" role="alert">{other.to_string()}</p> }.into_any(),
    }
}

/// The back-office's navigation, with the signed-in member and [Выйти].
#[component]
pub fn StaffNav(current: &'static str) -> impl IntoView {
    let me = Resource::new(|| (), |_| staff_me());
    let sign_out = ServerAction::<StaffSignOut>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(m)) = me.await else { return ().into_any() };
                let links: Vec<(&str, &str, bool)> = vec![
                    ("/staff", "Очередь", true),
                    ("/staff/settings", "Настройки", true),
                    ("/staff/shop", "Магазин", true),
                    ("/staff/promotions", "Акции", true),
                    ("/staff/polls", "Опросы", true),
                    ("/staff/offices", "Офисы и запись", true),
                    ("/staff/companies", "Реестр компаний", true),
                    ("/staff/calendar", "Календарь", true),
                    ("/staff/team", "Сотрудники", m.role >= Role::Administrator),
                    ("/staff/audit", "Журнал действий", m.role >= Role::Supervisor),
                ];
                view! {
                    <nav class="staff-nav" aria-label="Разделы для сотрудников">
                        {links.into_iter().filter(|l| l.2).map(|(href, caption, _)| view! {
                            <a class="staff-nav__link" href=href aria-current=(href == current).then_some("page")>{caption}</a>
                        }).collect_view()}
                        <span class="staff-nav__me">{format!("{} ({})", m.name, m.role.caption())}</span>
                        <ActionForm action=sign_out>
                            <button type="submit" class="button button--secondary">"Выйти"</button>
                        </ActionForm>
                    </nav>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let sign_in = ServerAction::<StaffSignIn>::new();
    view! {
        <Title text="Вход для сотрудников" />
        <section class="card narrow" aria-labelledby="staff-login-title">
            <h1 id="staff-login-title">"Вход для сотрудников"</h1>
            <ActionForm action=sign_in>
                <Field label="Логин".to_string() name="login" required=true autocomplete="username"
                    server_error=action_error(sign_in.value(), Some("login")) />
                <Field label="Пароль".to_string() name="password" required=true password=true autocomplete="current-password"
                    server_error=action_error(sign_in.value(), Some("password")) />
                <FormError message=action_error(sign_in.value(), None) />
                <button type="submit" class="button button--primary">"Войти"</button>
            </ActionForm>
        </section>
    }
}

/// The queue of cases by type, status, branch and age, with search.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("kind").filter(|v| !v.is_empty()),
            q.get("status").filter(|v| !v.is_empty()),
            q.get("branch").filter(|v| !v.is_empty()),
            q.get("older").filter(|v| !v.is_empty()),
            q.get("search").filter(|v| !v.is_empty()),
            q.get("mine").filter(|v| !v.is_empty()),
        )
    };
    let queue = Resource::new(filter, |(kind, status, branch, older, search, mine)| {
        load_queue(kind, status, branch, older, search, mine)
    });
    view! {
        <Title text="Очередь обращений" />
        <StaffNav current="/staff" />
        <section class="card" aria-labelledby="queue-title">
            <h1 id="queue-title">"Очередь обращений"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let (kind, status, branch, older, search, mine) = filter();
                    match queue.await {
                        Ok(q) => view! {
                            <form class="queue-filter" method="get" action="/staff">
                                <div class="field">
                                    <label class="field__label" for="f-kind">"Вид"</label>
                                    <select class="field__input" id="f-kind" name="kind">
                                        <option value="">"Все"</option>
                                        {CaseKind::ALL.iter().map(|k| view! {
                                            <option value=k.code() selected=kind.as_deref() == Some(k.code())>{k.caption()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="f-status">"Статус"</label>
                                    <select class="field__input" id="f-status" name="status">
                                        <option value="">"Открытые"</option>
                                        {Status::ALL.iter().map(|s| view! {
                                            <option value=s.code() selected=status.as_deref() == Some(s.code())>{s.caption()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="f-branch">"Филиал"</label>
                                    <select class="field__input" id="f-branch" name="branch">
                                        <option value="">"Все"</option>
                                        {q.branches.iter().map(|b| view! {
                                            <option value=b.id.to_string() selected=branch.as_deref() == Some(b.id.to_string().as_str())>{b.name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="f-older">"Старше, дней"</label>
                                    <input class="field__input" id="f-older" name="older" type="number" min="0" max="3650" inputmode="numeric"
                                        value=older.unwrap_or_default() />
                                </div>
                                <div class="field">
                                    <label class="field__label" for="f-search">"Поиск"</label>
                                    <input class="field__input" id="f-search" name="search" type="search"
                                        placeholder="№ обращения, лицевой счет, телефон, фамилия" value=search.unwrap_or_default() />
                                </div>
                                <label class="checkbox"><input type="checkbox" name="mine" value="1" checked=mine.is_some() />" Только мои"</label>
                                <button type="submit" class="button button--secondary">"Показать"</button>
                            </form>
                            <p>{format!("Найдено: {}", q.total)}</p>
                            {if q.cases.is_empty() {
                                view! { <p class="empty">"Обращений нет."</p> }.into_any()
                            } else {
                                view! {
                                    <TableWrap label="Обращения, сначала старые">
                                        <table class="table">
                                            <caption class="visually-hidden">"Обращения, сначала старые"</caption>
                                            <thead><tr>
                                                <th scope="col">"№"</th><th scope="col">"Вид"</th><th scope="col">"Тема"</th>
                                                <th scope="col">"Заявитель"</th><th scope="col">"Лицевой счет"</th><th scope="col">"Филиал"</th>
                                                <th scope="col">"Статус"</th><th scope="col" class="num">"Дней"</th><th scope="col">"Исполнитель"</th>
                                            </tr></thead>
                                            <tbody>
                                                {q.cases.into_iter().map(|c| view! {
                                                    <tr>
                                                        <th scope="row"><a href=format!("/staff/cases/{}", c.number)>{c.number.clone()}</a></th>
                                                        <td>{c.kind.caption()}</td>
                                                        <td>{c.subject.clone()}</td>
                                                        <td>{c.customer.clone()}</td>
                                                        <td>{c.account_number.clone().unwrap_or_else(|| "—".into())}</td>
                                                        <td>{c.branch.clone().unwrap_or_else(|| "—".into())}</td>
                                                        <td><span class=format!("status status--{}", c.status.code())>{c.status_caption()}</span></td>
                                                        <td class="num">{c.age_days}</td>
                                                        <td>{c.assignee.clone().unwrap_or_else(|| "—".into())}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </TableWrap>
                                }.into_any()
                            }}
                        }.into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A case with its moves: take, reply, request information, close, reject, reopen.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let params = use_params_map();
    let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
    let search = leptos_router::hooks::use_location().search;
    let case = Resource::new(
        move || (number.get(), search.get()),
        |(n, _)| load_staff_case(n),
    );
    view! {
        <Title text="Обращение" />
        <StaffNav current="" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! { <StaffCaseCard c /> }.into_any(),
                    Err(e) => view! { <StaffError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffCaseCard(c: StaffCase) -> impl IntoView {
    let query = use_query_map();
    let done = move || query.read().get("done").and_then(|a| Action::from_code(&a));
    let s = c.card.summary.clone();
    view! {
        <section class="card case-card" aria-labelledby="case-title">
            <p><a href="/staff">"← Очередь"</a></p>
            <h1 id="case-title">{format!("{} № {}", s.kind.caption(), s.number)}</h1>
            {move || done().map(|a| view! { <p class="notice notice--success" role="status">{format!("Готово: {}.", a.caption())}</p> })}
            <dl class="summary">
                <dt>"Тема"</dt><dd>{s.subject.clone()}</dd>
                <dt>"Статус"</dt><dd><span class=format!("status status--{}", s.status.code())>{s.status_caption()}</span></dd>
                <dt>"Заявитель"</dt><dd>{s.customer.clone()}</dd>
                <dt>"Телефон"</dt><dd>{c.customer_phone.clone()}</dd>
                <dt>"E-mail"</dt><dd>{c.customer_email.clone().unwrap_or_else(|| "не подтвержден".into())}</dd>
                <dt>"Зарегистрировано"</dt><dd>{s.created_at.clone()}</dd>
                <dt>"Исполнитель"</dt><dd>{s.assignee.clone().unwrap_or_else(|| "—".into())}</dd>
                {c.card.fields.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                {c.card.rating.map(|r| view! {
                    <dt>"Оценка заявителя"</dt>
                    <dd>{format!("{r} из 5{}", c.card.rating_comment.clone().filter(|t| !t.is_empty()).map(|t| format!(": {t}")).unwrap_or_default())}</dd>
                })}
            </dl>
            <h2 id="messages">"Переписка"</h2>
            <LiveMessages staff=true number=s.number.clone() messages=c.card.messages.clone() open=!s.status.is_final() />
            {(!c.actions.is_empty()).then(|| view! { <ActForm number=s.number.clone() actions=c.actions.clone() required=c.comment_required.clone() /> })}
            <h2>"История"</h2>
            <History events=c.card.history.clone() />
        </section>
    }
}

/// The moves the member may make now: one comment (the message to the customer), files,
/// and a button per move.
#[component]
fn ActForm(number: String, actions: Vec<Action>, required: Vec<Action>) -> impl IntoView {
    let errors = UploadErrors::new(<StaffAct as ServerFn>::PATH);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let pressed = ev
            .submitter()
            .and_then(|b| b.get_attribute("value"))
            .and_then(|v| Action::from_code(&v));
        let comment = form_value(&form, field::COMMENT);
        if pressed.is_some_and(|a| required.contains(&a)) && comment.trim().is_empty() {
            ev.prevent_default();
            errors.set_field(
                field::COMMENT,
                Some(cases::TransitionError::CommentRequired.to_string()),
            );
        }
    };
    view! {
        <form class="case-form" method="post" enctype="multipart/form-data"
            action={<StaffAct as ServerFn>::PATH} on:submit=on_submit novalidate=true>
            <h3>"Действия"</h3>
            <input type="hidden" name="number" value=number />
            <input type="hidden" name=field::KEY value=idempotency_key() />
            <div class="field">
                <label class="field__label" for="f-comment">"Комментарий для заявителя"</label>
                <textarea class="field__input" id="f-comment" name=field::COMMENT rows="4" maxlength=cases::MAX_TEXT.to_string()
                    aria-describedby="f-comment-error"></textarea>
                <FieldMessage id="f-comment-error" message=errors.field(field::COMMENT) />
            </div>
            <FileInput errors label="Файлы к ответу" />
            <FormError message=errors.form() />
            <div class="cluster">
                {actions.into_iter().map(|a| view! {
                    <button type="submit" name="action" value=a.code()
                        class=if a == Action::Reject { "button button--danger" } else { "button button--primary" }>{a.caption()}</button>
                }).collect_view()}
            </div>
        </form>
    }
}

/// Appeal topics, application topics accepted, FAQ entries.
#[component]
pub fn StaffSettingsPage() -> impl IntoView {
    // Fetched again after each change (its redirect changes the query).
    let search = leptos_router::hooks::use_location().search;
    let settings = Resource::new(move || search.get(), |_| load_staff_settings());
    let topic = ServerAction::<SaveTopic>::new();
    let app_topic = ServerAction::<SetApplicationTopic>::new();
    let faq = ServerAction::<SaveFaq>::new();
    view! {
        <Title text="Настройки" />
        <StaffNav current="/staff/settings" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let s = match settings.await {
                    Ok(s) => s,
                    Err(e) => return view! { <StaffError error=e /> }.into_any(),
                };
                let edit = s.may_edit;
                view! {
                    <section class="card" aria-labelledby="topics-title">
                        <h1 id="topics-title">"Темы обращений"</h1>
                        {(!edit).then(|| view! { <p class="notice">"Изменять настройки может старший специалист или администратор."</p> })}
                        <FormError message=action_error(topic.value(), None) />
                        <ul class="settings-list">
                            {s.topics.into_iter().map(|(id, title, active)| view! {
                                <li>
                                    <ActionForm action=topic attr:class="cluster">
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <label class="visually-hidden" for=format!("f-topic-{id}")>"Название темы"</label>
                                        <input class="field__input" id=format!("f-topic-{id}") name="title" value=title.clone() disabled=!edit />
                                        <label class="checkbox"><input type="checkbox" name="active" value="1" checked=active disabled=!edit />" Показывать"</label>
                                        {edit.then(|| view! { <button type="submit" class="button button--secondary" aria-label=format!("Сохранить тему «{title}»")>"Сохранить"</button> })}
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                        {edit.then(|| view! {
                            <ActionForm action=topic attr:class="cluster">
                                <Field label="Новая тема".to_string() name="title" server_error=action_error(topic.value(), Some("title")) />
                                <button type="submit" class="button button--primary">"Добавить тему"</button>
                            </ActionForm>
                        })}
                    </section>
                    <section class="card" id="application-topics" aria-labelledby="app-topics-title">
                        <h2 id="app-topics-title">"Темы заявлений"</h2>
                        <ul class="settings-list">
                            {cases::TOPICS.iter().map(|t| {
                                let on = !s.topics_off.iter().any(|c| c == t.code);
                                view! {
                                    <li class="cluster">
                                        <span>{t.title}</span>
                                        <span class="status">{if on { "принимаются" } else { "не принимаются" }}</span>
                                        {edit.then(|| view! {
                                            <ActionForm action=app_topic>
                                                <input type="hidden" name="code" value=t.code />
                                                <input type="hidden" name="active" value=if on { "0" } else { "1" } />
                                                <button type="submit" class="button button--secondary"
                                                    aria-label=format!("{} заявления «{}»", if on { "Не принимать" } else { "Принимать" }, t.title)>
                                                    {if on { "Не принимать" } else { "Принимать" }}
                                                </button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card" id="faq" aria-labelledby="faq-title">
                        <h2 id="faq-title">"Вопросы и ответы"</h2>
                        <FormError message=action_error(faq.value(), None) />
                        {s.faq.into_iter().map(|e| {
                            let id = e.id;
                            view! {
                                <ActionForm action=faq attr:class="faq-edit">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <div class="field">
                                        <label class="field__label" for=format!("f-cat-{id}")>"Раздел"</label>
                                        <input class="field__input" id=format!("f-cat-{id}") name="category" value=e.category.clone() disabled=!edit />
                                    </div>
                                    <div class="field">
                                        <label class="field__label" for=format!("f-q-{id}")>"Вопрос"</label>
                                        <input class="field__input" id=format!("f-q-{id}") name="question" value=e.question.clone() disabled=!edit />
                                    </div>
                                    <div class="field">
                                        <label class="field__label" for=format!("f-a-{id}")>"Ответ"</label>
                                        <textarea class="field__input" id=format!("f-a-{id}") name="answer" rows="3" disabled=!edit>{e.answer.clone()}</textarea>
                                    </div>
                                    {edit.then(|| view! {
                                        <div class="cluster">
                                            <button type="submit" class="button button--secondary">"Сохранить"</button>
                                            <button type="submit" name="delete" value="1" class="button button--danger">"Удалить"</button>
                                        </div>
                                    })}
                                </ActionForm>
                            }
                        }).collect_view()}
                        {edit.then(|| view! {
                            <ActionForm action=faq attr:class="faq-edit">
                                <h3>"Новый вопрос"</h3>
                                <Field label="Раздел".to_string() name="category" required=true server_error=action_error(faq.value(), Some("category")) />
                                <Field label="Вопрос".to_string() name="question" required=true server_error=action_error(faq.value(), Some("question")) />
                                <div class="field">
                                    <label class="field__label" for="f-new-answer">"Ответ"</label>
                                    <textarea class="field__input" id="f-new-answer" name="answer" rows="3" aria-describedby="f-new-answer-error"></textarea>
                                    <FieldMessage id="f-new-answer-error" message=action_error(faq.value(), Some("answer")) />
                                </div>
                                <button type="submit" class="button button--primary">"Добавить вопрос"</button>
                            </ActionForm>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The team: staff accounts with their roles (administrators only).
#[component]
pub fn StaffTeamPage() -> impl IntoView {
    let search = leptos_router::hooks::use_location().search;
    let team = Resource::new(move || search.get(), |_| load_team());
    let add = ServerAction::<AddMember>::new();
    let toggle = ServerAction::<SetMemberActive>::new();
    view! {
        <Title text="Сотрудники" />
        <StaffNav current="/staff/team" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let members: Vec<StaffMember> = match team.await {
                    Ok(m) => m,
                    Err(e) => return view! { <StaffError error=e /> }.into_any(),
                };
                view! {
                    <section class="card" aria-labelledby="team-title">
                        <h1 id="team-title">"Сотрудники"</h1>
                        <FormError message=action_error(toggle.value(), None) />
                        <TableWrap label="Учетные записи сотрудников">
                            <table class="table">
                                <caption class="visually-hidden">"Учетные записи сотрудников"</caption>
                                <thead><tr><th scope="col">"Имя"</th><th scope="col">"Логин"</th><th scope="col">"Роль"</th><th scope="col">"Доступ"</th></tr></thead>
                                <tbody>
                                    {members.into_iter().map(|m| view! {
                                        <tr>
                                            <th scope="row">{m.name.clone()}</th>
                                            <td>{m.login.clone()}</td>
                                            <td>{m.role.caption()}</td>
                                            <td>
                                                <ActionForm action=toggle>
                                                    <input type="hidden" name="id" value=m.id.to_string() />
                                                    <input type="hidden" name="active" value=if m.active { "0" } else { "1" } />
                                                    <button type="submit" class="button button--secondary"
                                                        aria-label=format!("{} {}", if m.active { "Отключить" } else { "Включить" }, m.name)>
                                                        {if m.active { "Отключить" } else { "Включить" }}
                                                    </button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableWrap>
                        <h2>"Новый сотрудник"</h2>
                        <ActionForm action=add>
                            <Field label="Логин".to_string() name="login" required=true
                                check=Callback::new(|v: String| cases::check_staff_login(&v).err())
                                server_error=action_error(add.value(), Some("login")) />
                            <Field label="Имя".to_string() name="name" required=true server_error=action_error(add.value(), Some("name")) />
                            <div class="field">
                                <label class="field__label" for="f-role">"Роль"</label>
                                <select class="field__input" id="f-role" name="role">
                                    {Role::ALL.iter().map(|r| view! { <option value=r.code()>{r.caption()}</option> }).collect_view()}
                                </select>
                            </div>
                            <Field label="Пароль".to_string() name="password" required=true password=true autocomplete="new-password"
                                check=Callback::new(|v: String| shared::password::Password::parse(&v).err())
                                server_error=action_error(add.value(), Some("password")) />
                            <FormError message=action_error(add.value(), None) />
                            <button type="submit" class="button button--primary">"Добавить сотрудника"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The audit log: who did what and when (P-6).
#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let audit = Resource::new(|| (), |_| load_audit());
    view! {
        <Title text="Журнал действий" />
        <StaffNav current="/staff/audit" />
        <section class="card" aria-labelledby="audit-title">
            <h1 id="audit-title">"Журнал действий"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match audit.await {
                        Ok(rows) => view! {
                            <TableWrap label="Действия сотрудников, сначала новые">
                                <table class="table">
                                    <caption class="visually-hidden">"Действия сотрудников, сначала новые"</caption>
                                    <thead><tr><th scope="col">"Когда"</th><th scope="col">"Кто"</th><th scope="col">"Действие"</th><th scope="col">"Объект"</th><th scope="col">"Подробности"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            // An empty cell has no text node to hydrate.
                                            <tr><td>{r.at}</td><td>{r.staff}</td><td>{r.action}</td><th scope="row">{or_dash(r.target)}</th><td>{or_dash(r.detail)}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableWrap>
                        }.into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
