//! The kit every record kind's pages share (browser and server render alike): offline forms
//! (drafts, fields, saving through the outbox), lists read from the device with their filter
//! bar, labels, and the error notice. It sits above the sync engine and below the kinds: it
//! names no kind (DESIGN §3).
mod draft;
mod fields;
mod filter;
mod gps;
mod labels;
mod notice;
mod records;
mod save;

pub use draft::{default_to_today, use_draft, use_draft_kept, use_fix, Fields, Keeping};
pub use fields::{ids_in, ChoiceField, I18nContext, MultiPick, SaveRow, VillageField};
pub use filter::{Facets, FilterBar, ListFilter};
pub use gps::{coordinate, current_position};
pub use labels::{
    clock, field_label, reason_text, record_state_label, rule_text, today, StateBadge,
};
pub use notice::ErrorNotice;
pub use records::{
    edit_page, role_may, use_local_record, use_local_records, use_reference, use_role,
    village_name, RecordsTop,
};
pub use save::{save_change_then, save_form, save_new, save_then_list, Change};
