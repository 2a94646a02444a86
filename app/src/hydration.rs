//! Whether the page in the browser has hydrated, the lazily loaded chunk of its route
//! included. The layout hydrates first and the page only once its chunk has arrived; state the
//! layout shares with pages (sync counts, the persons cache) must not change in between, or a
//! page built from the changed state hydrates another branch than the server rendered, which
//! is a panic in the browser that leaves the page dead. So the sync loop starts, and a PIN
//! typed at the lock screen meanwhile opens the persons cache, only once the page is live
//! (DESIGN §3.2, "Hydration first").
use leptos::prelude::*;

thread_local! {
    // An `Arc` signal needs no reactive owner: the browser entry point sets it after
    // hydration, outside the app's owner. Only ever set in the browser.
    static PAGE_LIVE: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

#[cfg(feature = "hydrate")]
thread_local! {
    static WAITING: std::cell::RefCell<Vec<futures::channel::oneshot::Sender<()>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether the whole page has hydrated (tracked: an effect reading it runs again then).
pub fn page_live() -> bool {
    PAGE_LIVE.with(|live| live.get())
}

/// Resolves once the whole page has hydrated (at once if it has).
#[cfg(feature = "hydrate")]
pub async fn until_page_live() {
    if PAGE_LIVE.with(|live| live.get_untracked()) {
        return;
    }
    let (sender, live) = futures::channel::oneshot::channel();
    WAITING.with(|waiting| waiting.borrow_mut().push(sender));
    let _ = live.await;
}

/// Called by the browser entry point once the whole page has hydrated: marks the layout
/// (`data-hydrated`, so people and tests can tell a live page from server-rendered HTML) and
/// lets what waited for it go on.
pub fn page_hydrated() {
    let app = document().query_selector(".app").ok().flatten();
    if let Some(app) = app {
        let _ = app.set_attribute("data-hydrated", "true");
    }
    PAGE_LIVE.with(|live| live.set(true));
    #[cfg(feature = "hydrate")]
    for waiting in WAITING.with(|waiting| waiting.take()) {
        let _ = waiting.send(());
    }
}
