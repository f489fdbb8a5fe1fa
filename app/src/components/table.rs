//! A table wider than a phone's screen scrolls sideways inside its own box.

use leptos::prelude::*;

/// The box around a table that may scroll sideways on a narrow screen: a labelled region
/// (named like the table) that takes keyboard focus, so that it can be scrolled with the
/// arrow keys too (WCAG 2.1.1; axe's «scrollable-region-focusable»).
#[component]
pub fn TableWrap(
    /// The table's name, as its caption says.
    #[prop(into)]
    label: String,
    /// Another class for the box (`chart__table-wrap`).
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let class = if class.is_empty() {
        "table-wrap"
    } else {
        class
    };
    view! {
        <div class=class role="region" tabindex="0" aria-label=label>
            {children()}
        </div>
    }
}
