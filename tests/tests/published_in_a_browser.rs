//! Every published page opened in a real browser (headless Chromium, as a
//! reader of `published/` would): no console message (a script error, a
//! refused load, a blocked inline script are all reported there), and no
//! dead local link, a file or an anchor, in the page as the browser built it.
//! The portal's filter is driven through its `?q=` link and checked row by
//! row.
//!
//! The browser is `$HWC_CHROMIUM`, else `chromium`, `chromium-browser` or
//! `google-chrome` on the `PATH`. Without one the test says so and passes,
//! unless `HWC_BROWSER_REQUIRED=1` (CI sets it, after installing Debian's
//! chromium), where a missing browser fails it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex_lite::Regex;
use workspace_tests::published_dir;

fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HWC_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

fn required() -> bool {
    std::env::var("HWC_BROWSER_REQUIRED").is_ok_and(|v| v == "1")
}

/// What the browser made of a page: the DOM after its scripts ran, and
/// the console lines it logged.
struct Opened {
    dom: String,
    console: Vec<String>,
}

fn open(browser: &Path, url: &str) -> Opened {
    let profile = tempfile::tempdir().expect("a profile directory");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("{} cannot run: {e}", browser.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{} failed on {url}: {stderr}",
        browser.display()
    );
    Opened {
        dom: String::from_utf8_lossy(&output.stdout).into_owned(),
        console: stderr
            .lines()
            .filter(|l| l.contains("CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

fn url_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The published HTML pages: the portal and every reference page.
fn pages() -> Vec<PathBuf> {
    let root = published_dir();
    let mut pages = vec![root.join("index.html")];
    let mut services: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("published/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("reference.html").is_file())
        .map(|p| p.join("reference.html"))
        .collect();
    services.sort();
    assert!(!services.is_empty(), "no reference page under published/");
    pages.extend(services);
    pages
}

/// The ids of a document, for its anchors.
fn ids(html: &str) -> BTreeSet<String> {
    let re = Regex::new(r#"\sid="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

/// The links of a document that stay on this machine: relative ones and
/// bare anchors (an `http(s):` or `mailto:` link is the reader's to follow).
fn local_links(html: &str) -> Vec<String> {
    let re = Regex::new(r#"\s(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .filter(|l| !l.contains(':'))
        .collect()
}

/// Where a local link of `page` leads: a file that must exist and, with a
/// fragment, an id it must have.
fn dead_links(page: &Path, dom: &str) -> Vec<String> {
    let mut dead = Vec::new();
    let dir = page.parent().expect("a page has a directory");
    for link in local_links(dom) {
        let (file, fragment) = match link.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (link.as_str(), None),
        };
        let file = file.split('?').next().unwrap_or_default();
        let target = if file.is_empty() {
            page.to_path_buf()
        } else {
            dir.join(file)
        };
        if !target.is_file() {
            dead.push(format!("{link}: no file {}", target.display()));
            continue;
        }
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let html = if target == page {
                dom.to_string()
            } else {
                std::fs::read_to_string(&target).unwrap_or_default()
            };
            if !ids(&html).contains(fragment) {
                dead.push(format!(
                    "{link}: no id `{fragment}` in {}",
                    target.display()
                ));
            }
        }
    }
    dead
}

fn with_browser() -> Option<PathBuf> {
    match browser() {
        Some(b) => Some(b),
        None if required() => {
            panic!("HWC_BROWSER_REQUIRED=1 but no chromium found (set HWC_CHROMIUM)")
        }
        None => {
            eprintln!(
                "no headless browser (chromium, chromium-browser, google-chrome or \
                 $HWC_CHROMIUM): the published pages were not opened"
            );
            None
        }
    }
}

#[test]
fn every_published_page_opens_without_a_console_message_or_a_dead_link() {
    let Some(browser) = with_browser() else {
        return;
    };
    let mut problems = Vec::new();
    for page in pages() {
        let opened = open(&browser, &url_of(&page));
        assert!(
            opened.dom.contains("</html>"),
            "{}: no document came back",
            page.display()
        );
        for line in &opened.console {
            problems.push(format!("{}: console: {line}", page.display()));
        }
        for dead in dead_links(&page, &opened.dom) {
            problems.push(format!("{}: dead link {dead}", page.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The portal's one script runs (its hash is the one its policy allows)
/// and filters: with `?q=` the box is filled, a row is shown exactly when
/// it has every word, and the count says how many.
#[test]
fn the_portal_filters_operations_in_the_browser() {
    let Some(browser) = with_browser() else {
        return;
    };
    let portal = published_dir().join("index.html");
    let row = Regex::new(r#"<tr data-op="([^"]*)"( hidden="")?>"#).unwrap();
    let count = Regex::new(r#"id="shown"[^>]*>(\d+) of (\d+) operations<"#).unwrap();
    for query in ["", "scheduled", "get jobs", "delete kafka"] {
        let opened = open(
            &browser,
            &format!("{}?q={}", url_of(&portal), query.replace(' ', "+")),
        );
        assert!(opened.console.is_empty(), "{:?}", opened.console);
        let words: Vec<&str> = query.split_whitespace().collect();
        let rows: Vec<(String, bool)> = row
            .captures_iter(&opened.dom)
            .map(|c| (c[1].to_string(), c.get(2).is_none()))
            .collect();
        assert!(
            rows.len() >= 40,
            "every operation has a row: {}",
            rows.len()
        );
        for (text, shown) in &rows {
            let wanted = words.iter().all(|w| text.contains(w));
            assert_eq!(*shown, wanted, "`{query}`: row `{text}`");
        }
        let shown = rows.iter().filter(|(_, s)| *s).count();
        assert!(shown > 0, "`{query}` shows something");
        let said = count
            .captures(&opened.dom)
            .unwrap_or_else(|| panic!("the script ran and counted: {}", &opened.dom[..500]));
        assert_eq!(said[1].parse::<usize>().unwrap(), shown, "`{query}`");
        assert_eq!(said[2].parse::<usize>().unwrap(), rows.len(), "`{query}`");
        if !query.is_empty() {
            assert!(shown < rows.len(), "`{query}` hides something");
        }
    }
}
