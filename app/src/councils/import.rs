//! A council's members imported from the akimat's own list: a CSV or XLSX file whose first
//! row names the columns (full name, role, phone, since). Reading the file is server work
//! (`read`); each row is then checked with the one member rule, `NewMember::checked`, plus
//! duplicate names (`check`). The page shows the outcome before anything is written.
use super::types::{Member, NewMember};
use crate::stored::StoredEnum;
use crate::sync::contract::Reason;
use serde::{Deserialize, Serialize};

/// The largest file taken: a council of fifteen is a few kilobytes and 500 rows about 40 KB
/// as CSV; the file travels base64-encoded (4/3 larger) and form-encoded (`+`, `/`, `=` take
/// three characters each) under the server functions' body limit of 256 KiB
/// (`server/src/security.rs`).
pub const MAX_FILE_BYTES: usize = 160 * 1024;
/// The most member rows one file may hold.
pub const MAX_ROWS: usize = 500;

/// Why a whole file is refused, before any row is looked at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    TooLarge {
        max_kb: usize,
    },
    TooManyRows {
        max: usize,
    },
    /// Neither CSV nor XLSX (an old `.xls`, a PDF, a Word file…).
    NotASpreadsheet,
    /// A CSV in another encoding than UTF-8 (or UTF-16 with its mark).
    NotUtf8,
    /// A damaged or password-protected XLSX, or CSV that does not parse.
    Unreadable,
    /// No member rows under the header.
    NoRows,
    /// The header row lacks these columns (`full_name`, `role`).
    MissingColumns {
        fields: Vec<String>,
    },
}

/// A row's cells as written in the file (shortened for display).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub full_name: String,
    pub role: String,
    pub phone: String,
    pub since: String,
}

/// One member row of the file and what the check made of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub written: Written,
    /// The member as he would be stored, when the row has no problem.
    pub member: Option<NewMember>,
    pub problems: Vec<Reason>,
    /// With a duplicate name: the earlier row of the file holding it (none when the name is
    /// a current member's).
    pub same_as_row: Option<usize>,
}

/// What a check of a file found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Preview {
    Rows(Vec<ImportRow>),
    File(FileProblem),
}

impl Preview {
    /// Rows that would be written.
    pub fn ready(&self) -> usize {
        match self {
            Self::Rows(rows) => rows.iter().filter(|r| r.problems.is_empty()).count(),
            Self::File(_) => 0,
        }
    }

    /// Rows refused (or 1 for a file refused whole).
    pub fn refused(&self) -> usize {
        match self {
            Self::Rows(rows) => rows.iter().filter(|r| !r.problems.is_empty()).count(),
            Self::File(_) => 1,
        }
    }

    /// The import may be applied: rows, none of them refused.
    pub fn applicable(&self) -> bool {
        self.ready() > 0 && self.refused() == 0
    }
}

/// The answer to applying a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ApplyOutcome {
    Imported {
        count: usize,
    },
    /// Nothing written: the file (re-checked on the server) has problems.
    Refused(Preview),
}

/// A file's member rows: its row number and the four cells, header found and empty rows
/// skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<(usize, Written)>,
}

/// Every row of the table checked for `village_id` against the council's members `existing`.
pub fn check(village_id: &str, table: &Table, existing: &[Member], today: &str) -> Preview {
    if table.rows.is_empty() {
        return Preview::File(FileProblem::NoRows);
    }
    let current: Vec<String> = existing
        .iter()
        .filter(|m| m.current())
        .map(|m| crate::fields::name_key(&m.full_name))
        .collect();
    let mut first_rows = std::collections::HashMap::<String, usize>::new();
    let rows = table
        .rows
        .iter()
        .map(|(row, cells)| {
            let draft = NewMember {
                village_id: village_id.to_owned(),
                full_name: cells.full_name.clone(),
                role: role_code(&cells.role).map_or_else(|| cells.role.clone(), str::to_owned),
                phone: Some(cells.phone.clone()).filter(|p| !p.is_empty()),
                since: Some(iso_date(&cells.since)).filter(|d| !d.is_empty()),
                left_on: None,
            };
            let (member, mut problems) = match checked_all(&draft, today) {
                Ok(member) => (Some(member), Vec::new()),
                Err(problems) => (None, problems),
            };
            let key = crate::fields::name_key(&cells.full_name);
            let mut same_as_row = None;
            if !key.is_empty() {
                let first = *first_rows.entry(key.clone()).or_insert(*row);
                if first != *row {
                    same_as_row = Some(first);
                }
                if same_as_row.is_some() || current.contains(&key) {
                    problems.push(crate::fields::invalid(
                        "full_name",
                        crate::sync::contract::FieldRule::Duplicate,
                    ));
                }
            }
            ImportRow {
                row: *row,
                written: shortened(cells),
                member: member.filter(|_| problems.is_empty()),
                problems,
                same_as_row,
            }
        })
        .collect();
    Preview::Rows(rows)
}

/// The member rule, which stops at a row's first problem, applied to each cell alone as well,
/// so that a row lists all its problems at once.
fn checked_all(draft: &NewMember, today: &str) -> Result<NewMember, Vec<Reason>> {
    draft.checked(today).map_err(|first| {
        let base = NewMember {
            village_id: draft.village_id.clone(),
            full_name: "Ф".into(),
            role: super::MemberRole::Other.as_str().into(),
            ..NewMember::default()
        };
        let alone = [
            NewMember {
                full_name: draft.full_name.clone(),
                ..base.clone()
            },
            NewMember {
                role: draft.role.clone(),
                ..base.clone()
            },
            NewMember {
                phone: draft.phone.clone(),
                ..base.clone()
            },
            NewMember {
                since: draft.since.clone(),
                ..base.clone()
            },
        ];
        let mut problems: Vec<Reason> = alone
            .iter()
            .filter_map(|m| m.checked(today).err())
            .collect();
        problems.dedup();
        if problems.is_empty() {
            problems.push(first);
        }
        problems
    })
}

/// The cells as shown back: long texts cut, so a preview stays small whatever the file holds.
fn shortened(cells: &Written) -> Written {
    let cut = |text: &str| text.chars().take(SHOWN_CHARS).collect::<String>();
    Written {
        full_name: cut(&cells.full_name),
        role: cut(&cells.role),
        phone: cut(&cells.phone),
        since: cut(&cells.since),
    }
}

const SHOWN_CHARS: usize = 120;

/// Letters and digits only, lower case: «Ф.И.О.», «ф. и. о.» and «ФИО» are one heading.
fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// The stored role code for a role cell: the code itself or the word an akimat writes, in
/// Russian, Kazakh or English. `None` leaves the cell to the rule, which refuses it.
pub fn role_code(cell: &str) -> Option<&'static str> {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "chair",
            &[
                "председатель",
                "председательсовета",
                "төраға",
                "кеңестөрағасы",
                "кеңестөрайымы",
                "chairman",
                "chairperson",
            ],
        ),
        (
            "elder",
            &[
                "аксакал",
                "ақсақал",
                "старейшина",
                "aksakal",
                "elderaksakal",
            ],
        ),
        (
            "akimat",
            &[
                "аким",
                "акимат",
                "представительакимата",
                "әкім",
                "әкімдік",
                "әкімдіката",
                "әкімдікөкілі",
                "akimatrepresentative",
            ],
        ),
        (
            "business",
            &[
                "предприниматель",
                "бизнес",
                "бизнесмен",
                "представительбизнеса",
                "кәсіпкер",
                "бизнесөкілі",
                "localbusiness",
                "entrepreneur",
            ],
        ),
        (
            "other",
            &[
                "другое",
                "другой",
                "членсовета",
                "басқа",
                "кеңесмүшесі",
                "councilmember",
                "member",
            ],
        ),
    ];
    let word = folded(cell);
    super::types::role_codes()
        .into_iter()
        .find(|code| *code == word)
        .or_else(|| {
            WORDS
                .iter()
                .find(|(_, words)| words.contains(&word.as_str()))
                .map(|(code, _)| *code)
        })
}

/// `DD.MM.YYYY` (or `D.M.YYYY`) and `YYYY-MM-DD` with a time after it become `YYYY-MM-DD`;
/// anything else is left for the rule to judge.
pub fn iso_date(cell: &str) -> String {
    let cell = cell.trim();
    let parts: Vec<&str> = cell.split('.').collect();
    if let [day, month, year] = parts[..] {
        let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if digits(day, 1..=2) && digits(month, 1..=2) && digits(year, 4..=4) {
            return format!("{year}-{month:0>2}-{day:0>2}");
        }
    }
    match cell.get(..10) {
        Some(date) if cell.len() > 10 && matches!(cell.as_bytes()[10], b' ' | b'T') => {
            date.to_owned()
        }
        _ => cell.to_owned(),
    }
}

#[cfg(feature = "ssr")]
mod reading;
#[cfg(feature = "ssr")]
pub use reading::read;

#[cfg(all(test, feature = "ssr"))]
mod tests;
