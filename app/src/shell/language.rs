use crate::i18n::*;
use leptos::prelude::*;

/// Three buttons, each language named in itself. The choice is kept in a cookie, so the server
/// renders the next page in it too.
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
                            on:click=move |_| {
                                i18n.set_locale(locale);
                                remember_locale(locale);
                            }
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Keeps the choice for the server's next page. Written here rather than by leptos_i18n's
/// "cookie" feature, which would bring a cookie parser and a date library into the first load
/// (issue 16) for this one line.
fn remember_locale(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        const ONE_YEAR: u32 = 365 * 24 * 60 * 60;
        let cookie = format!(
            "{}={}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax",
            crate::shell::LANGUAGE_COOKIE,
            locale.as_str()
        );
        if let Some(document) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            // A refused cookie (disabled by the user) only costs the choice at the next reload.
            let _ = document.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
}
