//! «Производственный календарь» in the back-office (M-7): a year's months with working days
//! and days off, the days set apart from the built-in rules with their notes; a senior
//! specialist or an administrator sets a day or returns it to the rules.

use crate::components::field::{Field, FormError, action_error};
use crate::components::loading;
use crate::components::upload::FieldMessage;
use crate::staff::api::staff_me;
use crate::staff::pages::{StaffError, StaffNav};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::ApiError;
use shared::calendar::{CalendarYear, MonthSheet, WEEKDAYS_SHORT};
use shared::cases::Role;

#[server(endpoint = "staff/calendar")]
pub async fn load_calendar(year: Option<i32>) -> Result<CalendarYear, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.staff.calendar.year(&token, year).await
}

#[server(endpoint = "staff/calendar/day")]
pub async fn set_calendar_day(day: String, working: String, note: String) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .calendar
        .set_day(&token, &day, &working, &note)
        .await?;
    let year = shared::calendar::check_exception_day(&day).map_or(0, |d| d.year);
    ports::redirect_plain_form(&format!("/staff/calendar?year={year}&saved=1"));
    Ok(())
}

#[server(endpoint = "staff/calendar/clear")]
pub async fn clear_calendar_day(day: String) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .staff
        .calendar
        .clear_day(&token, &day)
        .await?;
    let year = shared::calendar::check_exception_day(&day).map_or(0, |d| d.year);
    ports::redirect_plain_form(&format!("/staff/calendar?year={year}&saved=1"));
    Ok(())
}

/// A month's sheet: a table of weeks from Monday, days off marked.
#[component]
fn Month(sheet: MonthSheet) -> impl IntoView {
    let caption = format!("{}: рабочих дней {}", sheet.caption(), sheet.working_days);
    view! {
        <table class="month">
            <caption>{caption}</caption>
            <thead><tr>{WEEKDAYS_SHORT.iter().map(|d| view! { <th scope="col">{*d}</th> }).collect_view()}</tr></thead>
            <tbody>
                {sheet.weeks.into_iter().map(|week| view! {
                    <tr>
                        {week.into_iter().map(|cell| match cell {
                            None => view! { <td></td> }.into_any(),
                            Some(d) => {
                                let class = match (d.working, d.exception) {
                                    (true, false) => "month__day",
                                    (false, false) => "month__day month__day--off",
                                    (true, true) => "month__day month__day--set",
                                    (false, true) => "month__day month__day--off month__day--set",
                                };
                                let title = format!("{} — {}{}", d.day.caption(),
                                    if d.working { "рабочий день" } else { "выходной" },
                                    if d.exception { ", изменен" } else { "" });
                                view! { <td class=class title=title.clone() aria-label=title>{d.day.day}</td> }.into_any()
                            }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn StaffCalendarPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || query.read().get("year").and_then(|y| y.parse::<i32>().ok());
    let set = ServerAction::<SetCalendarDay>::new();
    let clear = ServerAction::<ClearCalendarDay>::new();
    let calendar = Resource::new(
        move || (year(), set.version().get(), clear.version().get()),
        |(year, _, _)| load_calendar(year),
    );
    let me = Resource::new(|| (), |_| staff_me());
    let saved = move || {
        query.read().get("saved").is_some()
            || matches!(set.value().get(), Some(Ok(())))
            || matches!(clear.value().get(), Some(Ok(())))
    };
    view! {
        <Title text="Производственный календарь" />
        <StaffNav current="/staff/calendar" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let c = match calendar.await {
                    Ok(c) => c,
                    Err(e) => return view! { <StaffError error=e /> }.into_any(),
                };
                let may_edit = matches!(me.await, Ok(Some(m)) if m.role >= Role::Supervisor);
                let y = c.year;
                view! {
                    <section class="card" aria-labelledby="calendar-title">
                        <h1 id="calendar-title">{format!("Производственный календарь на {y} год")}</h1>
                        <nav class="cluster" aria-label="Годы">
                            <a href=format!("/staff/calendar?year={}", y - 1)>{format!("← {}", y - 1)}</a>
                            <a href=format!("/staff/calendar?year={}", y + 1)>{format!("{} →", y + 1)}</a>
                        </nav>
                        {move || saved().then(|| view! { <p class="notice notice--success" role="status">"Календарь сохранен."</p> })}
                        <p>{format!("Рабочих дней в году: {}. Выходные и праздничные дни выделены; измененные сотрудниками — рамкой.", c.working_days)}</p>
                        <div class="months">
                            {c.months.into_iter().map(|sheet| view! { <Month sheet /> }).collect_view()}
                        </div>
                        <h2>"Измененные дни"</h2>
                        <FormError message=action_error(clear.value(), None) />
                        {if c.exceptions.is_empty() {
                            view! { <p class="empty">"В этом году все дни — по общим правилам."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="exceptions">
                                    {c.exceptions.into_iter().map(|e| {
                                        let caption = e.day.caption();
                                        let what = format!("{} — {}{}", caption, if e.working { "рабочий день" } else { "выходной" },
                                            if e.note.is_empty() { String::new() } else { format!(" ({})", e.note) });
                                        view! {
                                            <li>
                                                {what}
                                                {may_edit.then(|| view! {
                                                    <ActionForm action=clear>
                                                        <input type="hidden" name="day" value=caption.clone() />
                                                        <button type="submit" class="button button--secondary"
                                                            aria-label=format!("Вернуть {caption} к общим правилам")>"По общим правилам"</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {if may_edit {
                            view! {
                                <h2>"Изменить день"</h2>
                                <ActionForm action=set>
                                    <Field label="Дата".to_string() name="day" required=true hint="ДД.ММ.ГГГГ".to_string()
                                        check=Callback::new(|v: String| shared::calendar::check_exception_day(&v).err())
                                        server_error=action_error(set.value(), Some("day")) />
                                    <div class="field">
                                        <label class="field__label" for="f-working">"День"</label>
                                        <select class="field__input" id="f-working" name="working" aria-describedby="f-working-error">
                                            <option value="0">"Выходной"</option>
                                            <option value="1">"Рабочий день"</option>
                                        </select>
                                        <FieldMessage id="f-working-error" message=action_error(set.value(), Some("working")) />
                                    </div>
                                    <Field label="Примечание".to_string() name="note"
                                        server_error=action_error(set.value(), Some("note")) />
                                    <FormError message=action_error(set.value(), None) />
                                    <button type="submit" class="button button--primary">"Сохранить"</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <p class="hint">"Изменять календарь могут старший специалист и администратор."</p> }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
