//! Static files and compression (#17): the site root's files with their precompressed copies
//! chosen by `Accept-Encoding`, the cache headers of hashed and unhashed files, pages and
//! server functions compressed on the fly, and the portal's «not found» page for the rest.

use crate::common::{Options, each_backend_with};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const WASM: &str = "/pkg/kabinet.Ab3_9xYz-0123456789abc.wasm";

/// A site root as `cargo leptos build --release --precompress` leaves it: a hashed WASM file
/// with its `.br` and `.gz`, an unhashed script, the service worker. Removed when dropped.
struct SiteRoot {
    dir: PathBuf,
    wasm: Vec<u8>,
    wasm_br: Vec<u8>,
    wasm_gz: Vec<u8>,
}

impl SiteRoot {
    fn new() -> SiteRoot {
        let dir = std::env::temp_dir().join(format!(
            "kabinet_test_site_{}_{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        // Compressible, like a real module: a header and repeated sections.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        for i in 0..4000u32 {
            wasm.extend_from_slice(&(i % 97).to_le_bytes());
        }
        let mut wasm_br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut wasm_br, 4096, 9, 22);
            writer.write_all(&wasm).unwrap();
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&wasm).unwrap();
        let wasm_gz = gz.finish().unwrap();
        let write = |path: &str, bytes: &[u8]| {
            std::fs::write(dir.join(path.trim_start_matches('/')), bytes).unwrap()
        };
        write(WASM, &wasm);
        write(&format!("{WASM}.br"), &wasm_br);
        write(&format!("{WASM}.gz"), &wasm_gz);
        write("/pkg/kabinet.js", b"export default function init() {}\n");
        write(
            "/sw.js",
            b"self.addEventListener('fetch', () => {});\n"
                .repeat(40)
                .as_slice(),
        );
        SiteRoot {
            dir,
            wasm,
            wasm_br,
            wasm_gz,
        }
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for SiteRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn options(site: &SiteRoot) -> Options {
    Options {
        env: vec![("LEPTOS_SITE_ROOT", site.path().display().to_string())],
        ..Options::default()
    }
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn brotli_text(bytes: &[u8]) -> String {
    let mut text = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut text)
        .expect("brotli");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p17_precompressed_files_follow_accept_encoding_with_immutable_caching() {
    let site = std::sync::Arc::new(SiteRoot::new());
    each_backend_with(options(&site), |app| {
        let site = site.clone();
        async move {
            let client = app.client();
            let get = |path: &str, encoding: Option<&str>| {
                let mut request = client.get(app.at(path));
                if let Some(encoding) = encoding {
                    request = request.header("accept-encoding", encoding);
                }
                request.send()
            };

            let br = get(WASM, Some("gzip, deflate, br")).await.unwrap();
            assert_eq!(br.status(), 200);
            assert_eq!(header(&br, "content-encoding"), "br");
            assert_eq!(header(&br, "content-type"), "application/wasm");
            assert_eq!(
                header(&br, "cache-control"),
                "public, max-age=31536000, immutable"
            );
            assert!(
                header(&br, "vary")
                    .to_ascii_lowercase()
                    .contains("accept-encoding")
            );
            assert_eq!(br.bytes().await.unwrap(), site.wasm_br);

            let gzip = get(WASM, Some("gzip")).await.unwrap();
            assert_eq!(gzip.status(), 200);
            assert_eq!(header(&gzip, "content-encoding"), "gzip");
            assert_eq!(
                header(&gzip, "cache-control"),
                "public, max-age=31536000, immutable"
            );
            assert_eq!(gzip.bytes().await.unwrap(), site.wasm_gz);

            let raw = get(WASM, None).await.unwrap();
            assert_eq!(raw.status(), 200);
            assert!(raw.headers().get("content-encoding").is_none());
            assert!(
                header(&raw, "vary")
                    .to_ascii_lowercase()
                    .contains("accept-encoding")
            );
            assert_eq!(raw.bytes().await.unwrap(), site.wasm);

            // Unhashed files revalidate; the service worker above all.
            let script = get("/pkg/kabinet.js", Some("br")).await.unwrap();
            assert_eq!(script.status(), 200);
            assert_eq!(header(&script, "cache-control"), "no-cache");
            let worker = get("/sw.js", None).await.unwrap();
            assert_eq!(worker.status(), 200);
            assert_eq!(header(&worker, "cache-control"), "no-cache");
            assert!(header(&worker, "content-type").contains("javascript"));
            // Without a precompressed copy, a file is compressed on the fly.
            let worker = get("/sw.js", Some("br")).await.unwrap();
            assert_eq!(header(&worker, "content-encoding"), "br");
            assert_eq!(header(&worker, "cache-control"), "no-cache");
            assert!(
                brotli_text(&worker.bytes().await.unwrap()).starts_with("self.addEventListener")
            );

            // A file that is not there is the portal's «not found» page.
            for path in [
                "/pkg/kabinet.Zz3_9xYz-0123456789abc.wasm",
                "/no-such-page",
                "/pkg",
            ] {
                let missing = get(path, None).await.unwrap();
                assert_eq!(missing.status(), 404, "{path}");
                assert!(
                    missing
                        .text()
                        .await
                        .unwrap()
                        .contains("Страница не найдена"),
                    "{path}"
                );
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p17_pages_and_server_functions_are_compressed_on_the_fly() {
    let site = std::sync::Arc::new(SiteRoot::new());
    each_backend_with(options(&site), |app| async move {
        let client = app.client();
        let page = client
            .get(app.at("/login"))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(header(&page, "content-encoding"), "br");
        assert!(
            header(&page, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        assert!(page.headers().get("content-security-policy").is_some());
        let html = brotli_text(&page.bytes().await.unwrap());
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.contains("Вход в личный кабинет"));

        let page = client
            .get(app.at("/login"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(header(&page, "content-encoding"), "gzip");
        let mut html = String::new();
        flate2::read::GzDecoder::new(page.bytes().await.unwrap().as_ref())
            .read_to_string(&mut html)
            .unwrap();
        assert!(html.contains("Вход в личный кабинет"));

        // Without Accept-Encoding, as before.
        let page = client.get(app.at("/login")).send().await.unwrap();
        assert!(page.headers().get("content-encoding").is_none());
        assert!(page.text().await.unwrap().contains("Вход в личный кабинет"));

        // A tiny answer is not worth compressing.
        let health = client
            .get(app.at("/healthz"))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert!(health.headers().get("content-encoding").is_none());
        assert_eq!(health.text().await.unwrap(), "ok");
    })
    .await;
}
#[tokio::test]
async fn p17_the_stylesheet_has_a_name_that_does_not_change() {
    // The offline page and the service worker ask for /style.css; the server points it at
    // the stylesheet of the running build (whose name under /pkg carries its hash).
    let site = std::sync::Arc::new(SiteRoot::new());
    each_backend_with(options(&site), |app| async move {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = client.get(app.at("/style.css")).send().await.unwrap();
        assert!(answer.status().is_redirection(), "{}", answer.status());
        let location = header(&answer, "location");
        assert!(
            location.starts_with("/pkg/kabinet") && location.ends_with(".css"),
            "{location}"
        );
    })
    .await;
}
