//! The filter bar over a list of records kept on the device (works offline): village, one
//! choice (status or category), a date range and a text search. One place for what
//! "matches" means, so every list filters alike.
use crate::i18n::*;
use crate::sync::contract::Reference;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ListFilter {
    pub village: RwSignal<String>,
    pub choice: RwSignal<String>,
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
    pub text: RwSignal<String>,
}

/// What a record shows the filter.
pub struct Facets<'a> {
    pub village_id: &'a str,
    pub choice: Option<&'a str>,
    pub date: Option<&'a str>,
    pub texts: &'a [Option<&'a str>],
}

impl ListFilter {
    pub fn new() -> Self {
        ListFilter {
            village: RwSignal::new(String::new()),
            choice: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
        }
    }

    /// Whether a record passes every filter that is set (an empty one lets all through).
    /// Text matches case-insensitively anywhere in the given texts, Kazakh letters included.
    pub fn keeps(&self, record: &Facets) -> bool {
        let village = self.village.get();
        let choice = self.choice.get();
        let from = self.from.get();
        let to = self.to.get();
        let text = self.text.get().trim().to_lowercase();
        let day = record.date.and_then(|d| d.get(..10));
        (village.is_empty() || village == record.village_id)
            && (choice.is_empty() || record.choice == Some(choice.as_str()))
            && (from.is_empty() || day.is_some_and(|d| d >= from.as_str()))
            && (to.is_empty() || day.is_some_and(|d| d <= to.as_str()))
            && (text.is_empty()
                || record
                    .texts
                    .iter()
                    .flatten()
                    .any(|t| t.to_lowercase().contains(&text)))
    }
}

impl Default for ListFilter {
    fn default() -> Self {
        Self::new()
    }
}

/// The bar itself. The list's own select (status or category) shows its codes with their
/// names; a list with no codes has none.
#[component]
pub fn FilterBar(
    filter: ListFilter,
    reference: RwSignal<Reference>,
    #[prop(optional)] choice_label: Option<Signal<String>>,
    #[prop(optional)] codes: &'static [&'static str],
    #[prop(optional)] code_label: Option<fn(super::fields::I18nContext, &str) -> String>,
) -> impl IntoView {
    let choice = choice_label.zip(code_label).filter(|_| !codes.is_empty());
    let i18n = use_i18n();
    view! {
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div>
                <label for="filter-text">{t!(i18n, filter.text)}</label>
                <input id="filter-text" type="search" bind:value=filter.text />
            </div>
            <div>
                <label for="filter-village">{t!(i18n, form.village)}</label>
                <select id="filter-village" bind:value=filter.village>
                    <option value="">{t!(i18n, filter.all)}</option>
                    {move || {
                        let locale = i18n.get_locale();
                        reference
                            .get()
                            .villages
                            .into_iter()
                            .map(|v| {
                                let name = v.name.pick(locale).to_owned();
                                view! { <option value=v.id>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            {choice
                .map(|(choice_label, code_label)| {
                    view! {
                <div>
                    <label for="filter-choice">{move || choice_label.get()}</label>
                    <select id="filter-choice" bind:value=filter.choice>
                        <option value="">{t!(i18n, filter.all)}</option>
                        {move || {
                            codes
                                .iter()
                                .map(|code| view! { <option value=*code>{code_label(i18n, code)}</option> })
                                .collect_view()
                        }}
                    </select>
                </div>
                    }
                })}
            <div>
                <label for="filter-from">{t!(i18n, filter.from)}</label>
                <input id="filter-from" type="date" bind:value=filter.from />
            </div>
            <div>
                <label for="filter-to">{t!(i18n, filter.to)}</label>
                <input id="filter-to" type="date" bind:value=filter.to />
            </div>
        </form>
    }
}
