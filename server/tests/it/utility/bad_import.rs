//! Bad input to `kabinet import` (#9): malformed files — empty, truncated lines, wrong column
//! counts, broken quotes, bytes that are not UTF-8, huge numbers, broken JSON, binary junk —
//! are refused by the command itself with a message naming the line and the problem, an exit
//! code of 1 (never a panic's 101), and nothing of them stored. And the file parser, fed
//! arbitrary bytes and mangled versions of the example files, never panics.

use proptest::prelude::*;
use server::db::Db;
use server::utility::billing::parse::{Format, parse};
use server::utility::billing::records::Kind;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/import-examples")
        .join(name)
}

/// The `kabinet` binary over a SQLite database of its own, as an operator runs it.
struct Operator {
    dir: PathBuf,
}

/// What the operator sees of one command.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Operator {
    fn new() -> Operator {
        let dir = std::env::temp_dir().join(format!(
            "kabinet-bad-import-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        Operator { dir }
    }

    fn database_url(&self) -> String {
        format!("sqlite://{}/kabinet.db", self.dir.display())
    }

    fn import_path(&self, kind: &str, path: &Path) -> Outcome {
        let output = Command::new(env!("CARGO_BIN_EXE_kabinet"))
            .args(["import", kind])
            .arg(path)
            .env("KABINET_DATA_DIR", &self.dir)
            .env("KABINET_DATABASE_URL", self.database_url())
            .env("KABINET_ENV", "development")
            .env("RUST_LOG", "warn")
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("run kabinet import");
        Outcome {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Writes `bytes` to a file named `name` and imports it as `kind`.
    fn import(&self, kind: &str, name: &str, bytes: &[u8]) -> Outcome {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).expect("write the file");
        self.import_path(kind, &path)
    }

    /// Row counts and sums of every billing table: what an import could have changed.
    async fn snapshot(&self) -> String {
        let db = Db::connect(&self.database_url()).await.expect("database");
        let mut out = String::new();
        for table in [
            "branches",
            "suppliers",
            "services",
            "tariffs",
            "accounts",
            "meters",
            "readings",
            "charges",
            "payments",
        ] {
            let (count, ids): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM {table}"
            )))
            .fetch_one(&db.pool)
            .await
            .expect("count");
            out.push_str(&format!("{table}: {count} rows, ids {ids}\n"));
        }
        let (charged, paid): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COALESCE(SUM(amount), 0) FROM charges), \
             (SELECT COALESCE(SUM(amount), 0) FROM payments)",
        )
        .fetch_one(&db.pool)
        .await
        .expect("sums");
        out.push_str(&format!("charged {charged}, paid {paid}\n"));
        db.pool.close().await;
        out
    }
}

impl Drop for Operator {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The example charges moved a year on, so that importing them would add rows.
fn next_year(name: &str) -> String {
    std::fs::read_to_string(example(name))
        .expect("example")
        .replace("2026-", "2027-")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_files_are_refused_with_a_reason_and_leave_nothing() {
    let operator = Operator::new();
    for (kind, name) in [
        ("branches", "branches.csv"),
        ("suppliers", "suppliers.csv"),
        ("services", "services.csv"),
        ("tariffs", "tariffs.csv"),
        ("accounts", "accounts.json"),
        ("meters", "meters.csv"),
        ("readings", "readings.csv"),
        ("charges", "charges.csv"),
        ("payments", "payments.json"),
    ] {
        let outcome = operator.import_path(kind, &example(name));
        assert_eq!(
            outcome.code,
            Some(0),
            "{name}: {}{}",
            outcome.stdout,
            outcome.stderr
        );
    }
    let before = operator.snapshot().await;
    let charges_before = rows(&before, "charges");
    assert!(charges_before > 0, "{before}");

    let charges = next_year("charges.csv");
    let mut lines = charges.lines();
    let header = lines.next().expect("header");
    let good = lines.next().expect("a row");
    let second = lines.next().expect("a second row");
    let payments = next_year("payments.json");

    // (kind, file name, bytes, what the message must say)
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("charges", "empty.csv", Vec::new(), "файл пуст"),
        (
            "charges",
            "blank.csv",
            b"\xEF\xBB\xBF\n\n  \n".to_vec(),
            "файл пуст",
        ),
        (
            "charges",
            "truncated.csv",
            format!("{header}\n{good}\n{}", &second[..second.len() / 2]).into_bytes(),
            "строка 3",
        ),
        (
            "charges",
            "extra-column.csv",
            format!("{header}\n{good}\n{second};лишнее;поле\n").into_bytes(),
            "строка 3",
        ),
        (
            "charges",
            "missing-columns.csv",
            format!("{header}\n{good}\n01;110012345;2027-06\n").into_bytes(),
            "строка 3",
        ),
        (
            "charges",
            "no-header.csv",
            format!("{good}\n{second}\n").into_bytes(),
            "строка 1",
        ),
        (
            "charges",
            "open-quote.csv",
            format!("{header}\n{good}\n01;\"110012345;2027-06;water\n").into_bytes(),
            "строка",
        ),
        (
            "charges",
            "cp1251.csv",
            [
                format!("{header}\n{good}\n").into_bytes(),
                // «Электроснабжение» in Windows-1251, as an old spreadsheet saves it.
                b"01;110012345;2027-06;\xdd\xeb\xe5\xea\xf2\xf0\xee;energy;day;1;1;1\n".to_vec(),
            ]
            .concat(),
            "UTF-8",
        ),
        (
            "charges",
            "huge-amount.csv",
            format!(
                "{header}\n{good}\n{}\n",
                second.replace("303,96", "99999999999999999999999999,99")
            )
            .into_bytes(),
            "строка 3",
        ),
        (
            "charges",
            "huge-quantity.csv",
            format!("{header}\n{good}\n{}\n", second.replace("89,4", "1e400")).into_bytes(),
            "строка 3",
        ),
        (
            "charges",
            "negative-period.csv",
            format!(
                "{header}\n{good}\n{}\n",
                second.replace("2027-06", "-2027-06")
            )
            .into_bytes(),
            "строка 3",
        ),
        (
            "charges",
            "junk.csv",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "строка",
        ),
        ("payments", "empty.json", Vec::new(), "файл пуст"),
        (
            "payments",
            "truncated.json",
            payments.as_bytes()[..payments.len() / 2].to_vec(),
            "оборван",
        ),
        (
            "payments",
            "object.json",
            b"{\"branch\": \"01\"}".to_vec(),
            "массив",
        ),
        (
            "payments",
            "huge.json",
            payments
                .replacen("1743.88", "1e999", 1)
                .replacen("\"350,11\"", "123456789012345678901234567890", 1)
                .into_bytes(),
            "строка",
        ),
        (
            "no-such-kind",
            "charges.csv",
            charges.clone().into_bytes(),
            "unknown kind",
        ),
        (
            "charges",
            "charges.txt",
            charges.clone().into_bytes(),
            ".csv or .json",
        ),
    ];
    for (kind, name, bytes, says) in cases {
        let outcome = operator.import(kind, name, &bytes);
        let context = format!(
            "{kind} {name}: exit {:?}\n{}{}",
            outcome.code, outcome.stdout, outcome.stderr
        );
        assert_eq!(
            outcome.code,
            Some(1),
            "refused, not imported and not a panic: {context}"
        );
        assert!(!outcome.stderr.contains("panicked"), "{context}");
        assert!(
            outcome.stderr.contains(says),
            "the message says «{says}»: {context}"
        );
        assert_eq!(
            operator.snapshot().await,
            before,
            "nothing of {name} was stored: {context}"
        );
    }
    // A file that is not there.
    let outcome = operator.import_path("charges", &operator.dir.join("absent.csv"));
    assert_eq!(outcome.code, Some(1));
    assert!(outcome.stderr.contains("cannot read"), "{}", outcome.stderr);

    // After all that, the well-formed file still goes in whole.
    let outcome = operator.import("charges", "charges-2027.csv", charges.as_bytes());
    assert_eq!(
        outcome.code,
        Some(0),
        "{}{}",
        outcome.stdout,
        outcome.stderr
    );
    let data_rows = charges
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(
        rows(&operator.snapshot().await, "charges"),
        charges_before + data_rows as i64
    );
}

/// The row count of `table` in a snapshot.
fn rows(snapshot: &str, table: &str) -> i64 {
    snapshot
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{table}: ")))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(-1)
}

/// Every kind's example file, as bytes.
fn examples() -> Vec<(Kind, Format, Vec<u8>)> {
    [
        (Kind::Branches, "branches.csv"),
        (Kind::Tariffs, "tariffs.csv"),
        (Kind::Accounts, "accounts.json"),
        (Kind::Meters, "meters.csv"),
        (Kind::Readings, "readings.csv"),
        (Kind::Charges, "charges.csv"),
        (Kind::Payments, "payments.json"),
    ]
    .into_iter()
    .map(|(kind, name)| {
        let path = example(name);
        let format = Format::from_path(&path).expect("format");
        (kind, format, std::fs::read(path).expect("example"))
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Arbitrary bytes as any kind of file, in either format: an answer, never a panic.
    #[test]
    fn the_parser_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for kind in Kind::ALL {
            let _ = parse(kind, Format::Csv, &bytes);
            let _ = parse(kind, Format::Json, &bytes);
        }
    }

    /// The example files cut short, with bytes replaced or inserted: still an answer, and a
    /// refusal names lines of the file.
    #[test]
    fn the_parser_survives_mangled_examples(
        which in 0usize..7,
        cut in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), any::<bool>()), 0..6),
    ) {
        let (kind, format, mut bytes) = examples().swap_remove(which);
        for (at, byte, insert) in edits {
            let i = at.index(bytes.len());
            if insert { bytes.insert(i, byte) } else { bytes[i] = byte }
        }
        let keep = cut.index(bytes.len() + 1);
        bytes.truncate(keep);
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        if let Err(rows) = parse(kind, format, &bytes) {
            prop_assert!(!rows.is_empty());
            prop_assert!(rows.iter().all(|r| r.line >= 1 && r.line <= lines && !r.message.is_empty()),
                "{:?}", rows);
        }
    }
}
