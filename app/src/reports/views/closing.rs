//! The monthly closing page: for each village where the reader records offences, the last 12
//! ended months, each closed with one button that names what is being confirmed.
use super::super::closing::{list_months, CloseMonth, MonthState, VillageMonths};
use super::format::month_label;
use super::format::name;
use crate::i18n::*;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn ClosingPage() -> impl IntoView {
    let i18n = use_i18n();
    let close = ServerAction::<CloseMonth>::new();
    let villages = Resource::new(move || close.version().get(), |_| list_months());
    // A closing confirms the count the server holds: while entries wait in this device's
    // outbox (an offence typed without signal among them, perhaps) that count may be short.
    let sync = crate::sync::state::use_sync();
    let waiting = Signal::derive(move || sync.pending.get() > 0);
    view! {
        <h1 id="closing-title">{t!(i18n, closing.title)}</h1>
        <p class="lead">{t!(i18n, closing.lead)}</p>
        <Show when=move || waiting.get()>
            <p class="notice" id="closing-waiting" role="status">
                {t!(i18n, closing.outbox_waiting)}
            </p>
        </Show>
        <p role="status" id="closing-outcome">
            {move || match close.value().get() {
                Some(Err(error)) => Some(view! { <crate::ui::ErrorNotice error /> }),
                _ => None,
            }}
        </p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match villages.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p class="notice">{t!(i18n, closing.no_villages)}</p> }.into_any()
                    }
                    Ok(list) => {
                        list.into_iter()
                            .map(|village| view! { <VillageClosing village close waiting /> })
                            .collect_view()
                            .into_any()
                    }
                    Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VillageClosing(
    village: VillageMonths,
    close: ServerAction<CloseMonth>,
    waiting: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("closing-{}", village.village_id);
    let label = village.village.clone();
    let id = village.village_id.clone();
    let labelled_by = heading.clone();
    let data_village = village.village_id.clone();
    view! {
        <section aria-labelledby=labelled_by data-village=data_village>
            <h2 id=heading>{move || name(i18n, &label)}</h2>
            <ul class="months">
                {village
                    .months
                    .into_iter()
                    .map(|month| view! { <MonthLine village_id=id.clone() month close waiting /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn MonthLine(
    village_id: String,
    month: MonthState,
    close: ServerAction<CloseMonth>,
    waiting: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = month_label(&month.month);
    let key = month.month.clone();
    let count = month.offences;
    let line = match month.closed {
        Some((confirmed, _)) => view! {
            <span class="badge reported">
                {move || {
                    if confirmed == 0 {
                        t_string!(i18n, closing.closed_none).to_owned()
                    } else {
                        format!("{} {confirmed}", t_string!(i18n, closing.closed_with))
                    }
                }}
            </span>
        }
        .into_any(),
        None => view! {
            <ActionForm action=close attr:class="inline">
                <input type="hidden" name="village_id" value=village_id />
                <input type="hidden" name="month" value=month.month.clone() />
                <button type="submit" disabled=move || waiting.get()>
                    {move || {
                        if count == 0 {
                            t_string!(i18n, closing.confirm_none).to_owned()
                        } else {
                            format!("{} {count}", t_string!(i18n, closing.confirm_with))
                        }
                    }}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <li data-month=key>
            <strong>{label}</strong> " " {line}
        </li>
    }
}
