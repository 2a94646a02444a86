//! The members import's preview: each row as it would be written, or what is wrong with it or
//! with the file.
use super::import::{FileProblem, ImportRow, Preview};
use super::member_role_label;
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{FieldRule, Reason};
use crate::ui::I18nContext;
use crate::ui::{field_label, reason_text};
use leptos::prelude::*;

/// A file refused whole, or its rows in a table with the summary and the apply button.
#[component]
pub(super) fn PreviewView(
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
pub(super) fn problem_text(
    i18n: I18nContext,
    reason: &Reason,
    same_as_row: Option<usize>,
) -> String {
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

pub(super) fn file_problem_text(i18n: I18nContext, problem: &FileProblem) -> String {
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
