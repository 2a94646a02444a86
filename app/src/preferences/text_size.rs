//! Text size for readers at arm's length (elders on tablets): normal, large, larger. The root
//! font size scales every rem-sized text and control, forms and the map's controls included
//! (the stylesheet's `:root[data-text-size]`).
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Html;

/// The cookie that keeps the choice: the server reads it to render the page at that size, the
/// browser reads it offline, when a page comes from the service worker's copy.
pub const TEXT_SIZE_COOKIE: &str = "zq_text_size";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Larger,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Larger];

    pub fn as_str(self) -> &'static str {
        match self {
            TextSize::Normal => "normal",
            TextSize::Large => "large",
            TextSize::Larger => "larger",
        }
    }

    pub fn parse(text: &str) -> TextSize {
        TextSize::ALL
            .into_iter()
            .find(|size| size.as_str() == text)
            .unwrap_or_default()
    }

    fn label(self, i18n: I18nContext<Locale>) -> &'static str {
        match self {
            TextSize::Normal => t_string!(i18n, preferences.text_normal),
            TextSize::Large => t_string!(i18n, preferences.text_large),
            TextSize::Larger => t_string!(i18n, preferences.text_larger),
        }
    }
}

/// The chosen size, for the setting to change.
#[derive(Clone, Copy)]
pub struct TextSizeChoice(pub RwSignal<TextSize>);

/// Reads the kept choice and marks the document with it (`<html data-text-size>`).
pub fn provide_text_size() -> impl IntoView {
    let size = RwSignal::new(TextSize::parse(&kept_choice().unwrap_or_default()));
    provide_context(TextSizeChoice(size));
    view! { <Html {..} data-text-size=move || size.get().as_str() /> }
}

/// The choice in the request's cookies (server) or the document's (browser).
fn kept_choice() -> Option<String> {
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    let cookies = {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .headers
            .get(http::header::COOKIE)?
            .to_str()
            .ok()?
            .to_owned()
    };
    #[cfg(feature = "hydrate")]
    let cookies = {
        use wasm_bindgen::JsCast;
        web_sys::window()?
            .document()?
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?
            .cookie()
            .ok()?
    };
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let cookies = String::new();
    cookies.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == TEXT_SIZE_COOKIE).then(|| value.to_owned())
    })
}

fn keep_choice(size: TextSize) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        const TEN_YEARS: u32 = 10 * 365 * 24 * 60 * 60;
        let cookie = format!(
            "{TEXT_SIZE_COOKIE}={}; Path=/; Max-Age={TEN_YEARS}; SameSite=Lax",
            size.as_str()
        );
        if let Some(document) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            // Refused cookies cost the choice at the next page load only.
            let _ = document.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = size;
}

/// Three choices as radio buttons, each shown in its own size.
#[component]
pub fn TextSizeSetting() -> impl IntoView {
    let i18n = use_i18n();
    let TextSizeChoice(size) = expect_context::<TextSizeChoice>();
    view! {
        <fieldset class="text-size" id="text-size">
            <legend>{t!(i18n, preferences.text_size)}</legend>
            {TextSize::ALL
                .into_iter()
                .map(|choice| {
                    view! {
                        <label class="check" data-size=choice.as_str()>
                            <input
                                type="radio"
                                name="text-size"
                                value=choice.as_str()
                                // The attribute for the server's page, the property after.
                                checked=size.get_untracked() == choice
                                prop:checked=move || size.get() == choice
                                on:change=move |_| {
                                    size.set(choice);
                                    keep_choice(choice);
                                }
                            />
                            {move || choice.label(i18n)}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
