//! What every `kabinet import` shares: reading a CSV file's table (either delimiter) and
//! reporting a refused file, the same way for billing data, the calendar and the registry.

use std::fmt::Display;
use std::path::Path;

/// How many problems of a refused file are printed.
const SHOWN_ERRORS: usize = 200;

/// `;` or `,`: whichever the header line has more of outside quotes (`,` when it has neither).
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    let (mut semicolons, mut commas, mut quoted) = (0usize, 0usize, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// A reader of a CSV table with a header row: either delimiter, values trimmed, rows of any
/// length (a short row's missing values read as empty).
pub fn csv_table(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Prints why a file was not imported, each problem on its line; the exit code (1).
pub fn refused<E: Display>(path: &Path, errors: &[E]) -> i32 {
    eprintln!(
        "{}: файл не импортирован, ошибок: {}",
        path.display(),
        errors.len()
    );
    for error in errors.iter().take(SHOWN_ERRORS) {
        eprintln!("  {error}");
    }
    if errors.len() > SHOWN_ERRORS {
        eprintln!("  … и еще {}", errors.len() - SHOWN_ERRORS);
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_the_header_has_more_of() {
        assert_eq!(detect_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter(""), b',');
    }
}
