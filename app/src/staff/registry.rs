//! «Реестр компаний» in the back-office (M-5): search by ИНН, ОГРН or the beginning of the
//! name (the query checked by `shared::registry`, live and on the server) and a company's
//! card (`?id=`). One page and one request for its data: the back-office rides in every
//! browser's download until it gets a chunk of its own (#17), and corrections by staff wait
//! for that.

use crate::components::field::Field;
use crate::components::loading;
use crate::components::table::TableWrap;
use crate::staff::pages::{StaffError, StaffNav};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::ApiError;
use shared::registry::{CompanyQuery, RegistryEntry, RegistryPage};

#[server(endpoint = "staff/companies")]
pub async fn load_registry(q: Option<String>, id: Option<i64>) -> Result<RegistryPage, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .registry
        .page(&token, q.as_deref().unwrap_or_default(), id)
        .await
}

/// The text of a value, «—» when there is none.
fn shown(value: &str) -> String {
    if value.is_empty() {
        "—".to_string()
    } else {
        value.to_string()
    }
}

fn yes_no(value: bool) -> String {
    if value { "да" } else { "нет" }.to_string()
}

/// The search, the companies found and, with `?id=`, a company's card.
#[component]
pub fn StaffCompaniesPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("id").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let page = Resource::new(params, |(q, id)| load_registry(Some(q), id));
    let typed = RwSignal::new(params().0);
    view! {
        <Title text="Реестр компаний" />
        <StaffNav current="/staff/companies" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let p = match page.await {
                    Ok(p) => p,
                    Err(e) => return view! { <StaffError error=e /> }.into_any(),
                };
                let asked = !params().0.trim().is_empty() && p.query_error.is_none();
                let found = if !asked {
                    ().into_any()
                } else if p.entries.is_empty() {
                    view! { <p class="empty" role="status">"Ничего не найдено."</p> }.into_any()
                } else {
                    view! { <CompanyTable entries=p.entries /> }.into_any()
                };
                let card = p.card.map(|entry| view! { <CompanyCard entry /> });
                view! {
                    <section class="card" aria-labelledby="companies-title">
                        <h1 id="companies-title">"Реестр компаний"</h1>
                        <form class="queue-filter" method="get" action="/staff/companies" role="search">
                            <Field label="ИНН, ОГРН или начало названия".to_string() name="q" value=typed
                                check=Callback::new(|v: String| CompanyQuery::parse(&v).err())
                                server_error=Signal::stored(p.query_error) />
                            <button type="submit" class="button button--primary">"Найти"</button>
                        </form>
                        <p>{format!("Компаний в реестре: {}", p.total)}</p>
                        {found}
                    </section>
                    {card}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn CompanyTable(entries: Vec<RegistryEntry>) -> impl IntoView {
    view! {
        <TableWrap label="Найденные компании">
            <table class="table">
                <caption class="visually-hidden">"Найденные компании"</caption>
                <thead><tr>
                    <th scope="col">"Наименование"</th><th scope="col">"ИНН"</th><th scope="col">"КПП"</th>
                    <th scope="col">"ОГРН / ОГРНИП"</th><th scope="col">"Регион"</th><th scope="col">"Состояние"</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let c = e.company;
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/staff/companies?id={}", e.id)>{c.title().to_string()}</a></th>
                                {[c.inn.clone(), shown(&c.kpp), c.ogrn.clone(), e.region_name.clone(), c.status.caption().to_string()]
                                    .into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableWrap>
    }
}

/// A company's card.
#[component]
fn CompanyCard(entry: RegistryEntry) -> impl IntoView {
    let c = &entry.company;
    let rows = [
        ("Вид", c.kind.caption().to_string()),
        ("Полное наименование", c.full_name.clone()),
        ("ИНН", c.inn.clone()),
        ("КПП", shown(&c.kpp)),
        ("ОГРН / ОГРНИП", c.ogrn.clone()),
        ("Дата регистрации", c.registered.caption()),
        ("Регион", format!("{} ({})", entry.region_name, c.region)),
        ("Юридический адрес", shown(&c.legal_address)),
        ("Адрес в жилом помещении", yes_no(c.address_in_flat)),
        ("Руководитель", shown(&c.head_name)),
        ("Должность руководителя", shown(&c.head_position)),
        ("Состояние", c.status.caption().to_string()),
        ("Сведения недостоверны", yes_no(c.unreliable)),
        ("Задолженность по налогам", yes_no(c.tax_debt)),
    ];
    let title = c.title().to_string();
    view! {
        <section class="card" aria-labelledby="company-title">
            <h2 id="company-title">{title}</h2>
            <dl class="summary">
                {rows.into_iter().map(|(caption, value)| view! { <dt>{caption}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
        </section>
    }
}
