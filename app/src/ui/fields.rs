//! The parts of every offline form: a village select, a select of codes, a list of
//! checkboxes, and the save row with the broken rule in the person's words.
use super::labels::{field_label, reason_text};
use crate::i18n::*;
use crate::sync::contract::{Reason, Reference};
use leptos::prelude::*;

pub type I18nContext = leptos_i18n::I18nContext<Locale>;

/// A village select bound to `value`, choosing the first village when empty.
#[component]
pub fn VillageField(value: RwSignal<String>, reference: RwSignal<Reference>) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let first = reference.with(|r| r.villages.first().map(|v| v.id.clone()));
        if value.get_untracked().is_empty() {
            if let Some(first) = first {
                value.set(first);
            }
        }
    });
    view! {
        <label for="village_id">{t!(i18n, form.village)}</label>
        <select id="village_id" required bind:value=value>
            {move || {
                let locale = i18n.get_locale();
                reference
                    .get()
                    .villages
                    .into_iter()
                    .map(|v| {
                        let name = v.name.pick(locale).to_owned();
                        let selected = value.get_untracked() == v.id;
                        view! { <option value=v.id selected=selected>{name}</option> }
                    })
                    .collect_view()
            }}
        </select>
        <Show when=move || reference.with(|r| r.villages.is_empty())>
            <p class="notice">{t!(i18n, form.no_villages)}</p>
        </Show>
    }
}

/// A select of codes with their labels.
#[component]
pub fn ChoiceField(
    id: &'static str,
    label: Signal<String>,
    value: RwSignal<String>,
    codes: &'static [&'static str],
    code_label: fn(I18nContext, &str) -> String,
    #[prop(optional)] empty: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id>{move || label.get()}</label>
        <select id=id bind:value=value>
            {empty.map(|text| view! { <option value="">{move || text.get()}</option> })}
            {move || {
                codes
                    .iter()
                    .map(|code| {
                        let selected = value.get_untracked() == *code;
                        view! {
                            <option value=*code selected=selected>
                                {code_label(i18n, code)}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}

/// The end of every offline form: the broken rule in the person's words, and the save
/// button (off while saving).
#[component]
pub fn SaveRow(error: RwSignal<Option<Reason>>, saving: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        error
            .get()
            .map(|r| reason_text(i18n, &r, |f| field_label(i18n, f)))
    };
    view! {
        {move || text().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        <button type="submit" disabled=move || saving.get()>{t!(i18n, form.save)}</button>
    }
}

/// Ids kept as one comma-joined text (so drafts store them like any field).
pub fn ids_in(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A list of checkboxes choosing several of `options` (id, name); the choice is kept in
/// `value` as comma-joined ids.
#[component]
pub fn MultiPick(
    id: &'static str,
    legend: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
    #[prop(optional)] empty: Option<Signal<String>>,
) -> impl IntoView {
    let toggle = move |item: String| {
        let mut list = ids_in(&value.get_untracked());
        if let Some(at) = list.iter().position(|m| *m == item) {
            list.remove(at);
        } else {
            list.push(item);
        }
        value.set(list.join(","));
    };
    view! {
        <fieldset class="checks" id=id>
            <legend>{move || legend.get()}</legend>
            {move || {
                let chosen = ids_in(&value.get());
                let list = options.get();
                if list.is_empty() {
                    return empty.map(|text| view! { <p class="hint">{move || text.get()}</p> }).into_any();
                }
                list.into_iter()
                    .map(|(item, name)| {
                        let checked = chosen.contains(&item);
                        let input_id = format!("{id}-{item}");
                        let label_for = input_id.clone();
                        view! {
                            <label class="check" for=label_for>
                                <input
                                    type="checkbox"
                                    id=input_id
                                    checked=checked
                                    on:change=move |_| toggle(item.clone())
                                />
                                {name}
                            </label>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </fieldset>
    }
}
