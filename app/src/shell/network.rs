use crate::i18n::*;
use leptos::ev;
use leptos::prelude::*;

/// "Online" or "offline", read from the browser and kept current by its events.
/// The server cannot know, so it renders "online" and the browser corrects it on hydration.
/// The badge is short to fit a 360 px header; its label says what offline means.
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
            title=explanation
            aria-label=explanation
        >
            {move || {
                if online.get() {
                    t_string!(i18n, network_online_short)
                } else {
                    t_string!(i18n, network_offline_short)
                }
            }}
        </span>
    }
}
