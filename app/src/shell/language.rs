use crate::i18n::*;
use leptos::prelude::*;

/// Three buttons, each language named in itself. The choice is kept in a cookie by
/// leptos_i18n, so the server renders the next page in it too.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    // Each name in its own language, whatever the current one: read with a fixed locale.
    let choices = [
        (Locale::ru, td_string!(Locale::ru, language_names.ru)),
        (Locale::kk, td_string!(Locale::kk, language_names.kk)),
        (Locale::en, td_string!(Locale::en, language_names.en)),
    ];
    view! {
        <div class="language-switch" role="group" aria-label=move || t_string!(i18n, language_switch)>
            {choices
                .into_iter()
                .map(|(locale, name)| {
                    view! {
                        <button
                            type="button"
                            lang=locale.as_str()
                            data-locale=locale.as_str()
                            aria-pressed=move || (i18n.get_locale() == locale).to_string()
                            on:click=move |_| i18n.set_locale(locale)
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
