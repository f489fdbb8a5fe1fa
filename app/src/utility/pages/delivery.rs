//! «Профиль» → «Способ получения квитанции» (U-PRF-4) and «Рассылка уведомлений и рекламной
//! продукции» (U-PRF-5).

use super::accounts::ApiErrorCard;
use super::profile::ProfileNav;
use crate::components::field::{Field, FormEcho, FormError, action_error};
use crate::components::loading;
use crate::components::table::TableWrap;
use crate::components::upload::FieldMessage;
use crate::utility::api::delivery::{
    SaveNoticePrefs, SaveReceiptSetting, load_notice_prefs, load_receipt_settings,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::utility::delivery::*;

/// Counts an action's successful answers (with script), to fetch what it changed again.
fn successful<A>(action: ServerAction<A>) -> RwSignal<u32>
where
    A: leptos::server_fn::ServerFn<Output = ()> + Clone + Send + Sync + 'static,
    A::Error: Clone + Send + Sync + 'static,
{
    let count = RwSignal::new(0);
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            count.update(|n| *n += 1);
        }
    });
    count
}

/// Every account's receipt delivery, and the form for one of them.
#[component]
pub fn ReceiptsPage() -> impl IntoView {
    let save = ServerAction::<SaveReceiptSetting>::new();
    let query = use_query_map();
    // Fetched again after each successful save; a refused form keeps what the customer chose.
    let saves = successful(save);
    let settings = Resource::new(
        move || (saves.get(), query.read().get("saved")),
        |_| load_receipt_settings(),
    );
    let saved = move || query.read().get("saved").is_some();
    view! {
        <Title text="Способ получения квитанции" />
        <ProfileNav current="/profile/receipts" />
        <section class="card" aria-labelledby="receipts-title">
            <h1 id="receipts-title">"Способ получения квитанции"</h1>
            <p>"Откажитесь от бумажной квитанции: электронная квитанция приходит в личный кабинет и на электронную почту."</p>
            {move || saved().then(|| view! {
                <p class="notice notice--success" role="status">{RECEIPT_SAVED_MESSAGE}</p>
            })}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <ReceiptChoice settings save /> }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// How an account's receipts come now, in words.
fn delivery_caption(setting: &ReceiptSetting, profile_email: Option<&str>) -> String {
    if !setting.allowed {
        return "Бумажная квитанция (электронная недоступна)".to_string();
    }
    match (setting.electronic, setting.address_in_use(profile_email)) {
        (true, Some(address)) => format!("Электронная квитанция на {address}"),
        (true, None) => "Электронная квитанция (нет адреса электронной почты)".to_string(),
        (false, _) => "Бумажная квитанция".to_string(),
    }
}

#[component]
fn ReceiptChoice(
    settings: ReceiptSettings,
    save: ServerAction<SaveReceiptSetting>,
) -> impl IntoView {
    let query = use_query_map();
    let profile_email = settings.profile_email.clone();
    let allowed: Vec<ReceiptSetting> = settings
        .accounts
        .iter()
        .filter(|a| a.allowed)
        .cloned()
        .collect();
    if settings.accounts.is_empty() {
        return view! {
            <p class="notice">"Привяжите лицевой счет на главной странице, чтобы выбрать способ получения квитанции."</p>
        }
        .into_any();
    }
    let asked = query
        .read_untracked()
        .get("account")
        .and_then(|a| a.parse::<i64>().ok());
    let editing_email =
        query.read_untracked().get("edit").as_deref() == Some("email") || profile_email.is_none();
    let first = allowed
        .iter()
        .find(|a| Some(a.account) == asked)
        .or(allowed.first())
        .cloned();
    let items = settings
        .accounts
        .iter()
        .map(|a| {
            let caption = delivery_caption(a, profile_email.as_deref());
            let change = a.allowed.then(|| {
                view! {
                    " "
                    <a href=format!("/profile/receipts?account={}", a.account)
                        aria-label=format!("Изменить способ получения квитанции по лицевому счету № {}", a.number)>"Изменить"</a>
                }
            });
            view! {
                <li class="receipt-line">
                    <strong>{format!("Лицевой счет № {}", a.number)}</strong>
                    <span>{a.address.clone()}</span>
                    <span>{caption}{change}</span>
                </li>
            }
        })
        .collect_view();
    let table = view! {
        <ul class="receipt-lines" aria-label="Лицевые счета личного кабинета">{items}</ul>
    };
    let Some(first) = first else {
        return view! {
            {table}
            <p class="notice">"Поставщик не направляет электронные квитанции по подключенным лицевым счетам."</p>
        }
        .into_any();
    };
    let accounts = StoredValue::new(allowed);
    let profile = StoredValue::new(profile_email.clone());
    let chosen = RwSignal::new(first.account);
    let electronic = RwSignal::new(first.electronic);
    let email = RwSignal::new(first.email.clone().unwrap_or_default());
    // A refused form without script comes back as it was sent.
    if let Some(echo) = use_context::<FormEcho>()
        && let Some(account) = echo.0.get("account").and_then(|a| a.parse::<i64>().ok())
        && accounts.with_value(|list| list.iter().any(|a| a.account == account))
    {
        chosen.set(account);
        electronic.set(echo.0.contains_key("electronic"));
        email.set(echo.0.get("email").cloned().unwrap_or_default());
    }
    let shown_address = move || {
        let own = email.get();
        if own.trim().is_empty() {
            profile.get_value().unwrap_or_default()
        } else {
            own
        }
    };
    // Another account chosen (with script): its own state in the fields.
    let choose = move |id: i64| {
        chosen.set(id);
        if let Some(a) = accounts.with_value(|list| list.iter().find(|a| a.account == id).cloned())
        {
            electronic.set(a.electronic);
            email.set(a.email.unwrap_or_default());
        }
    };
    let live = move |field: &'static str| {
        check_receipt_choice(
            true,
            electronic.get(),
            &email.get(),
            profile.get_value().as_deref(),
        )
        .err()
        .filter(|(f, _)| *f == field)
        .map(|(_, m)| m)
    };
    let email_check = Callback::new(move |value: String| {
        check_receipt_choice(
            true,
            electronic.get_untracked(),
            &value,
            profile.get_value().as_deref(),
        )
        .err()
        .filter(|(f, _)| *f == "email")
        .map(|(_, m)| m)
    });
    let electronic_error = Signal::derive(move || {
        action_error(save.value(), Some("electronic"))
            .get()
            .or_else(|| live("electronic"))
    });
    view! {
        {table}
        <h2>"Изменить способ получения"</h2>
        <ActionForm action=save>
            <div class="field">
                <label class="field__label" for="receipt-account">"Лицевой счет"</label>
                <select id="receipt-account" name="account" class="field__input"
                    on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                            choose(id);
                        }
                    }>
                    {accounts.get_value().into_iter().map(|a| {
                        let id = a.account;
                        view! {
                            <option value=id.to_string() selected=move || chosen.get() == id>
                                {format!("№ {} — {}", a.number, a.address)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <label class="checkbox">
                <input type="checkbox" name="electronic" value="yes"
                    aria-describedby="electronic-error"
                    checked=move || electronic.get()
                    prop:checked=move || electronic.get()
                    on:change=move |ev| electronic.set(event_target_checked(&ev)) />
                " Электронная квитанция"
            </label>
            <FieldMessage id="electronic-error".to_string() message=electronic_error />
            {if editing_email {
                view! {
                    <Field label="Адрес электронной почты".to_string() name="email" input_type="email"
                        autocomplete="email" value=email check=email_check
                        server_error=action_error(save.value(), Some("email"))
                        hint="Пустое поле — квитанция приходит на подтвержденный адрес из профиля. Адрес в профиле не изменится." />
                }.into_any()
            } else {
                view! {
                    <input type="hidden" name="email" value=email.get_untracked() prop:value=move || email.get() />
                    <p class="receipt-address">
                        "Адрес электронной почты: " <strong>{shown_address}</strong> " "
                        <a class="button button--secondary"
                            href=move || format!("/profile/receipts?account={}&edit=email", chosen.get())
                            aria-label="Редактировать адрес электронной почты для квитанций">"Редактировать"</a>
                    </p>
                    <FieldMessage id="email-error".to_string() message=action_error(save.value(), Some("email")) />
                }.into_any()
            }}
            <p class="field__hint">{RECEIPT_FROM_NEXT_MESSAGE}</p>
            <FormError message=action_error(save.value(), None) />
            <button type="submit" class="button button--primary">"Сохранить"</button>
        </ActionForm>
    }
    .into_any()
}

/// The notices per kind and channel, for every account of the cabinet.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let save = ServerAction::<SaveNoticePrefs>::new();
    let query = use_query_map();
    let saves = successful(save);
    let prefs = Resource::new(
        move || (saves.get(), query.read().get("saved")),
        |_| load_notice_prefs(),
    );
    let saved = move || query.read().get("saved").is_some();
    view! {
        <Title text="Рассылка уведомлений и рекламной продукции" />
        <ProfileNav current="/profile/notifications" />
        <section class="card" aria-labelledby="prefs-title">
            <h1 id="prefs-title">"Рассылка уведомлений и рекламной продукции"</h1>
            <p>"Выберите, какие уведомления и куда присылать. Настройка действует для всех лицевых счетов личного кабинета."</p>
            {move || saved().then(|| view! {
                <p class="notice notice--success" role="status">{PREFS_SAVED_MESSAGE}</p>
            })}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match prefs.await {
                        Ok(prefs) => view! { <PrefsForm prefs save /> }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PrefsForm(prefs: NoticePrefs, save: ServerAction<SaveNoticePrefs>) -> impl IntoView {
    // A refused form without script comes back with what was ticked.
    let echo = use_context::<FormEcho>().filter(|e| e.0.keys().any(|k| k.starts_with("on[")));
    let initially_on = |kind: NoticeKind, channel: NoticeChannel| match &echo {
        Some(echo) => echo.0.values().any(|v| *v == pref_field(kind, channel)),
        None => prefs.on.contains(&(kind, channel)),
    };
    let mut index = 0;
    let mut cells: Vec<((NoticeKind, NoticeChannel), RwSignal<bool>, usize)> = Vec::new();
    for kind in NoticeKind::ALL {
        for channel in NoticeChannel::ALL {
            cells.push((
                (kind, channel),
                RwSignal::new(initially_on(kind, channel)),
                index,
            ));
            index += 1;
        }
    }
    let consent = RwSignal::new(match &echo {
        Some(echo) => echo.0.contains_key("advertising_consent"),
        None => prefs.advertising_consent,
    });
    let cells = StoredValue::new(cells);
    let edited = RwSignal::new(false);
    Effect::new(move |_| {
        save.version().track();
        edited.set(false);
    });
    let consent_error = Signal::derive(move || {
        if edited.get() {
            let on = cells.with_value(|cells| {
                cells
                    .iter()
                    .filter(|(_, on, _)| on.get())
                    .map(|(pair, _, _)| *pair)
                    .collect()
            });
            NoticePrefs {
                on,
                advertising_consent: consent.get(),
            }
            .check()
            .err()
        } else {
            action_error(save.value(), Some("advertising_consent")).get()
        }
    });
    let rows = NoticeKind::ALL
        .into_iter()
        .map(|kind| {
            let boxes = NoticeChannel::ALL
                .into_iter()
                .map(|channel| {
                    let (on, i) = cells.with_value(|cells| {
                        cells
                            .iter()
                            .find(|(pair, _, _)| *pair == (kind, channel))
                            .map(|(_, on, i)| (*on, *i))
                    }).unwrap_or((RwSignal::new(false), 0));
                    view! {
                        <td class="prefs__cell">
                            <input type="checkbox" name=format!("on[{i}]") value=pref_field(kind, channel)
                                aria-label=format!("{}: {}", kind.caption(), channel.caption())
                                checked=move || on.get()
                                on:change=move |ev| {
                                    on.set(event_target_checked(&ev));
                                    edited.set(true);
                                } />
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{kind.caption()}</th>{boxes}</tr> }
        })
        .collect_view();
    view! {
        <ActionForm action=save>
            <TableWrap label="Уведомления по всем лицевым счетам">
                <table class="table prefs">
                    <caption>"Уведомления по всем лицевым счетам"</caption>
                    <thead><tr>
                        <th scope="col">"Уведомления"</th>
                        {NoticeChannel::ALL.into_iter().map(|c| view! { <th scope="col">{c.caption()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableWrap>
            <p class="field__hint">"E-mail приходит на подтвержденный адрес из профиля, SMS — на номер телефона из профиля."</p>
            <label class="checkbox">
                <input type="checkbox" name="advertising_consent" value="yes"
                    aria-describedby="advertising-consent-error"
                    checked=move || consent.get()
                    on:change=move |ev| {
                        consent.set(event_target_checked(&ev));
                        edited.set(true);
                    } />
                " " {ADVERTISING_CONSENT_LABEL}
            </label>
            <FieldMessage id="advertising-consent-error".to_string() message=consent_error />
            <FormError message=action_error(save.value(), None) />
            <button type="submit" class="button button--primary">"Сохранить"</button>
        </ActionForm>
    }
}
