//! `/accounts/:id/billing`: «Начисления и оплаты» (U-PAY-1..5, U-PAY-9, U-PAY-10): Все
//! события, Начисления, Оплата, Баланс and Статистика, for months back 3 years at most.
//! Every choice (tab, period, filters, chart type) is in the address, so the page works and
//! can be bookmarked without script.

use super::accounts::{AccountNav, ApiErrorCard, BalanceText, account_param};
use crate::components::chart::{Chart, ChartKind, ChartSeries};
use crate::components::table::TableWrap;
use crate::utility::api::accounts::{load_history, load_statistics};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::Kopecks;
use shared::utility::billing::{self, BillingHistory, Period, PeriodRange, Statistics, Zone};

const TABS: [(&str, &str); 5] = [
    ("events", "Все события"),
    ("charges", "Начисления"),
    ("payments", "Оплата"),
    ("balance", "Баланс"),
    ("stats", "Статистика"),
];

/// The months to show: two month inputs limited to the allowed range (U-PAY-2), sent as a
/// plain GET form that keeps the page's other choices.
#[component]
pub fn PeriodFilter(
    #[prop(into)] action: String,
    allowed: PeriodRange,
    range: PeriodRange,
    limited: bool,
    /// Other query parameters to keep (tab, filters).
    #[prop(optional)]
    keep: Vec<(&'static str, String)>,
    /// More controls inside the same form.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <form class="period-filter" method="get" action=action>
            {keep.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <div class="period-filter__fields">
                <div class="field">
                    <label class="field__label" for="f-from">"С месяца"</label>
                    <input class="field__input" type="month" id="f-from" name="from" value=range.from.param()
                        min=allowed.from.param() max=allowed.to.param() />
                </div>
                <div class="field">
                    <label class="field__label" for="f-to">"По месяц"</label>
                    <input class="field__input" type="month" id="f-to" name="to" value=range.to.param()
                        min=allowed.from.param() max=allowed.to.param() />
                </div>
                {children.map(|c| c())}
            </div>
            <button type="submit" class="button button--secondary">"Показать"</button>
            {limited.then(|| view! {
                <p class="notice notice--warning" role="status">{billing::period_limited_message(allowed)}</p>
            })}
            <p class="period-filter__hint">
                {format!("Доступны месяцы с {} по {}.", allowed.from.caption_genitive(), allowed.to.caption())}
            </p>
        </form>
    }
}

fn receipt_link(account: i64, period: Period) -> impl IntoView {
    view! {
        <a class="button button--ghost" href=format!("/accounts/{account}/receipt.pdf?period={}", period.param())
            download="" aria-label=format!("Скачать квитанцию за {}", period.caption())>"Скачать квитанцию"</a>
    }
}

/// The subsection the address names (`?tab=`), or the first of `tabs`.
pub fn use_tab(tabs: &'static [(&'static str, &'static str)]) -> Memo<&'static str> {
    let query = use_query_map();
    Memo::new(move |_| {
        let wanted = query.read().get("tab").unwrap_or_default();
        tabs.iter()
            .find(|(key, _)| *key == wanted)
            .or(tabs.first())
            .map_or("", |(key, _)| *key)
    })
}

/// The subsections of an account's section (`/accounts/<id>/<section>?tab=<key>`).
#[component]
pub fn SectionTabs(
    account: i64,
    section: &'static str,
    tabs: &'static [(&'static str, &'static str)],
    current: Memo<&'static str>,
) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Подразделы">
            {tabs.iter().map(|(key, caption)| {
                let here = move || current.get() == *key;
                view! {
                    <a class="tabs__tab" class:tabs__tab--current=here
                        href=format!("/accounts/{account}/{section}?tab={key}")
                        aria-current=move || here().then_some("page")>{*caption}</a>
                }
            }).collect_view()}
        </nav>
    }
}

#[component]
pub fn BillingPage() -> impl IntoView {
    let id = account_param();
    let tab = use_tab(&TABS);
    view! {
        <Title text="Начисления и оплаты" />
        {move || match id.get() {
            None => view! { <ApiErrorCard error=shared::ApiError::NotFound /> }.into_any(),
            Some(account) => view! {
                <section class="card billing" aria-labelledby="billing-title">
                    <h1 id="billing-title">"Начисления и оплаты"</h1>
                    <AccountNav account current="billing" />
                    <SectionTabs account section="billing" tabs=&TABS current=tab />
                    {move || if tab.get() == "stats" {
                        view! { <StatisticsTab account /> }.into_any()
                    } else {
                        view! { <HistoryTab account tab=tab.get() /> }.into_any()
                    }}
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn HistoryTab(account: i64, tab: &'static str) -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        let q = query.read();
        (q.get("from"), q.get("to"))
    };
    let history = Resource::new(range, move |(from, to)| load_history(account, from, to));
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    Ok(h) => view! {
                        <PeriodFilter action=format!("/accounts/{account}/billing") allowed=h.allowed
                            range=h.range limited=h.limited keep=vec![("tab", tab.to_string())] />
                        {match tab {
                            "charges" => view! { <ChargesTab account h /> }.into_any(),
                            "payments" => view! { <PaymentsTab account h /> }.into_any(),
                            "balance" => view! { <BalanceTab h /> }.into_any(),
                            _ => view! { <EventsTab account h /> }.into_any(),
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn nothing(empty: bool) -> Option<impl IntoView> {
    empty.then(|| view! { <p class="notice">"За выбранный период операций нет."</p> })
}

fn paid_on(iso: &str) -> String {
    billing::Day::parse(iso).map_or_else(|| iso.to_string(), billing::Day::caption)
}

/// «Все события» (U-PAY-3): every charge and payment, grouped by month.
#[component]
fn EventsTab(account: i64, h: BillingHistory) -> impl IntoView {
    let months = h.months();
    view! {
        {nothing(months.is_empty())}
        {months.into_iter().map(|p| {
            let charges: Vec<_> = h.charges.iter().filter(|c| c.period == p).cloned().collect();
            let payments: Vec<_> = h.payments.iter().filter(|c| c.period == p).cloned().collect();
            let charged = Kopecks(charges.iter().map(|c| c.amount.0).sum());
            view! {
                <section class="month" aria-label=p.caption()>
                    <div class="month__head">
                        <h2 class="month__title">{p.caption()}</h2>
                        {(!charges.is_empty()).then(|| receipt_link(account, p))}
                    </div>
                    <ul class="events">
                        {(!charges.is_empty()).then(|| view! {
                            <li class="event event--charge">
                                <span class="event__what">"Начислено"</span>
                                <span class="event__amount">{charged.to_string()}</span>
                            </li>
                        })}
                        {payments.into_iter().map(|y| view! {
                            <li class="event event--payment">
                                <span class="event__what">{format!("Оплата {} — {}", paid_on(&y.paid_on), y.supplier)}</span>
                                <span class="event__amount">{y.amount.to_string()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
    }
}

/// «Начисления» (U-PAY-4): by month and service.
#[component]
fn ChargesTab(account: i64, h: BillingHistory) -> impl IntoView {
    let months: Vec<Period> = h
        .months()
        .into_iter()
        .filter(|p| h.charges.iter().any(|c| c.period == *p))
        .collect();
    view! {
        {pay_link(account)}
        {nothing(months.is_empty())}
        {months.into_iter().map(|p| {
            let lines: Vec<_> = h.charges.iter().filter(|c| c.period == p).cloned().collect();
            let total = Kopecks(lines.iter().map(|c| c.amount.0).sum());
            view! {
                <section class="month" aria-label=p.caption()>
                    <div class="month__head">
                        <h2 class="month__title">{p.caption()}</h2>
                        {receipt_link(account, p)}
                    </div>
                    <TableWrap label=format!("Начисления за {}", p.caption())>
                        <table class="table">
                            <caption class="visually-hidden">{format!("Начисления за {}", p.caption())}</caption>
                            <thead><tr>
                                <th scope="col">"Услуга"</th>
                                <th scope="col">"Поставщик"</th>
                                <th scope="col" class="num">"Объем"</th>
                                <th scope="col" class="num">"Тариф, руб."</th>
                                <th scope="col" class="num">"Начислено, руб."</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|c| view! {
                                    <tr>
                                        <th scope="row">{format!("{}{}", c.service, c.zone.suffix())}</th>
                                        <td>{c.supplier.clone()}</td>
                                        <td class="num">{format!("{} {}", billing::thousandths(c.quantity, 3), c.unit)}</td>
                                        <td class="num">{c.price.format_number()}</td>
                                        <td class="num">{c.amount.format_number()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr>
                                <th scope="row" colspan="4">"Итого начислено"</th>
                                <td class="num"><strong>{total.format_number()}</strong></td>
                            </tr></tfoot>
                        </table>
                    </TableWrap>
                </section>
            }
        }).collect_view()}
    }
}

/// [Оплатить]: the payment page of the account (U-PAY-4, U-PAY-5).
fn pay_link(account: i64) -> impl IntoView {
    view! {
        <p class="cluster">
            <a class="button button--primary" href=format!("/accounts/{account}/pay")>"Оплатить"</a>
        </p>
    }
}

/// «Оплата» (U-PAY-5): the payment page's button, this month's payments, then the payments
/// of the chosen months.
#[component]
fn PaymentsTab(account: i64, h: BillingHistory) -> impl IntoView {
    let months: Vec<Period> = h
        .months()
        .into_iter()
        .filter(|p| h.payments.iter().any(|c| c.period == *p))
        .collect();
    let this_month = h.this_month.clone();
    let current = this_month.first().map(|p| p.period);
    view! {
        {pay_link(account)}
        {current.map(|p| view! { <PaymentsMonth p lines=this_month.clone() title="Оплаты текущего месяца" /> })}
        {months.is_empty().then(|| view! { <p class="notice">"За выбранный период оплат нет."</p> })}
        {months.into_iter().map(|p| {
            let lines: Vec<_> = h.payments.iter().filter(|c| c.period == p).cloned().collect();
            view! { <PaymentsMonth p lines title=p.caption() /> }
        }).collect_view()}
    }
}

#[component]
fn PaymentsMonth(
    p: Period,
    lines: Vec<billing::PaymentLine>,
    #[prop(into)] title: String,
) -> impl IntoView {
    let total = Kopecks(lines.iter().map(|c| c.amount.0).sum());
    let label = title.clone();
    view! {
        <section class="month" aria-label=label>
            <h2 class="month__title">{title}</h2>
            <TableWrap label=format!("Оплаты за {}", p.caption())>
                <table class="table">
                    <caption class="visually-hidden">{format!("Оплаты за {}", p.caption())}</caption>
                    <thead><tr>
                        <th scope="col">"Дата"</th>
                        <th scope="col">"Поставщик"</th>
                        <th scope="col">"Способ"</th>
                        <th scope="col" class="num">"Сумма, руб."</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|y| view! {
                            <tr>
                                <td>{paid_on(&y.paid_on)}</td>
                                <th scope="row">{y.supplier.clone()}</th>
                                <td>{channel_caption(&y.channel)}</td>
                                <td class="num">{y.amount.format_number()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr>
                        <th scope="row" colspan="3">"Итого оплачено"</th>
                        <td class="num"><strong>{total.format_number()}</strong></td>
                    </tr></tfoot>
                </table>
            </TableWrap>
        </section>
    }
}

fn channel_caption(channel: &str) -> &'static str {
    match channel {
        "portal" => "в личном кабинете",
        "sbp" => "СБП в личном кабинете",
        "card" => "картой в личном кабинете",
        "autopay" => "автоплатеж",
        "post" => "почта",
        "cash" => "касса",
        _ => "банк",
    }
}

/// «Баланс» (U-PAY-10): by month and supplier, worded as U-ACC-5.
#[component]
fn BalanceTab(h: BillingHistory) -> impl IntoView {
    let mut months: Vec<Period> = h.balances.iter().map(|b| b.period).collect();
    months.dedup();
    view! {
        {nothing(months.is_empty())}
        {months.into_iter().map(|p| {
            let lines: Vec<_> = h.balances.iter().filter(|b| b.period == p).cloned().collect();
            view! {
                <section class="month" aria-label=p.caption()>
                    <h2 class="month__title">{p.caption()}</h2>
                    <TableWrap label=format!("Баланс за {}", p.caption())>
                        <table class="table">
                            <caption class="visually-hidden">{format!("Баланс за {}", p.caption())}</caption>
                            <thead><tr>
                                <th scope="col">"Поставщик"</th>
                                <th scope="col" class="num">"На начало месяца, руб."</th>
                                <th scope="col" class="num">"Начислено, руб."</th>
                                <th scope="col" class="num">"Оплачено, руб."</th>
                                <th scope="col">"На конец месяца"</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|b| view! {
                                    <tr>
                                        <th scope="row">{b.supplier.clone()}</th>
                                        <td class="num">{b.opening.format_number()}</td>
                                        <td class="num">{b.charged.format_number()}</td>
                                        <td class="num">{b.paid.format_number()}</td>
                                        <td><BalanceText owed=b.closing() /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableWrap>
                </section>
            }
        }).collect_view()}
    }
}

/// «Статистика» (U-PAY-9): consumption of a service by zone and money by month; filters by
/// months, service and zone; a line or bar chart.
#[component]
fn StatisticsTab(account: i64) -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        let q = query.read();
        (q.get("from"), q.get("to"))
    };
    let stats = Resource::new(range, move |(from, to)| load_statistics(account, from, to));
    let choice = move || {
        let q = query.read();
        (q.get("service"), q.get("zone"), q.get("chart"))
    };
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
            {move || {
                let (service, zone, chart) = choice();
                Suspend::new(async move {
                    match stats.await {
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                        Ok(s) => view! { <StatisticsView account s service zone chart /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn StatisticsView(
    account: i64,
    s: Statistics,
    service: Option<String>,
    zone: Option<String>,
    chart: Option<String>,
) -> impl IntoView {
    let mut services: Vec<(String, String)> = s
        .rows
        .iter()
        .map(|r| (r.service.clone(), r.unit.clone()))
        .collect();
    services.sort();
    services.dedup();
    let service = service
        .filter(|wanted| services.iter().any(|(name, _)| name == wanted))
        .or_else(|| services.first().map(|(name, _)| name.clone()))
        .unwrap_or_default();
    let unit = services
        .iter()
        .find(|(name, _)| *name == service)
        .map(|(_, unit)| unit.clone())
        .unwrap_or_default();
    let mut zones: Vec<Zone> = s
        .rows
        .iter()
        .filter(|r| r.service == service)
        .map(|r| r.zone)
        .collect();
    zones.sort();
    zones.dedup();
    let zone = zone
        .and_then(|z| Zone::from_code(&z))
        .filter(|z| zones.contains(z));
    let kind = if chart.as_deref() == Some("bar") {
        ChartKind::Bar
    } else {
        ChartKind::Line
    };
    let months: Vec<Period> = {
        let mut m = s.range.months_newest_first();
        m.reverse();
        m
    };
    let labels: Vec<String> = months.iter().map(|p| p.short()).collect();
    let shown_zones: Vec<Zone> = zones
        .iter()
        .copied()
        .filter(|z| zone.is_none_or(|wanted| wanted == *z))
        .collect();
    let consumption: Vec<ChartSeries> = shown_zones
        .iter()
        .map(|z| {
            let values = months
                .iter()
                .map(|p| {
                    s.rows
                        .iter()
                        .find(|r| r.period == *p && r.service == service && r.zone == *z)
                        .map(|r| r.quantity as f64 / 1000.0)
                })
                .collect();
            let name = if *z == Zone::Single {
                service.clone()
            } else {
                format!("{service}: {}", z.caption())
            };
            ChartSeries::new(name, values)
        })
        .collect();
    let rubles = |k: i64| Some(k as f64 / 100.0);
    let charged: Vec<Option<f64>> = months
        .iter()
        .map(|p| {
            let rows: Vec<_> = s.rows.iter().filter(|r| r.period == *p).collect();
            (!rows.is_empty())
                .then(|| rows.iter().map(|r| r.charged.0).sum::<i64>())
                .and_then(rubles)
        })
        .collect();
    let paid: Vec<Option<f64>> = months
        .iter()
        .map(|p| {
            s.payments
                .iter()
                .find(|(period, _)| period == p)
                .and_then(|(_, k)| rubles(k.0))
        })
        .collect();
    let money = vec![
        ChartSeries::new("Начислено", charged),
        ChartSeries::new("Оплачено", paid),
    ];
    let zone_param = zone
        .map(|z| z.code().to_string())
        .unwrap_or_else(|| "all".to_string());
    let chart_param = if kind == ChartKind::Bar {
        "bar"
    } else {
        "line"
    };
    let title = format!("Потребление: {service}");
    view! {
        <PeriodFilter action=format!("/accounts/{account}/billing") allowed=s.allowed range=s.range
            limited=s.limited keep=vec![("tab", "stats".to_string())]>
            <div class="field">
                <label class="field__label" for="f-service">"Услуга"</label>
                <select class="field__input" id="f-service" name="service">
                    {services.iter().map(|(name, _)| view! {
                        <option value=name.clone() selected=*name == service>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="f-zone">"Зона суток"</label>
                <select class="field__input" id="f-zone" name="zone">
                    <option value="all" selected=zone_param == "all">"Все зоны"</option>
                    {zones.iter().filter(|z| **z != Zone::Single).map(|z| view! {
                        <option value=z.code() selected=zone_param == z.code()>{z.caption()}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field chart-kind">
                <legend class="field__label">"Вид графика"</legend>
                <label class="checkbox"><input type="radio" name="chart" value="line" checked=chart_param == "line" />" Линейный"</label>
                <label class="checkbox"><input type="radio" name="chart" value="bar" checked=chart_param == "bar" />" Столбчатый"</label>
            </fieldset>
        </PeriodFilter>
        <Chart title unit labels=labels.clone() series=consumption kind />
        <Chart title="Начисления и оплаты" unit="руб." labels series=money kind decimals=2 />
    }
}
