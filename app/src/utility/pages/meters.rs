//! `/accounts/:id/meters`: «Приборы учета» (U-MTR-1..4): «Описание приборов учета»,
//! «Показания прибора учета» and «Передать показания».

use super::accounts::{AccountNav, ApiErrorCard, account_param};
use super::billing::{PeriodFilter, SectionTabs, use_tab};
use super::details::Meters;
use crate::components::field::{FormEcho, FormError, action_error};
use crate::components::idempotency::idempotency_key;
use crate::components::table::TableWrap;
use crate::utility::api::accounts::load_details;
use crate::utility::api::meters::{SubmitReadings, load_reading_history, load_reading_sheet};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::utility::billing::WindowStatus;
use shared::utility::readings::{
    Consumption, HIGH_CONSUMPTION_WARNING, READINGS_SENT_MESSAGE, ReadingHistory, ReadingRow,
    ReadingSheet, format_reading, window_closed_message,
};

const TABS: [(&str, &str); 3] = [
    ("send", "Передать показания"),
    ("history", "Показания прибора учета"),
    ("about", "Описание приборов учета"),
];

#[component]
pub fn MetersPage() -> impl IntoView {
    let id = account_param();
    let tab = use_tab(&TABS);
    view! {
        <Title text="Приборы учета" />
        {move || match id.get() {
            None => view! { <ApiErrorCard error=shared::ApiError::NotFound /> }.into_any(),
            Some(account) => view! {
                <section class="card meters" aria-labelledby="meters-title">
                    <h1 id="meters-title">"Приборы учета"</h1>
                    <AccountNav account current="meters" />
                    <SectionTabs account section="meters" tabs=&TABS current=tab />
                    {move || match tab.get() {
                        "history" => view! { <HistoryTab account /> }.into_any(),
                        "about" => view! { <AboutTab account /> }.into_any(),
                        _ => view! { <SendTab account /> }.into_any(),
                    }}
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn AboutTab(account: i64) -> impl IntoView {
    let details = Resource::new(move || account, load_details);
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => view! { <Meters d /> }.into_any(),
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryTab(account: i64) -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        let q = query.read();
        (q.get("from"), q.get("to"))
    };
    let history = Resource::new(range, move |(from, to)| {
        load_reading_history(account, from, to)
    });
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => view! { <HistoryTable account h /> }.into_any(),
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryTable(account: i64, h: ReadingHistory) -> impl IntoView {
    view! {
        <PeriodFilter action=format!("/accounts/{account}/meters") allowed=h.allowed range=h.range
            limited=h.limited keep=vec![("tab", "history".to_string())] />
        {if h.readings.is_empty() {
            view! { <p class="notice">"За выбранный период показаний нет."</p> }.into_any()
        } else {
            view! {
                <TableWrap label="Показания приборов учета">
                    <table class="table">
                        <caption class="visually-hidden">"Показания приборов учета"</caption>
                        <thead><tr>
                            <th scope="col">"Месяц"</th>
                            <th scope="col">"Прибор учета"</th>
                            <th scope="col" class="num">"Показания"</th>
                            <th scope="col">"Дата"</th>
                            <th scope="col">"Источник"</th>
                            <th scope="col">"Принято к расчету"</th>
                        </tr></thead>
                        <tbody>
                            {h.readings.into_iter().map(|r| view! {
                                <tr>
                                    <td>{r.period.caption()}</td>
                                    <th scope="row">{format!("{} № {}{}", r.service, r.serial, r.zone.suffix())}</th>
                                    <td class="num">{r.value}</td>
                                    <td>{r.taken_on}</td>
                                    <td>{r.source}</td>
                                    <td>{if r.accepted { "да" } else { "на проверке" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableWrap>
            }.into_any()
        }}
    }
}

/// The result of the last submission of a readings form.
type Outcome = Signal<Option<Result<(), shared::ApiError>>>;

/// The key of the next submission: a new one once a submission is stored, so that a
/// correction is a submission of its own while a repeated request stays the same.
fn submission_key(outcome: Outcome) -> RwSignal<String> {
    let key = RwSignal::new(idempotency_key());
    Effect::new(move |_| {
        if let Some(Ok(())) = outcome.get() {
            key.set(idempotency_key());
        }
    });
    key
}

/// «Показания переданы.» for the last sending: its own answer on a page with script, the
/// redirect's `done` without script; nothing while a sending is on its way or after a refusal
/// (the message of an earlier sending never stands beside a new one's outcome).
fn sent_notice(
    done: impl Fn() -> bool + Send + Sync + 'static,
    outcome: Outcome,
    pending: Signal<bool>,
) -> impl IntoView {
    move || {
        let sent = !pending.get() && outcome.get().map_or_else(&done, |r| r.is_ok());
        sent.then(|| view! { <p class="notice notice--success" role="status">{READINGS_SENT_MESSAGE}</p> })
    }
}

/// The confirmation a consumption far above the usual waits for, once the server asked.
#[component]
fn ConfirmHigh(outcome: Outcome) -> impl IntoView {
    let warned = move || {
        outcome.get().and_then(Result::err).is_some_and(|e| {
            matches!(&e, shared::ApiError::Invalid { fields } if fields.iter().any(|f| f.message == HIGH_CONSUMPTION_WARNING))
        })
    };
    view! {
        <Show when=warned>
            <label class="checkbox">
                <input type="checkbox" name="confirm" value="yes" />
                " Показания верны, передать их"
            </label>
        </Show>
    }
}

/// The table of «Передать показания»: its head, and a [`ReadingLine`] per row as children.
#[component]
fn ReadingsTable(#[prop(into)] caption: String, children: Children) -> impl IntoView {
    view! {
        <TableWrap label=caption.clone()>
            <table class="table readings">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    <th scope="col">"Прибор учета"</th>
                    <th scope="col" class="num">"Предыдущие показания"</th>
                    <th scope="col">"Текущие показания"</th>
                    <th scope="col" class="num">"Расход"</th>
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </TableWrap>
    }
}

#[component]
fn SendTab(account: i64) -> impl IntoView {
    let sheet = Resource::new(move || account, load_reading_sheet);
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(s) => view! { <SendForm s /> }.into_any(),
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form [Сбросить показания] submits without script: the page again, its inputs empty.
const RESET_FORM: &str = "readings-reset";

/// «Передать показания»: a row per meter and zone, «Расход» computed as the customer types.
#[component]
fn SendForm(s: ReadingSheet) -> impl IntoView {
    let query = use_query_map();
    let done = move || query.read().get("done").is_some();
    // [Сбросить показания] without script comes back here with `blank`: the inputs start empty.
    let blank = query.read_untracked().get("blank").is_some();
    let submit = ServerAction::<SubmitReadings>::new();
    let echo = use_context::<FormEcho>();
    let last_error: Outcome = Signal::derive(move || submit.value().get());
    let status = match s.status {
        WindowStatus::Open { .. } => s.status.caption(),
        WindowStatus::Closed { .. } => window_closed_message(s.window),
    };
    if !s.is_open() {
        return view! {
            {move || done().then(|| view! { <p class="notice notice--success" role="status">{READINGS_SENT_MESSAGE}</p> })}
            <p class="notice notice--warning" role="status">{status}</p>
            <p>{format!("{}.", s.status.caption())}</p>
        }
        .into_any();
    }
    if s.rows.is_empty() {
        return view! { <p class="notice">"По лицевому счету нет приборов учета."</p> }.into_any();
    }
    let key = submission_key(last_error);
    let rows: Vec<(usize, ReadingRow, RwSignal<String>)> = s
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let typed = echo
                .as_ref()
                .and_then(|e| e.0.get(&format!("values[{i}]")).cloned())
                .or_else(|| row.sent.map(|v| format_reading(v, row.dial)))
                .filter(|_| !blank)
                .unwrap_or_default();
            (i, row, RwSignal::new(typed))
        })
        .collect();
    let signals: Vec<RwSignal<String>> = rows.iter().map(|(_, _, v)| *v).collect();
    view! {
        {sent_notice(done, last_error, submit.pending().into())}
        <p class="notice" role="status">{format!("{} (прием показаний {}).", status, s.window.caption())}</p>
        <ActionForm action=submit>
            <input type="hidden" name="account" value=s.account.to_string() />
            <input type="hidden" name="key" value=key.get_untracked() prop:value=move || key.get() />
            <ReadingsTable caption="Передать показания">
                {rows.into_iter().map(|(i, row, value)| view! { <ReadingLine i row value error=last_error /> }).collect_view()}
            </ReadingsTable>
            <ConfirmHigh outcome=last_error />
            <FormError message=action_error(submit.value(), None) />
            <div class="cluster">
                <button type="submit" class="button button--primary">"Передать показания"</button>
                // Clears every input, the values already sent this month included (a form's
                // own reset would bring those back). Without script it submits the form below.
                <button type="submit" form=RESET_FORM class="button button--secondary"
                    on:click=move |ev| {
                        ev.prevent_default();
                        signals.iter().for_each(|s| s.set(String::new()));
                    }>"Сбросить показания"</button>
            </div>
        </ActionForm>
        <form id=RESET_FORM method="get" action=format!("/accounts/{}/meters", s.account) hidden>
            <input type="hidden" name="tab" value="send" />
            <input type="hidden" name="blank" value="1" />
        </form>
    }
    .into_any()
}

#[component]
pub fn ReadingLine(
    i: usize,
    row: ReadingRow,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<Result<(), shared::ApiError>>>,
    /// Put before the row's key: «<account>:» when one form holds several accounts.
    #[prop(optional, into)]
    prefix: String,
) -> impl IntoView {
    let key = format!("{prefix}{}", row.key());
    let field = format!("value:{key}");
    let id = format!("reading-{i}");
    let error_id = format!("{id}-error");
    let caption = format!("{} № {}{}", row.service, row.serial, row.zone.suffix());
    let unit = row.unit.clone();
    let checked = {
        let row = row.clone();
        Memo::new(move |_| {
            let typed = value.get();
            (!typed.trim().is_empty()).then(|| row.check(&typed))
        })
    };
    let server_message = Signal::derive(move || {
        error
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_message(&field).map(str::to_string))
    });
    let edited = RwSignal::new(false);
    Effect::new(move |_| {
        server_message.track();
        edited.set(false);
    });
    let confirming = StoredValue::new(row.clone());
    let message = move || {
        if let Some(Err(m)) = checked.get() {
            return Some(m);
        }
        if let Some(Ok(c)) = checked.get()
            && confirming.with_value(|r| r.needs_confirmation(&value.get(), c))
        {
            return Some(HIGH_CONSUMPTION_WARNING.to_string());
        }
        if edited.get() {
            None
        } else {
            server_message.get()
        }
    };
    let used = {
        let unit = unit.clone();
        let dial = row.dial;
        move || match checked.get() {
            Some(Ok(Consumption::Used(n))) => format!("{} {unit}", format_reading(n, dial)),
            Some(Ok(Consumption::Rolled(n))) => {
                format!(
                    "{} {unit} (счетчик перешел через ноль)",
                    format_reading(n, dial)
                )
            }
            Some(Ok(Consumption::First)) => "первое показание".to_string(),
            _ => "—".to_string(),
        }
    };
    let previous = row.previous.map_or_else(
        || "нет".to_string(),
        |p| {
            format!(
                "{} {}{}",
                format_reading(p, row.dial),
                row.unit,
                row.previous_on
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )
        },
    );
    let blocked = row.blocked.clone();
    // On the page of all accounts the inputs start empty: say what was already sent.
    let sent_note = (!prefix.is_empty())
        .then(|| {
            row.sent
                .map(|v| format!("Передано в этом месяце: {}", format_reading(v, row.dial)))
        })
        .flatten();
    view! {
        <tr class="readings__row">
            <th scope="row">{caption.clone()}</th>
            <td class="num">{previous}</td>
            <td>
                <input type="hidden" name=format!("rows[{i}]") value=key.clone() />
                {match blocked {
                    Some(reason) => view! { <p class="readings__blocked">{reason}</p> }.into_any(),
                    None => view! {
                        <label class="visually-hidden" for=id.clone()>{format!("Текущие показания: {caption}")}</label>
                        <input class="field__input readings__input" id=id.clone() name=format!("values[{i}]")
                            inputmode="decimal" autocomplete="off"
                            prop:value=move || value.get()
                            value=value.get_untracked()
                            aria-invalid=move || message().is_some().then_some("true")
                            aria-describedby=error_id.clone()
                            on:input=move |ev| {
                                value.set(event_target_value(&ev));
                                edited.set(true);
                            } />
                        {sent_note.map(|note| view! { <p class="field__hint">{note}</p> })}
                        <p class="field__error" id=error_id.clone() aria-live="polite">{message}</p>
                    }.into_any(),
                }}
            </td>
            <td class="num" aria-live="polite">{used}</td>
        </tr>
    }
}

/// `/readings`: «Передать показания по всем лицевым счетам» (U-ALL-2): every bound account
/// whose window is open, each meter's row, sent in one go with a result per row.
#[component]
pub fn AllReadingsPage() -> impl IntoView {
    let sheets = Resource::new(
        || (),
        |_| crate::utility::api::meters::load_reading_sheets(),
    );
    view! {
        <Title text="Передать показания по всем лицевым счетам" />
        <section class="card meters" aria-labelledby="all-readings-title">
            <h1 id="all-readings-title">"Передать показания по всем лицевым счетам"</h1>
            <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match sheets.await {
                        Ok(list) => view! { <AllReadingsForm list /> }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AllReadingsForm(list: Vec<ReadingSheet>) -> impl IntoView {
    use crate::utility::api::meters::SubmitAllReadings;
    let query = use_query_map();
    let done = move || query.read().get("done").is_some();
    let submit = ServerAction::<SubmitAllReadings>::new();
    let echo = use_context::<FormEcho>();
    let last_error: Outcome = Signal::derive(move || submit.value().get());
    let key = submission_key(last_error);
    let (open, closed): (Vec<ReadingSheet>, Vec<ReadingSheet>) = list
        .into_iter()
        .partition(|s| s.is_open() && !s.rows.is_empty());
    let mut index = 0;
    let tables = open
        .into_iter()
        .map(|s| {
            let prefix = format!("{}:", s.account);
            let account_field = format!("account:{}", s.account);
            let account_error = Signal::derive(move || {
                last_error
                    .get()
                    .and_then(Result::err)
                    .and_then(|e| e.field_message(&account_field).map(str::to_string))
            });
            let lines = s
                .rows
                .into_iter()
                .map(|row| {
                    let i = index;
                    index += 1;
                    // Only what the customer types here is sent: what was sent before is
                    // shown beside the input, not put into it.
                    let typed = echo
                        .as_ref()
                        .and_then(|e| e.0.get(&format!("values[{i}]")).cloned())
                        .unwrap_or_default();
                    view! {
                        <ReadingLine i row value=RwSignal::new(typed) prefix=prefix.clone()
                            error=last_error />
                    }
                })
                .collect_view();
            view! {
                <h2>{format!("Лицевой счет № {}", s.number)}</h2>
                <p class="field__error" aria-live="polite">{account_error}</p>
                <ReadingsTable caption=format!("Показания по лицевому счету № {}", s.number)>
                    {lines}
                </ReadingsTable>
            }
        })
        .collect_view();
    let any_open = index > 0;
    view! {
        {sent_notice(done, last_error, submit.pending().into())}
        {closed.into_iter().map(|s| view! {
            <p class="notice">{format!("Лицевой счет № {}: {}", s.number, if s.rows.is_empty() { "нет приборов учета.".to_string() } else { window_closed_message(s.window) })}</p>
        }).collect_view()}
        {any_open.then(|| view! {
            <ActionForm action=submit>
                <input type="hidden" name="key" value=key.get_untracked() prop:value=move || key.get() />
                {tables}
                <ConfirmHigh outcome=last_error />
                <FormError message=action_error(submit.value(), None) />
                <button type="submit" class="button button--primary">"Передать показания"</button>
            </ActionForm>
        })}
    }
}
