//! Files of cases (P-5): kept outside the web root under random names by a [`FileStore`]
//! (a local directory here; an object store can take its place), their type recognised from
//! the content, never from the name the customer gave.

use anyhow::Context;
use async_trait::async_trait;
use shared::cases::FileType;
use std::path::PathBuf;

/// Where case files live.
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Stores the bytes; returns the key to fetch them by.
    async fn put(&self, bytes: &[u8]) -> anyhow::Result<String>;
    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>>;
    async fn delete(&self, key: &str) -> anyhow::Result<()>;
}

/// The stored-file tables whose rows the retention jobs claim.
#[derive(Debug, Clone, Copy)]
pub enum FileTable {
    CaseFiles,
    KeptFiles,
}

/// Removes the rows `ids` of `table` and their bytes; how many this call removed. A row is
/// claimed by deleting it, so two instances never both count it; the bytes go after the row
/// (a failure leaves bytes nobody can reach, logged).
pub async fn remove_claimed(
    db: &crate::db::Db,
    store: &dyn FileStore,
    table: FileTable,
    ids: Vec<i64>,
) -> Result<usize, shared::ApiError> {
    let table = match table {
        FileTable::CaseFiles => "case_files",
        FileTable::KeptFiles => "kept_files",
    };
    let mut removed = 0;
    for id in ids {
        // Only the two table names above are put into the text.
        let claimed: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE id = $1 RETURNING storage_key"
        )))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .map_err(crate::error::db)?;
        let Some(key) = claimed else { continue };
        if let Err(e) = store.delete(&key).await {
            tracing::warn!(error = %e, table, file = id, "an expired file was not removed from the store");
        }
        removed += 1;
    }
    Ok(removed)
}

/// Files in a directory, each under a random 32-hex-digit name in a two-letter subdirectory.
pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        // Keys are ours, but a key that is not one of ours must never reach another path.
        anyhow::ensure!(
            key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()),
            "not a file key"
        );
        Ok(self.root.join(&key[..2]).join(key))
    }
}

#[async_trait]
impl FileStore for LocalFiles {
    async fn put(&self, bytes: &[u8]) -> anyhow::Result<String> {
        let key = hex::encode(rand::random::<[u8; 16]>());
        let path = self.path(&key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .with_context(|| format!("creating {}", dir.display()))?;
        }
        // Written aside and renamed, so that a half-written file is never served.
        let partial = path.with_extension("part");
        tokio::fs::write(&partial, bytes)
            .await
            .with_context(|| format!("writing {}", partial.display()))?;
        tokio::fs::rename(&partial, &path).await?;
        Ok(key)
    }

    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        let path = self.path(key)?;
        tokio::fs::read(&path)
            .await
            .with_context(|| format!("reading {}", path.display()))
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

/// The type of a file by its content, if it is one a case accepts (PDF, JPEG, PNG, TIFF,
/// DOC/DOCX, XLS/XLSX, plain text).
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if let Some(kind) = infer::get(bytes) {
        return match kind.mime_type() {
            "application/pdf" => Some(FileType::Pdf),
            "image/jpeg" => Some(FileType::Jpeg),
            "image/png" => Some(FileType::Png),
            "image/tiff" => Some(FileType::Tiff),
            "application/msword" => Some(FileType::Doc),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Some(FileType::Docx)
            }
            "application/vnd.ms-excel" => Some(FileType::Xls),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Some(FileType::Xlsx)
            }
            // Word and Excel 97–2003 share the compound file format; `infer` names it by
            // its first stream, which is enough to tell it from anything else.
            m if m.starts_with("application/x-ole-storage") => Some(FileType::Doc),
            _ => None,
        };
    }
    is_text(bytes).then_some(FileType::Text)
}

/// Plain text: UTF-8 (or a single-byte Cyrillic encoding) without control characters other
/// than tabs and line ends.
fn is_text(bytes: &[u8]) -> bool {
    if bytes.is_empty() || bytes.contains(&0) {
        return false;
    }
    let controls = |c: u32| c < 0x20 && !matches!(c, 0x09 | 0x0a | 0x0d | 0x0c);
    match std::str::from_utf8(bytes) {
        Ok(text) => !text.chars().any(|c| controls(c as u32)),
        // Windows-1251 text: every byte ≥ 0x80 is a letter or a sign; no control characters.
        Err(_) => !bytes.iter().any(|&b| controls(u32::from(b)) || b == 0x7f),
    }
}

/// A file name safe to give back in `Content-Disposition` and to show: no path, no control
/// characters, at most 200 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "файл".to_string()
    } else {
        cleaned.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_5_types_come_from_content_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Some(FileType::Pdf));
        assert_eq!(
            sniff(&[
                0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d
            ]),
            Some(FileType::Png)
        );
        assert_eq!(
            sniff(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F']),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            sniff("Показания: 12345\r\n".as_bytes()),
            Some(FileType::Text)
        );
        // An executable, a script with control bytes, an HTML page pretending to be a PDF.
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(sniff(b"\x1b[31mhello"), None);
    }

    #[test]
    fn names_lose_their_paths() {
        assert_eq!(clean_name("C:\\Users\\me\\скан.pdf"), "скан.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name(".."), "файл");
        assert_eq!(clean_name("a\"b\n.txt"), "ab.txt");
    }

    #[tokio::test]
    async fn stored_files_come_back_and_foreign_keys_are_refused() {
        let dir = std::env::temp_dir().join(format!("kabinet-files-{}", rand::random::<u64>()));
        let store = LocalFiles::new(dir.clone());
        let key = store.put(b"hello").await.expect("put");
        assert_eq!(store.get(&key).await.expect("get"), b"hello");
        assert!(store.get("../../etc/passwd").await.is_err());
        store.delete(&key).await.expect("delete");
        assert!(store.get(&key).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
