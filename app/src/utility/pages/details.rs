//! `/accounts/:id/details`: «Реквизиты лицевого счета» (U-DET-1..4): the account's data with
//! [Редактировать] (an application to change it), services, meters with
//! [Уведомить о неисправности], and the tariff history with the approving documents.

use super::accounts::{AccountNav, ApiErrorCard, account_param};
use super::billing::PeriodFilter;
use crate::components::field::{Field, FormError, action_error};
use crate::components::idempotency::idempotency_key;
use crate::components::table::TableWrap;
use crate::utility::api::accounts::{
    ReportMeterFault, RequestDetailsChange, load_details, load_tariffs,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::utility::billing::{self, AccountDetails, DETAIL_FIELDS, Stove, TariffHistory, Zone};

#[component]
pub fn DetailsPage() -> impl IntoView {
    let id = account_param();
    let details = Resource::new(
        move || id.get(),
        |id| async move { load_details(id.ok_or(shared::ApiError::NotFound)?).await },
    );
    view! {
        <Title text="Реквизиты лицевого счета" />
        <Suspense fallback=|| view! { <p class="card skeleton" aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => view! { <Details d /> }.into_any(),
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Details(d: AccountDetails) -> impl IntoView {
    let query = use_query_map();
    let editing = move || query.read().get("edit").is_some();
    let sent = move || query.read().get("sent");
    let account = d.card.id;
    let rows = DETAIL_FIELDS
        .iter()
        .map(|(key, caption)| (*caption, d.field_value(key)))
        .collect::<Vec<_>>();
    let for_form = d.clone();
    view! {
        <section class="card account-details" aria-labelledby="details-title">
            <h1 id="details-title">"Реквизиты лицевого счета"</h1>
            <p class="account-details__number">{format!("Лицевой счет № {} — {}", d.card.number, d.card.address)}</p>
            <AccountNav account current="details" />
            {move || sent().map(|number| view! {
                <p class="notice notice--success" role="status">
                    {format!("Ваше обращение принято в работу. Номер заявления: {number}.")}
                </p>
            })}
            <h2>"Данные лицевого счета"</h2>
            <dl class="summary">
                {rows.into_iter().map(|(caption, value)| view! { <dt>{caption}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            <Show
                when=editing
                fallback=move || view! {
                    <p>
                        <a class="button button--secondary" href=format!("/accounts/{account}/details?edit=1#change")
                            aria-label="Редактировать данные лицевого счета">"Редактировать"</a>
                        " — заявление на изменение данных"
                    </p>
                }
            >
                <ChangeApplication d=for_form.clone() />
            </Show>
            <h2>"Услуги"</h2>
            {if d.services.is_empty() {
                view! { <p>"Нет начислений за последний год."</p> }.into_any()
            } else {
                let services = d.services.clone();
                view! {
                    <TableWrap label="Услуги лицевого счета">
                        <table class="table">
                            <caption class="visually-hidden">"Услуги лицевого счета"</caption>
                            <thead><tr><th scope="col">"Услуга"</th><th scope="col">"Поставщик"</th><th scope="col">"Единица"</th><th scope="col">"Учет"</th></tr></thead>
                            <tbody>
                                {services.iter().map(|s| view! {
                                    <tr>
                                        <th scope="row">{s.service.clone()}</th>
                                        <td>{s.supplier.clone()}</td>
                                        <td>{s.unit.clone()}</td>
                                        <td>{if s.metered { "по прибору учета" } else { "по нормативу" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableWrap>
                }.into_any()
            }}
            <h2>"Приборы учета"</h2>
            <Meters d=d.clone() />
        </section>
        <Tariffs account />
    }
}

/// [Редактировать]: the values the customer wants; only the changed ones are sent.
#[component]
fn ChangeApplication(d: AccountDetails) -> impl IntoView {
    let change = ServerAction::<RequestDetailsChange>::new();
    let account = d.card.id;
    let key = idempotency_key();
    let text_field = move |key: &'static str, caption: &'static str, value: String| {
        let value = RwSignal::new(value);
        view! {
            <Field label=caption.to_string() name=key value
                check=Callback::new(move |v: String| billing::check_detail_value(key, &v).err())
                server_error=action_error(change.value(), Some(key)) />
        }
    };
    let select = |key: &'static str,
                  caption: &'static str,
                  options: Vec<&'static str>,
                  current: String| {
        view! {
            <div class="field">
                <label class="field__label" for=format!("f-{key}")>{caption}</label>
                <select class="field__input" id=format!("f-{key}") name=key>
                    {options.into_iter().map(|o| view! { <option value=o selected=o == current>{o}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let stoves = vec![
        Stove::Gas.caption(),
        Stove::Electric.caption(),
        Stove::None.caption(),
    ];
    view! {
        <div class="change-application" id="change">
            <h3>"Заявление на изменение данных"</h3>
            <p>"Измените нужные значения: данные изменятся после проверки заявления. Приложите подтверждающие документы в разделе «Документы и заявления», если они нужны."</p>
            <ActionForm action=change>
                <input type="hidden" name="account" value=account.to_string() />
                <input type="hidden" name="key" value=key />
                {text_field("owner_name", "ФИО", d.field_value("owner_name"))}
                {text_field("total_area", "Общая площадь, м²", d.field_value("total_area"))}
                {text_field("living_area", "Жилая площадь, м²", d.field_value("living_area"))}
                {text_field("owners", "Количество собственников", d.field_value("owners"))}
                {text_field("residents", "Количество зарегистрированных/проживающих", d.field_value("residents"))}
                {text_field("rooms", "Количество комнат", d.field_value("rooms"))}
                {select("stove", "Тип плиты", stoves, d.field_value("stove"))}
                {select("electric_heating", "Наличие электроотопительной установки", vec!["есть", "нет"], d.field_value("electric_heating"))}
                <div class="field">
                    <label class="field__label" for="f-comment">"Комментарий"</label>
                    <textarea class="field__input" id="f-comment" name="comment" rows="3" maxlength="2000"></textarea>
                    <p class="field__error" aria-live="polite">{move || action_error(change.value(), Some("comment")).get()}</p>
                </div>
                <FormError message=action_error(change.value(), None) />
                <div class="cluster">
                    <button type="submit" class="button button--primary">"Отправить заявление"</button>
                    <a class="button button--secondary" href=format!("/accounts/{account}/details")>"Отменить"</a>
                </div>
            </ActionForm>
        </div>
    }
}

/// The account's meters (U-MTR-1): by service, [Раскрыть информацию], [Уведомить о
/// неисправности]; a notice when there are none.
#[component]
pub fn Meters(d: AccountDetails) -> impl IntoView {
    let query = use_query_map();
    let fault_for = move || {
        query
            .read()
            .get("fault")
            .and_then(|m| m.parse::<i64>().ok())
    };
    let account = d.card.id;
    if d.meters.is_empty() {
        return view! { <p>"По лицевому счету нет данных о приборах учета."</p> }.into_any();
    }
    view! {
        <ul class="meter-list">
            {d.meters.into_iter().map(|m| {
                let meter = m.id;
                let zones = match m.zones {
                    1 => "однотарифный".to_string(),
                    n => format!("{n}-тарифный"),
                };
                view! {
                    <li class="meter">
                        <h3 class="meter__title">{format!("{} — прибор учета № {}", m.service, m.serial)}</h3>
                        <details class="meter__more">
                            <summary>"Раскрыть информацию"</summary>
                        <dl class="summary">
                            <dt>"Тип"</dt><dd>{format!("{zones}, {} знаков до запятой, {} после", m.digits, m.fraction_digits)}</dd>
                            <dt>"Место установки"</dt><dd>{m.place.clone()}</dd>
                            <dt>"Дата установки"</dt><dd>{m.installed_on.clone()}</dd>
                            <dt>"Дата следующей поверки"</dt><dd>{m.verified_until.clone()}</dd>
                        </dl>
                        </details>
                        <Show
                            when=move || fault_for() == Some(meter)
                            fallback=move || view! {
                                <a class="button button--secondary" href=format!("/accounts/{account}/details?fault={meter}#fault-{meter}")
                                    aria-label=format!("Уведомить о неисправности прибора учета № {}", m.serial)>"Уведомить о неисправности"</a>
                            }
                        >
                            <FaultForm account meter />
                        </Show>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// [Уведомить о неисправности] (U-DET-3).
#[component]
fn FaultForm(account: i64, meter: i64) -> impl IntoView {
    let fault = ServerAction::<ReportMeterFault>::new();
    let key = idempotency_key();
    view! {
        <ActionForm action=fault attr:id=format!("fault-{meter}")>
            <input type="hidden" name="account" value=account.to_string() />
            <input type="hidden" name="meter" value=meter.to_string() />
            <input type="hidden" name="key" value=key />
            <div class="field">
                <label class="field__label" for=format!("f-description-{meter}")>
                    "Опишите неисправность" <span class="field__required" aria-hidden="true">"*"</span>
                </label>
                <textarea class="field__input" id=format!("f-description-{meter}") name="description" rows="3"
                    maxlength="2000" required=true aria-required="true"></textarea>
                <p class="field__error" aria-live="polite">{move || action_error(fault.value(), Some("description")).get()}</p>
            </div>
            <FormError message=action_error(fault.value(), None) />
            <div class="cluster">
                <button type="submit" class="button button--primary">"Отправить уведомление"</button>
                <a class="button button--secondary" href=format!("/accounts/{account}/details")>"Отменить"</a>
            </div>
        </ActionForm>
    }
}

/// «История тарифов» (U-DET-4): periods back 3 years, [Скачать] the approving document.
#[component]
fn Tariffs(account: i64) -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        let q = query.read();
        (q.get("from"), q.get("to"))
    };
    let tariffs = Resource::new(range, move |(from, to)| load_tariffs(account, from, to));
    view! {
        <section class="card" aria-labelledby="tariffs-title">
            <h2 id="tariffs-title">"История тарифов"</h2>
            <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match tariffs.await {
                        Ok(t) => view! { <TariffTable account t /> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TariffTable(account: i64, t: TariffHistory) -> impl IntoView {
    let action = format!("/accounts/{account}/details");
    view! {
        <PeriodFilter action allowed=t.allowed range=t.range limited=t.limited />
        {if t.tariffs.is_empty() {
            view! { <p>"За выбранный период тарифов нет."</p> }.into_any()
        } else {
            view! {
                <TableWrap label="Тарифы по периодам">
                    <table class="table">
                        <caption class="visually-hidden">"Тарифы по периодам"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Действует с"</th>
                                <th scope="col">"Услуга"</th>
                                <th scope="col">"Зона суток"</th>
                                <th scope="col" class="num">"Тариф, руб."</th>
                                <th scope="col">"Документ"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {t.tariffs.into_iter().map(|x| {
                                let href = format!("/accounts/{account}/tariffs.pdf?period={}", x.valid_from.param());
                                view! {
                                    <tr>
                                        <td>{x.valid_from.caption()}</td>
                                        <th scope="row">{x.service.clone()}</th>
                                        <td>{if x.zone == Zone::Single { "—".to_string() } else { x.zone.caption().to_string() }}</td>
                                        <td class="num">{format!("{} за {}", x.price.format_number(), x.unit)}</td>
                                        <td>
                                            <span class="tariff-act">{x.act.clone()}</span>
                                            " "
                                            <a href=href download="" aria-label=format!("Скачать документ об утверждении тарифов с {}", x.valid_from.caption_genitive())>"Скачать"</a>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableWrap>
            }.into_any()
        }}
    }
}
