//! The members import page: pick the akimat's file, see every row checked, then add them all.
//! It needs the server (the file is read and checked there), so it says so when offline.
use super::council_page;
use super::import::{ApplyOutcome, Preview};
use super::import_api::apply_import;
use super::import_preview::PreviewView;
use crate::errors::AppError;
use crate::i18n::*;
use crate::sync::state::use_sync;
use crate::ui::ErrorNotice;
use crate::ui::{use_reference, village_name};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The file as checked: its name and its bytes in base64, sent again to apply it.
type CheckedFile = (String, String);

#[component]
pub fn ImportMembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let village_id = move || params.read().get("id").unwrap_or_default();
    let reference = use_reference();
    let sync = use_sync();
    let online = sync.online;
    let file_input = NodeRef::<leptos::html::Input>::new();
    let checked = RwSignal::new(None::<CheckedFile>);
    let preview = RwSignal::new(None::<Preview>);
    let failure = RwSignal::new(None::<AppError>);
    let local_error = RwSignal::new(None::<&'static str>);
    let imported = RwSignal::new(None::<usize>);
    let refused_on_apply = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // A new file or a new check makes an answer still on its way about the old one stale.
    let attempt = RwSignal::new(0u32);
    let clear = move || {
        attempt.update(|n| *n += 1);
        checked.set(None);
        preview.set(None);
        failure.set(None);
        local_error.set(None);
        imported.set(None);
        refused_on_apply.set(false);
    };

    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        clear();
        #[cfg(feature = "hydrate")]
        {
            use base64::Engine;
            use wasm_bindgen_futures::JsFuture;
            let Some(file) = file_input
                .get()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                local_error.set(Some("no_file"));
                return;
            };
            // Refused here without sending it; the server refuses it as well.
            if file.size() > super::import::MAX_FILE_BYTES as f64 {
                preview.set(Some(Preview::File(super::import::FileProblem::TooLarge {
                    max_kb: super::import::MAX_FILE_BYTES / 1024,
                })));
                return;
            }
            let village = params.with_untracked(|p| p.get("id").unwrap_or_default());
            let mine = attempt.get_untracked();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
                    busy.set(false);
                    local_error.set(Some("unread"));
                    return;
                };
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let data = base64::engine::general_purpose::STANDARD.encode(bytes);
                let name = file.name();
                let answer =
                    super::import_api::preview_import(village, name.clone(), data.clone()).await;
                busy.set(false);
                if attempt.get_untracked() != mine {
                    return;
                }
                match answer {
                    Ok(found) => {
                        if found.applicable() {
                            checked.set(Some((name, data)));
                        }
                        preview.set(Some(found));
                    }
                    Err(error) => failure.set(Some(error)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, params, busy, local_error, attempt);
    };

    let apply = move |_| {
        let Some((name, data)) = checked.get_untracked() else {
            return;
        };
        let village = params.with_untracked(|p| p.get("id").unwrap_or_default());
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let answer = apply_import(village, name, data).await;
            busy.set(false);
            match answer {
                Ok(ApplyOutcome::Imported { count }) => {
                    checked.set(None);
                    preview.set(None);
                    imported.set(Some(count));
                    // The council page reads the device's copy: bring the new members there.
                    sync.sync_now();
                }
                Ok(ApplyOutcome::Refused(found)) => {
                    checked.set(None);
                    refused_on_apply.set(true);
                    preview.set(Some(found));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let may_apply = move || {
        online.get() && !busy.get() && checked.with(Option::is_some) && imported.get().is_none()
    };

    let village_line = move || {
        let name = reference.with(|r| village_name(r, &village_id(), i18n.get_locale()));
        (!name.is_empty()).then(|| {
            td_string!(i18n.get_locale(), council_import.village, village = name).to_string()
        })
    };
    view! {
        <section id="import-page">
            <h1>{t!(i18n, council_import.title)}</h1>
            <p class="lead" id="import-village">{village_line}</p>
            <p class="lead">{t!(i18n, council_import.lead)}</p>
            <p class="hint">{t!(i18n, council_import.roles_hint)}</p>
            <Show when=move || !online.get()>
                <p class="notice" id="import-offline" role="status">
                    {t!(i18n, council_import.offline)}
                </p>
            </Show>
            <form class="form" id="import-form" on:submit=check novalidate>
                <label for="import-file">{t!(i18n, council_import.file)}</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=file_input
                    on:change=move |_| clear()
                />
                <p class="buttons">
                    <button
                        type="submit"
                        id="import-preview"
                        disabled=move || busy.get() || !online.get()
                    >
                        {move || {
                            if busy.get() {
                                t_string!(i18n, council_import.working)
                            } else {
                                t_string!(i18n, council_import.check)
                            }
                        }}
                    </button>
                </p>
            </form>
            {move || {
                local_error
                    .get()
                    .map(|which| {
                        let text = move || match which {
                            "unread" => t_string!(i18n, council_import.unread),
                            _ => t_string!(i18n, council_import.no_file),
                        };
                        view! { <p class="error" role="alert" id="import-error">{text}</p> }
                    })
            }}
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
            <Show when=move || refused_on_apply.get()>
                <p class="error" role="alert" id="import-refused">
                    {t!(i18n, council_import.refused_on_apply)}
                </p>
            </Show>
            {move || {
                preview
                    .get()
                    .map(|found| {
                        view! { <PreviewView found may_apply=Signal::derive(may_apply) on_apply=apply /> }
                    })
            }}
            {move || {
                imported
                    .get()
                    .map(|count| {
                        let text = td_string!(i18n.get_locale(), council_import.imported, count = count)
                            .to_string();
                        view! {
                            <p class="notice" id="import-result" role="status">
                                {text} " "
                                <a href=council_page(&village_id())>{t!(i18n, council_import.back)}</a>
                            </p>
                        }
                    })
            }}
            <p>
                <a class="button" id="import-back" href=move || council_page(&village_id())>
                    {t!(i18n, council_import.back)}
                </a>
            </p>
        </section>
    }
}
