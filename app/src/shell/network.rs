use crate::i18n::*;
use leptos::ev;
use leptos::prelude::*;

/// "Online" or "offline", read from the browser and kept current by its events.
/// The server cannot know, so it renders "online" and the browser corrects it on hydration.
/// An icon, to fit a 360 px header; its text (for screen readers) says what offline means.
#[component]
pub fn NetworkStatus() -> impl IntoView {
    let i18n = use_i18n();
    let online = RwSignal::new(true);
    Effect::new(move |_| {
        online.set(window().navigator().on_line());
        let on = window_event_listener(ev::online, move |_| online.set(true));
        let off = window_event_listener(ev::offline, move |_| online.set(false));
        on_cleanup(move || {
            on.remove();
            off.remove();
        });
    });
    let explanation = move || {
        if online.get() {
            t_string!(i18n, network_online)
        } else {
            t_string!(i18n, network_offline)
        }
    };
    view! {
        <span
            class="network"
            class:offline=move || !online.get()
            role="status"
            data-online=move || online.get().to_string()
        >
            <svg class="network-icon" aria-hidden="true" viewBox="0 0 24 24" width="26" height="26">
                // A cloud; offline, struck through.
                <path
                    d="M7 18h10.5a4 4 0 0 0 .5-8 6 6 0 0 0-11.5 1.5A3.3 3.3 0 0 0 7 18z"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linejoin="round"
                />
                <Show when=move || !online.get()>
                    <path d="M4 3l16 18" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
                </Show>
            </svg>
            <span class="sr-only">{explanation}</span>
        </span>
    }
}
