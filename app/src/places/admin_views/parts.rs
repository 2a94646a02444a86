//! What the district and village forms of the places page share: the outcome of a save, the
//! notice under a form, a name field, and putting the focus on a field to fix.
use crate::errors::AppError;
use crate::i18n::*;
use crate::ui::I18nContext;
use leptos::html;
use leptos::prelude::*;

/// What the last save of a form said.
#[derive(Clone, Debug)]
pub(super) enum Outcome {
    /// Saved; the name, and whether the Kazakh one is still missing.
    Saved(String, bool),
    Failed(AppError),
}

/// An error in the person's words; a refused field says what that field needs.
pub(super) fn error_text(i18n: I18nContext, error: &AppError) -> String {
    let field = match error {
        AppError::InvalidField(field) => field.as_str(),
        other => return other.message(i18n.get_locale()),
    };
    match field {
        "district_name_ru" | "village_name_ru" => t_string!(i18n, places_admin.error_name_ru),
        "district_name_kk" | "village_name_kk" => t_string!(i18n, places_admin.error_name_kk),
        "village_okrug" => t_string!(i18n, places_admin.error_okrug),
        "village_district" => t_string!(i18n, places_admin.error_district),
        "lat" | "lon" => t_string!(i18n, places_admin.error_position),
        _ => return error.message(i18n.get_locale()),
    }
    .to_owned()
}

/// The field an error names, to mark it invalid.
pub(super) fn bad_field(outcome: &Option<Outcome>) -> String {
    match outcome {
        Some(Outcome::Failed(AppError::InvalidField(f) | AppError::NameTaken(f))) => f.clone(),
        _ => String::new(),
    }
}

/// The notice under a form: saved (role="status") or the error (role="alert").
#[component]
pub(super) fn OutcomeNotice(
    outcome: RwSignal<Option<Outcome>>,
    saved: fn(I18nContext, &str) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match outcome.get() {
        Some(Outcome::Saved(name, kk_missing)) => view! {
            <p class="notice" role="status">
                {saved(i18n, &name)}
                <Show when=move || kk_missing>" " {t!(i18n, places_admin.kk_missing)}</Show>
            </p>
        }
        .into_any(),
        Some(Outcome::Failed(error)) => {
            view! { <p class="error" role="alert">{move || error_text(i18n, &error)}</p> }
                .into_any()
        }
        None => ().into_any(),
    }
}

/// A text field bound to `value`, marked invalid when the last error named `id`.
#[component]
pub(super) fn NameField(
    id: &'static str,
    label: Signal<String>,
    value: RwSignal<String>,
    outcome: RwSignal<Option<Outcome>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<Signal<String>>,
    #[prop(optional)] node: NodeRef<html::Input>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <label for=id>{label}</label>
        <input
            node_ref=node
            id=id
            type="text"
            maxlength="200"
            autocomplete="off"
            required=required
            aria-describedby=described
            aria-invalid=move || (bad_field(&outcome.get()) == id).to_string()
            bind:value=value
        />
        {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
    }
}

/// Puts the cursor in a form's first field (which scrolls it into view) after a pick.
pub(super) fn focus(node: NodeRef<html::Input>) {
    if let Some(input) = node.get_untracked() {
        let _ = input.focus();
    }
}
