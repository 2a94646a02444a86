//! The members import page: pick the akimat's file, see every row checked, then add them all.
//! It needs the server (the file is read and checked there), so it says so when offline.
use super::import::{ApplyOutcome, FileProblem, ImportRow, Preview};
use super::import_api::apply_import;
use super::{council_page, member_role_label};
use crate::dates::format_date;
use crate::errors::AppError;
use crate::i18n::*;
use crate::sync::contract::{FieldRule, Reason};
use crate::sync::state::use_sync;
use crate::ui::ErrorNotice;
use crate::ui::{field_label, reason_text};
use crate::ui::{use_reference, village_name, I18nContext};
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
                preview.set(Some(Preview::File(FileProblem::TooLarge {
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

/// A file refused whole, or its rows in a table with the summary and the apply button.
#[component]
fn PreviewView(
    found: Preview,
    may_apply: Signal<bool>,
    on_apply: impl Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = match found {
        Preview::File(problem) => {
            let text = move || file_problem_text(i18n, &problem);
            return view! { <p class="error" role="alert" id="import-file-problem">{text}</p> }
                .into_any();
        }
        Preview::Rows(rows) => rows,
    };
    let (total, ready) = (
        rows.len(),
        rows.iter().filter(|r| r.problems.is_empty()).count(),
    );
    let refused = total - ready;
    let summary = move || {
        td_string!(
            i18n.get_locale(),
            council_import.summary,
            total = total,
            ready = ready,
            refused = refused
        )
        .to_string()
    };
    view! {
        <p id="import-summary" role="status">{summary}</p>
        <p class="hint" id="import-hint">
            {move || {
                if refused > 0 {
                    t_string!(i18n, council_import.fix_hint)
                } else {
                    t_string!(i18n, council_import.ready_hint)
                }
            }}
        </p>
        <div class="table-scroll">
            <table id="import-rows">
                <caption>{t!(i18n, council_import.rows_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, council_import.col_row)}</th>
                        <th scope="col">{t!(i18n, council_import.col_name)}</th>
                        <th scope="col">{t!(i18n, council_import.col_role)}</th>
                        <th scope="col">{t!(i18n, council_import.col_phone)}</th>
                        <th scope="col">{t!(i18n, council_import.col_since)}</th>
                        <th scope="col">{t!(i18n, council_import.col_check)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <RowView row /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="buttons">
            <button
                type="button"
                id="import-apply"
                class="primary"
                disabled=move || !may_apply.get()
                on:click=on_apply
            >
                {t!(i18n, council_import.apply)}
            </button>
        </p>
    }
    .into_any()
}

/// One row: the member as he would be stored, or the cells as written with their problems.
#[component]
fn RowView(row: ImportRow) -> impl IntoView {
    let i18n = use_i18n();
    let number = row.row;
    let ImportRow {
        written,
        member,
        problems,
        same_as_row,
        ..
    } = row;
    let cells = move || {
        let locale = i18n.get_locale();
        match &member {
            Some(m) => [
                m.full_name.clone(),
                member_role_label(i18n, &m.role),
                m.phone.clone().unwrap_or_default(),
                m.since
                    .as_deref()
                    .map(|d| format_date(locale, d))
                    .unwrap_or_default(),
            ],
            None => [
                written.full_name.clone(),
                written.role.clone(),
                written.phone.clone(),
                written.since.clone(),
            ],
        }
    };
    let cell = move |i: usize| {
        let cells = cells.clone();
        move || cells()[i].clone()
    };
    let ok = problems.is_empty();
    let texts = move || {
        problems
            .iter()
            .map(|reason| problem_text(i18n, reason, same_as_row))
            .collect::<Vec<_>>()
    };
    view! {
        <tr data-row=number class:row-refused=!ok>
            <th scope="row">{number}</th>
            <td>{cell(0)}</td>
            <td>{cell(1)}</td>
            <td>{cell(2)}</td>
            <td>{cell(3)}</td>
            {if ok {
                view! { <td class="row-ok">{t!(i18n, council_import.row_ok)}</td> }.into_any()
            } else {
                view! {
                    <td class="row-problem error">
                        {move || {
                            texts()
                                .into_iter()
                                .map(|text| view! { <div>{text}</div> })
                                .collect_view()
                        }}
                    </td>
                }
                    .into_any()
            }}
        </tr>
    }
}

/// A row's problem in the person's words; a duplicate says what it duplicates.
fn problem_text(i18n: I18nContext, reason: &Reason, same_as_row: Option<usize>) -> String {
    let text = reason_text(i18n, reason, |f| field_label(i18n, f));
    let locale = i18n.get_locale();
    match reason {
        Reason::Invalid {
            rule: FieldRule::Duplicate,
            ..
        } => {
            let which = match same_as_row {
                Some(row) => td_string!(locale, council_import.same_as_row, row = row).to_string(),
                None => td_string!(locale, council_import.already_member).to_string(),
            };
            format!("{text} ({which})")
        }
        _ => text,
    }
}

fn file_problem_text(i18n: I18nContext, problem: &FileProblem) -> String {
    let locale = i18n.get_locale();
    match problem {
        FileProblem::TooLarge { max_kb } => {
            td_string!(locale, council_import.too_large, max_kb = *max_kb).to_string()
        }
        FileProblem::TooManyRows { max } => {
            td_string!(locale, council_import.too_many_rows, max = *max).to_string()
        }
        FileProblem::NotASpreadsheet => {
            td_string!(locale, council_import.not_a_spreadsheet).to_string()
        }
        FileProblem::NotUtf8 => td_string!(locale, council_import.not_utf8).to_string(),
        FileProblem::Unreadable => td_string!(locale, council_import.unreadable).to_string(),
        FileProblem::NoRows => td_string!(locale, council_import.no_rows).to_string(),
        FileProblem::MissingColumns { fields } => {
            let columns = fields
                .iter()
                .map(|f| field_label(i18n, f))
                .collect::<Vec<_>>()
                .join(", ");
            td_string!(locale, council_import.missing_columns, columns = columns).to_string()
        }
    }
}
