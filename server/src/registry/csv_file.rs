//! `kabinet import companies <file>`: companies from a CSV file (UTF-8, with or without a BOM,
//! or windows-1251; `;` or `,`), one company per line under a header that names the columns
//! (docs/import.md «The company registry»).

use shared::registry::{CompanyDraft, CompanyKind};

/// The columns a file must have.
const REQUIRED: [&str; 5] = ["inn", "ogrn", "full_name", "registered", "region"];

/// Reads the file into drafts, each with its line («строка N»); a file that cannot be read
/// as a table is refused with the reason.
pub fn read(bytes: &[u8]) -> Result<Vec<(String, CompanyDraft)>, Vec<String>> {
    let text = super::egrul::decode(bytes, None);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = crate::import::csv_table(text);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![format!("строка 1: {e}")]),
    };
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| column(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(vec![format!(
            "строка 1: нет столбцов {} (нужны {})",
            missing.join(", "),
            REQUIRED.join(", ")
        )]);
    }
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let place = format!("строка {}", index + 2);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{place}: {e}"));
                continue;
            }
        };
        let get = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_string()
        };
        let flag = |name: &str| match get(name).to_lowercase().as_str() {
            "" | "0" | "нет" | "no" | "false" => Ok(false),
            "1" | "да" | "yes" | "true" => Ok(true),
            other => Err(format!(
                "{place}: {name}: «{other}» — укажите 1 (да) или 0 (нет)"
            )),
        };
        let (unreliable, tax_debt) = match (flag("unreliable"), flag("tax_debt")) {
            (Ok(u), Ok(t)) => (u, t),
            (u, t) => {
                errors.extend(u.err());
                errors.extend(t.err());
                continue;
            }
        };
        let inn = get("inn");
        let kind = match get("kind") {
            k if !k.is_empty() => k,
            // Without the column: a 12-digit ИНН is an entrepreneur's.
            _ if inn.len() == 12 => CompanyKind::Entrepreneur.code().to_string(),
            _ => CompanyKind::Legal.code().to_string(),
        };
        let status = match get("status") {
            s if s.is_empty() => "active".to_string(),
            s => s,
        };
        drafts.push((
            place,
            CompanyDraft {
                kind,
                full_name: get("full_name"),
                short_name: get("short_name"),
                inn,
                kpp: get("kpp"),
                ogrn: get("ogrn"),
                registered: get("registered"),
                region: get("region"),
                legal_address: get("legal_address"),
                unreliable,
                head_name: get("head_name"),
                head_position: get("head_position"),
                status,
                tax_debt,
            },
        ));
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gives_drafts_by_line() {
        let file = "\u{feff}inn;kpp;ogrn;full_name;short_name;registered;region;tax_debt\n\
            7718004558;771801001;1247700044338;ООО «Листок»;;20.05.2024;77;1\n\
            772103485146;;320774600123457;ИП Кузнецова Мария Петровна;;11.09.2020;77;\n";
        let drafts = read(file.as_bytes()).expect("a table");
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].0, "строка 2");
        assert_eq!(drafts[0].1.kind, "legal");
        assert!(drafts[0].1.tax_debt);
        assert_eq!(drafts[1].1.kind, "entrepreneur");
        assert_eq!(drafts[1].1.status, "active");
    }

    #[test]
    fn a_missing_column_or_a_bad_flag_is_reported() {
        let errors = read(b"inn,ogrn\n1,2\n").expect_err("columns missing");
        assert_eq!(
            errors,
            [
                "строка 1: нет столбцов full_name, registered, region (нужны inn, ogrn, full_name, registered, region)"
            ]
        );
        let errors = read(
            "inn;ogrn;full_name;registered;region;unreliable\n1;2;Х;01.01.2020;77;может\n"
                .as_bytes(),
        )
        .expect_err("a bad flag");
        assert_eq!(
            errors,
            ["строка 2: unreliable: «может» — укажите 1 (да) или 0 (нет)"]
        );
    }

    #[test]
    fn windows_1251_is_read() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("inn;ogrn;full_name;registered;region\n2225007312;1192225000813;Северный ветер;14.03.2019;22\n");
        let drafts = read(&bytes).expect("a table");
        assert_eq!(drafts[0].1.full_name, "Северный ветер");
    }
}
