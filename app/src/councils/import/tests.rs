use super::reading::{column_of, delimiter, table_of, Column};
use super::*;
use crate::fields::invalid;
use crate::sync::contract::FieldRule;

const TODAY: &str = "2026-11-29";

fn rows_of(preview: &Preview) -> &[ImportRow] {
    match preview {
        Preview::Rows(rows) => rows,
        Preview::File(problem) => panic!("file refused: {problem:?}"),
    }
}

fn preview(file_name: &str, bytes: &[u8], existing: &[Member]) -> Preview {
    match read(file_name, bytes) {
        Ok(table) => check("v1", &table, existing, TODAY),
        Err(problem) => Preview::File(problem),
    }
}

fn member(name: &str, left_on: Option<&str>) -> Member {
    Member {
        id: "m1".into(),
        village_id: "v1".into(),
        full_name: name.into(),
        role: "elder".into(),
        phone: None,
        since: None,
        left_on: left_on.map(str::to_owned),
        version: 1,
        updated_at: String::new(),
    }
}

#[test]
fn excel_csv_with_semicolons_and_a_byte_order_mark_is_read() {
    let csv = "\u{feff}ФИО;Роль;Телефон;Член совета с\r\n\
               Нұров Асқар;Председатель;8 (701) 234-56-78;15.03.2021\r\n\
               ;;;\r\n\
               \"Иванов; Пётр\";аксакал;;\r\n";
    let found = preview("члены.csv", csv.as_bytes(), &[]);
    let rows = rows_of(&found);
    assert_eq!(rows.len(), 2, "the empty row is skipped");
    assert_eq!(rows[0].row, 2);
    let first = rows[0].member.as_ref().expect("a good row");
    assert_eq!(first.full_name, "Нұров Асқар");
    assert_eq!(first.role, "chair");
    assert_eq!(first.phone.as_deref(), Some("+77012345678"));
    assert_eq!(first.since.as_deref(), Some("2021-03-15"));
    assert_eq!(first.village_id, "v1");
    assert_eq!(rows[1].row, 4, "row numbers are the file's");
    assert_eq!(rows[1].member.as_ref().unwrap().full_name, "Иванов; Пётр");
    assert!(found.applicable());
    assert_eq!((found.ready(), found.refused()), (2, 0));
}

#[test]
fn the_delimiter_comes_from_the_header_line() {
    assert_eq!(delimiter("ФИО;Роль;Телефон\nА, Б;chair;\n"), b';');
    assert_eq!(delimiter("Full name,Role\n"), b',');
    assert_eq!(delimiter("Аты-жөні\tРөлі\n"), b'\t');
    assert_eq!(delimiter("Список членов совета\nФИО;Роль\n"), b';');
}

#[test]
fn a_kazakh_header_and_kazakh_role_words_are_understood() {
    let csv = "Аты-жөні,Рөлі,Телефон,Кеңес мүшесі болған күннен\n\
               Сейітов Болат,ақсақал,+7 701 000 00 01,2024-05-01\n\
               Ахметова Сәуле,Әкімдік өкілі,,\n\
               Омаров Ерлан,кәсіпкер,,\n\
               Жақсылықов Нұрлан,төраға,,\n\
               Мұсаев Арман,Кеңес мүшесі,,\n";
    let found = preview("kk.csv", csv.as_bytes(), &[]);
    let roles: Vec<&str> = rows_of(&found)
        .iter()
        .map(|r| r.member.as_ref().expect("every row is good").role.as_str())
        .collect();
    assert_eq!(roles, ["elder", "akimat", "business", "chair", "other"]);
}

#[test]
fn role_words_in_three_languages_and_the_codes_are_accepted() {
    for (written, code) in [
        ("председатель", "chair"),
        ("  Председатель совета ", "chair"),
        ("Chair", "chair"),
        ("Аксакал", "elder"),
        ("старейшина", "elder"),
        ("ELDER", "elder"),
        ("Представитель акимата", "akimat"),
        ("аким", "akimat"),
        ("әкімдік өкілі", "akimat"),
        ("Предприниматель", "business"),
        ("бизнес", "business"),
        ("другое", "other"),
        ("басқа", "other"),
        ("Член совета", "other"),
    ] {
        assert_eq!(role_code(written), Some(code), "{written}");
    }
    assert_eq!(role_code("директор школы"), None);
}

#[test]
fn headings_are_found_whatever_their_case_and_dots() {
    assert_eq!(column_of("Ф.И.О."), Some(Column::Name));
    assert_eq!(column_of(" full name "), Some(Column::Name));
    assert_eq!(column_of("Роль в совете"), Some(Column::Role));
    assert_eq!(column_of("Тел."), Some(Column::Phone));
    assert_eq!(column_of("Дата вступления"), Some(Column::Since));
    assert_eq!(column_of("С"), Some(Column::Since));
    assert_eq!(column_of("№"), None);
}

#[test]
fn a_non_kazakh_phone_is_refused_with_its_row_number() {
    let csv = "ФИО;Роль;Телефон\n\
               Нұров Асқар;chair;+7 701 234 56 78\n\
               Смагулова Гульнар;elder;+7 916 123 45 67\n";
    let found = preview("m.csv", csv.as_bytes(), &[]);
    let rows = rows_of(&found);
    assert!(rows[0].problems.is_empty());
    assert_eq!(rows[1].row, 3);
    assert_eq!(rows[1].problems, [invalid("phone", FieldRule::NotAPhone)]);
    assert_eq!(rows[1].member, None);
    assert_eq!(rows[1].written.phone, "+7 916 123 45 67");
    assert!(!found.applicable());
    assert_eq!((found.ready(), found.refused()), (1, 1));
}

#[test]
fn a_row_lists_all_its_problems_at_once() {
    let csv = "ФИО;Роль;Телефон;С\n;директор;12345;вчера\n";
    let found = preview("m.csv", csv.as_bytes(), &[]);
    assert_eq!(
        rows_of(&found)[0].problems,
        [
            invalid("full_name", FieldRule::Required),
            invalid("role", FieldRule::UnknownChoice),
            invalid("phone", FieldRule::NotAPhone),
            invalid("since", FieldRule::NotADate),
        ]
    );
}

#[test]
fn the_same_name_twice_in_the_file_or_on_the_council_is_refused() {
    let csv = "ФИО,Роль\n\
               Нұров Асқар,chair\n\
               Иванов Пётр,elder\n\
               НҰРОВ  асқар,elder\n\
               Ушедший Член,elder\n";
    let existing = [
        member("Иванов Пётр", None),
        // A member who left may come back.
        member("Ушедший Член", Some("2025-01-01")),
    ];
    let found = preview("m.csv", csv.as_bytes(), &existing);
    let rows = rows_of(&found);
    let duplicate = invalid("full_name", FieldRule::Duplicate);
    assert!(rows[0].problems.is_empty());
    assert_eq!(rows[1].problems, std::slice::from_ref(&duplicate));
    assert_eq!(rows[1].same_as_row, None, "a current member");
    assert_eq!(rows[2].problems, [duplicate]);
    assert_eq!(rows[2].same_as_row, Some(2));
    assert!(rows[3].problems.is_empty());
}

#[test]
fn a_file_without_a_role_column_is_refused_whole() {
    let csv = "ФИО;Телефон\nНұров Асқар;87012345678\n";
    assert_eq!(
        preview("m.csv", csv.as_bytes(), &[]),
        Preview::File(FileProblem::MissingColumns {
            fields: vec!["role".into()]
        })
    );
    assert_eq!(
        preview("m.csv", b"a,b\n1,2\n", &[]),
        Preview::File(FileProblem::MissingColumns {
            fields: vec!["full_name".into(), "role".into()]
        })
    );
}

#[test]
fn a_title_line_above_the_header_is_passed_over() {
    let rows = vec![
        (1, vec!["Список членов совета с. Шуйское".to_owned()]),
        (3, vec!["№".into(), "ФИО".into(), "Роль".into()]),
        (4, vec!["1".into(), "Нұров Асқар".into(), "chair".into()]),
        (5, vec!["2".into()]),
    ];
    let table = table_of(rows).unwrap();
    assert_eq!(
        table.rows.len(),
        1,
        "a row with only its number is no member"
    );
    assert_eq!(table.rows[0].0, 4);
    assert_eq!(table.rows[0].1.full_name, "Нұров Асқар");
}

#[test]
fn too_many_rows_an_empty_file_and_other_files_are_refused() {
    let mut csv = String::from("ФИО;Роль\n");
    for i in 0..=MAX_ROWS {
        csv.push_str(&format!("Член {i};elder\n"));
    }
    assert_eq!(
        preview("m.csv", csv.as_bytes(), &[]),
        Preview::File(FileProblem::TooManyRows { max: MAX_ROWS })
    );
    assert_eq!(
        preview("m.csv", "ФИО;Роль\n;;\n".as_bytes(), &[]),
        Preview::File(FileProblem::NoRows)
    );
    assert_eq!(
        preview("m.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", &[]),
        Preview::File(FileProblem::NotASpreadsheet)
    );
    assert_eq!(
        preview("m.csv", b"\xD4\xC8\xCE;\xD0\xEE\xEB\xFC\n", &[]),
        Preview::File(FileProblem::NotUtf8),
        "Windows-1251 text"
    );
    assert_eq!(
        preview("m.csv", &vec![b'a'; MAX_FILE_BYTES + 1], &[]),
        Preview::File(FileProblem::TooLarge {
            max_kb: MAX_FILE_BYTES / 1024
        })
    );
    assert_eq!(
        preview("m.xlsx", b"PK\x03\x04 not really a zip", &[]),
        Preview::File(FileProblem::Unreadable)
    );
}

#[test]
fn utf16_text_from_excel_is_read() {
    let text = "ФИО\tРоль\r\nНұров Асқар\tchair\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let found = preview("m.txt", &bytes, &[]);
    assert_eq!(rows_of(&found)[0].member.as_ref().unwrap().role, "chair");
}

#[test]
fn dates_written_the_kazakh_way_become_iso() {
    assert_eq!(iso_date("15.03.2021"), "2021-03-15");
    assert_eq!(iso_date("1.3.2021"), "2021-03-01");
    assert_eq!(iso_date("2021-03-15"), "2021-03-15");
    assert_eq!(iso_date("2021-03-15 00:00:00"), "2021-03-15");
    assert_eq!(iso_date("вчера"), "вчера");
}

/// tests/fixtures/members.xlsx, written by tests/support/make_members_xlsx.py.
const XLSX: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/members.xlsx"
));

#[test]
fn an_xlsx_first_sheet_is_read_with_date_and_number_cells() {
    let found = preview("Члены совета.xlsx", XLSX, &[]);
    let rows = rows_of(&found);
    assert_eq!(
        rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        [2, 4, 5],
        "the empty row 3 is skipped, numbers stay the sheet's"
    );
    let chair = rows[0].member.as_ref().expect("row 2 is good");
    assert_eq!(chair.role, "chair");
    assert_eq!(chair.phone.as_deref(), Some("+77012345678"));
    assert_eq!(chair.since.as_deref(), Some("2021-03-15"), "a date cell");
    let elder = rows[1].member.as_ref().expect("row 4 is good");
    assert_eq!(elder.role, "elder");
    assert_eq!(
        elder.phone.as_deref(),
        Some("+77015550011"),
        "a number cell"
    );
    assert_eq!(elder.since.as_deref(), Some("2022-09-01"));
    assert_eq!(rows[2].problems, [invalid("phone", FieldRule::NotAPhone)]);
    assert!(!found.applicable());
}

#[test]
fn a_made_up_count_of_shared_strings_is_noticed() {
    use super::reading::largest_count;
    assert_eq!(largest_count(br#"<sst uniqueCount="12" count="40">"#), 12);
    assert_eq!(largest_count(b"<sst uniqueCount = '7'>"), 7);
    assert_eq!(largest_count(b"<sst count=\"3\">"), 0);
    let huge = format!("<sst uniqueCount=\"{}\">", "9".repeat(50));
    assert_eq!(largest_count(huge.as_bytes()), u128::MAX);
}
