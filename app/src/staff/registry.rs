//! «Реестр компаний» in the back-office (M-5): search by ИНН, ОГРН or the beginning of the
//! name, a company's card, and its correction by a senior specialist or an administrator
//! (each change in the audit log). The rules are `shared::registry`'s, live in the form and
//! again on the server.
#![allow(clippy::too_many_arguments)]

use crate::components::field::{Field, FormError, action_error};
use crate::components::loading;
use crate::components::table::TableWrap;
use crate::components::upload::FieldMessage;
use crate::staff::api::staff_me;
use crate::staff::pages::{StaffError, StaffNav};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::ApiError;
use shared::cases::Role;
use shared::registry::{
    CompanyKind, CompanyQuery, CompanySearch, CompanyStatus, RegistryEntry, field,
};

#[server(endpoint = "staff/companies")]
pub async fn search_companies(q: Option<String>) -> Result<CompanySearch, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .registry
        .search(&token, q.as_deref().unwrap_or_default())
        .await
}

#[server(endpoint = "staff/company")]
pub async fn load_company(id: i64) -> Result<RegistryEntry, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.staff.registry.company(&token, id).await
}

#[server(endpoint = "staff/company/correct")]
pub async fn correct_company(
    id: i64,
    kind: String,
    full_name: String,
    short_name: String,
    inn: String,
    kpp: String,
    ogrn: String,
    registered: String,
    region: String,
    legal_address: String,
    head_name: String,
    head_position: String,
    status: String,
    unreliable: Option<String>,
    tax_debt: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    let draft = shared::registry::CompanyDraft {
        kind,
        full_name,
        short_name,
        inn,
        kpp,
        ogrn,
        registered,
        region,
        legal_address,
        unreliable: unreliable.is_some(),
        head_name,
        head_position,
        status,
        tax_debt: tax_debt.is_some(),
    };
    ports::state()?
        .staff
        .registry
        .correct(&token, id, draft)
        .await?;
    ports::redirect_plain_form(&format!("/staff/companies/{id}?saved=1"));
    Ok(())
}

/// Yes or no, as a card shows a mark.
fn yes_no(value: bool) -> &'static str {
    if value { "да" } else { "нет" }
}

/// The search: one field for an ИНН, an ОГРН or the beginning of a name.
#[component]
pub fn StaffCompaniesPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(q, |q| search_companies(Some(q)));
    let typed = RwSignal::new(q());
    view! {
        <Title text="Реестр компаний" />
        <StaffNav current="/staff/companies" />
        <section class="card" aria-labelledby="companies-title">
            <h1 id="companies-title">"Реестр компаний"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let result = found.await;
                    let server_error = match &result {
                        Err(e @ ApiError::Invalid { .. }) => e.field_message("q").map(str::to_string),
                        _ => None,
                    };
                    let search = match result {
                        Ok(s) => s,
                        Err(ApiError::Invalid { .. }) => CompanySearch::default(),
                        Err(e) => return view! { <StaffError error=e /> }.into_any(),
                    };
                    let asked = !q().trim().is_empty() && server_error.is_none();
                    view! {
                        <form class="queue-filter" method="get" action="/staff/companies" role="search">
                            <Field label="ИНН, ОГРН или начало названия".to_string() name="q" value=typed
                                check=Callback::new(|v: String| CompanyQuery::parse(&v).err())
                                server_error=Signal::stored(server_error) />
                            <button type="submit" class="button button--primary">"Найти"</button>
                        </form>
                        <p>{format!("Компаний в реестре: {}", search.total)}</p>
                        {if !asked {
                            ().into_any()
                        } else if search.entries.is_empty() {
                            view! { <p class="empty" role="status">"Ничего не найдено."</p> }.into_any()
                        } else {
                            view! { <CompanyTable entries=search.entries /> }.into_any()
                        }}
                    }.into_any()
                })}
            </Suspense>
        </section>
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
                                <th scope="row"><a href=format!("/staff/companies/{}", e.id)>{c.title().to_string()}</a></th>
                                <td>{c.inn.clone()}</td>
                                <td>{if c.kpp.is_empty() { "—".to_string() } else { c.kpp.clone() }}</td>
                                <td>{c.ogrn.clone()}</td>
                                <td>{c.region_name()}</td>
                                <td>{c.status.caption()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableWrap>
    }
}

/// A company's card and, for a senior specialist or an administrator, its correction.
#[component]
pub fn StaffCompanyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let correct = ServerAction::<CorrectCompany>::new();
    let company = Resource::new(
        move || (id(), correct.version().get()),
        |(id, _)| load_company(id),
    );
    let me = Resource::new(|| (), |_| staff_me());
    let saved = move || {
        query.read().get("saved").is_some() || matches!(correct.value().get(), Some(Ok(())))
    };
    view! {
        <Title text="Карточка компании" />
        <StaffNav current="/staff/companies" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let entry = match company.await {
                    Ok(e) => e,
                    Err(e) => return view! { <StaffError error=e /> }.into_any(),
                };
                let may_correct = matches!(me.await, Ok(Some(m)) if m.role >= Role::Supervisor);
                let c = entry.company.clone();
                view! {
                    <section class="card" aria-labelledby="company-title">
                        <p><a href="/staff/companies">"← Реестр компаний"</a></p>
                        <h1 id="company-title">{c.title().to_string()}</h1>
                        {move || saved().then(|| view! { <p class="notice notice--success" role="status">"Сведения сохранены."</p> })}
                        <dl class="summary">
                            <dt>"Вид"</dt><dd>{c.kind.caption()}</dd>
                            <dt>"Полное наименование"</dt><dd>{c.full_name.clone()}</dd>
                            <dt>"ИНН"</dt><dd>{c.inn.clone()}</dd>
                            <dt>"КПП"</dt><dd>{if c.kpp.is_empty() { "—".to_string() } else { c.kpp.clone() }}</dd>
                            <dt>"ОГРН / ОГРНИП"</dt><dd>{c.ogrn.clone()}</dd>
                            <dt>"Дата регистрации"</dt><dd>{c.registered.caption()}</dd>
                            <dt>"Регион"</dt><dd>{format!("{} ({})", c.region_name(), c.region)}</dd>
                            <dt>"Юридический адрес"</dt><dd>{if c.legal_address.is_empty() { "—".to_string() } else { c.legal_address.clone() }}</dd>
                            <dt>"Адрес в жилом помещении"</dt><dd>{yes_no(c.address_in_flat)}</dd>
                            <dt>"Руководитель"</dt><dd>{if c.head_name.is_empty() { "—".to_string() } else { format!("{}{}", c.head_name, if c.head_position.is_empty() { String::new() } else { format!(", {}", c.head_position.to_lowercase()) }) }}</dd>
                            <dt>"Состояние"</dt><dd>{c.status.caption()}</dd>
                            <dt>"Сведения недостоверны"</dt><dd>{yes_no(c.unreliable)}</dd>
                            <dt>"Задолженность по налогам"</dt><dd>{yes_no(c.tax_debt)}</dd>
                        </dl>
                        {if may_correct {
                            view! { <CorrectForm entry=entry correct=correct /> }.into_any()
                        } else {
                            view! { <p class="hint">"Исправлять сведения могут старший специалист и администратор."</p> }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// A `<select>` of a form with its label.
#[component]
fn Choice(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    selected: String,
    server_error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let error_id = format!("f-{name}-error");
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <select class="field__input" id=id name=name aria-describedby=error_id.clone()>
                {options.into_iter().map(|(value, caption)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{caption}</option> }
                }).collect_view()}
            </select>
            <FieldMessage id=error_id message=server_error />
        </div>
    }
}

#[component]
fn CorrectForm(entry: RegistryEntry, correct: ServerAction<CorrectCompany>) -> impl IntoView {
    let d = entry.company.draft();
    let value = |v: &str| RwSignal::new(v.to_string());
    let error = move |name: &'static str| action_error(correct.value(), Some(name));
    let kinds = CompanyKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.caption().to_string()))
        .collect();
    let statuses = CompanyStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.caption().to_string()))
        .collect();
    let regions = shared::regions::REGIONS
        .iter()
        .map(|(code, name)| (code.to_string(), format!("{code} — {name}")))
        .collect();
    view! {
        <h2>"Исправить сведения"</h2>
        <ActionForm action=correct>
            <input type="hidden" name="id" value=entry.id.to_string() />
            <Choice label="Вид" name=field::KIND options=kinds selected=d.kind.clone() server_error=error(field::KIND) />
            <Field label="Полное наименование".to_string() name=field::FULL_NAME required=true value=value(&d.full_name)
                server_error=error(field::FULL_NAME) />
            <Field label="Сокращенное наименование".to_string() name=field::SHORT_NAME value=value(&d.short_name)
                server_error=error(field::SHORT_NAME) />
            <Field label="ИНН".to_string() name=field::INN required=true inputmode="numeric" value=value(&d.inn)
                check=Callback::new(|v: String| shared::requisites::Inn::parse(&v).err().map(|e| e.to_string()))
                server_error=error(field::INN) />
            <Field label="КПП".to_string() name=field::KPP value=value(&d.kpp)
                hint="Пусто у индивидуального предпринимателя".to_string()
                check=Callback::new(|v: String| (!v.trim().is_empty()).then(|| shared::requisites::Kpp::parse(&v).err().map(|e| e.to_string())).flatten())
                server_error=error(field::KPP) />
            <Field label="ОГРН / ОГРНИП".to_string() name=field::OGRN required=true inputmode="numeric" value=value(&d.ogrn)
                check=Callback::new(|v: String| shared::requisites::Ogrn::parse(&v).err().map(|e| e.to_string()))
                server_error=error(field::OGRN) />
            <Field label="Дата регистрации".to_string() name=field::REGISTERED required=true value=value(&d.registered)
                hint="ДД.ММ.ГГГГ".to_string()
                check=Callback::new(|v: String| shared::calendar::Day::parse_russian(v.trim()).is_none().then(|| "Укажите дату регистрации в виде ДД.ММ.ГГГГ".to_string()))
                server_error=error(field::REGISTERED) />
            <Choice label="Регион" name=field::REGION options=regions selected=d.region.clone() server_error=error(field::REGION) />
            <Field label="Юридический адрес".to_string() name=field::LEGAL_ADDRESS value=value(&d.legal_address)
                server_error=error(field::LEGAL_ADDRESS) />
            <Field label="Руководитель".to_string() name=field::HEAD_NAME value=value(&d.head_name)
                server_error=error(field::HEAD_NAME) />
            <Field label="Должность руководителя".to_string() name=field::HEAD_POSITION value=value(&d.head_position)
                server_error=error(field::HEAD_POSITION) />
            <Choice label="Состояние" name=field::STATUS options=statuses selected=d.status.clone() server_error=error(field::STATUS) />
            <label class="checkbox"><input type="checkbox" name=field::UNRELIABLE value="1" checked=d.unreliable />" Сведения недостоверны"</label>
            <label class="checkbox"><input type="checkbox" name=field::TAX_DEBT value="1" checked=d.tax_debt />" Задолженность по налогам"</label>
            <FormError message=action_error(correct.value(), None) />
            <button type="submit" class="button button--primary">"Сохранить"</button>
        </ActionForm>
    }
}
