//! Completion as a shell does it: the script `hwc-tasks completions SHELL`
//! prints, sourced by bash, zsh and fish, completes service names, statuses,
//! output formats and options after a subcommand (which clap_complete's
//! static bash script does not do for a hyphenated name). A test whose shell
//! is not installed says so and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn shell(name: &str) -> Option<PathBuf> {
    ["/usr/bin", "/bin", "/usr/local/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

/// The script for `shell`, written to a file in `dir`.
fn script(shell: &str, dir: &Path) -> PathBuf {
    let output = Command::new(env!("CARGO_BIN_EXE_hwc-tasks"))
        .args(["completions", shell])
        .env_clear()
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = dir.join(format!("hwc-tasks.{shell}"));
    std::fs::write(&file, &output.stdout).unwrap();
    file
}

/// PATH with the tool's directory first, as an installed tool would be.
fn path() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_hwc-tasks")).parent().unwrap();
    format!("{}:/usr/bin:/bin", bin.display())
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

macro_rules! need {
    ($name:expr) => {
        match shell($name) {
            Some(p) => p,
            None => {
                eprintln!("skipped: {} is not installed", $name);
                return;
            }
        }
    };
}

#[test]
fn bash_completes_after_the_subcommand() {
    let bash = need!("bash");
    let dir = tempfile::tempdir().unwrap();
    let file = script("bash", dir.path());
    // What bash's completion does on TAB: COMP_WORDS and COMP_CWORD set, the
    // function called with the command, the current and the previous word.
    let complete = |line: &[&str]| -> Vec<String> {
        let words_ = line
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" ");
        let n = line.len() - 1;
        let program = format!(
            "source '{}'; COMP_WORDS=({words_}); COMP_CWORD={n}; \
             _clap_complete_hwc_tasks hwc-tasks \"${{COMP_WORDS[{n}]}}\" \"${{COMP_WORDS[{}]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display(),
            n - 1
        );
        let output = Command::new(&bash)
            .args(["--norc", "--noprofile", "-c", &program])
            .env_clear()
            .env("PATH", path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        words(&String::from_utf8_lossy(&output.stdout))
    };
    assert_eq!(complete(&["hwc-tasks", "li"]), ["list"]);
    assert_eq!(complete(&["hwc-tasks", "list", "d"]), ["dcs", "dds"]);
    let statuses = complete(&["hwc-tasks", "list", "dcs", "--status", ""]);
    assert_eq!(
        statuses,
        [
            "pending",
            "running",
            "succeeded",
            "failed",
            "cancelled",
            "unknown"
        ]
    );
    let formats = complete(&["hwc-tasks", "show", "dcs", "t-1", "-o", ""]);
    assert_eq!(formats, ["table", "wide", "json", "ndjson", "csv"]);
    let options = complete(&["hwc-tasks", "list", "dcs", "--ins"]);
    assert_eq!(options, ["--instance-id"], "options after the subcommand");
    let regions = complete(&["hwc-tasks", "--region", "ap-southeast-"]);
    assert!(
        regions.contains(&"ap-southeast-1".to_string()),
        "{regions:?}"
    );
    let sorts = complete(&["hwc-tasks", "list", "dcs", "--sort", "crea"]);
    assert_eq!(sorts, ["created_at"]);
    let endpoints = complete(&["hwc-tasks", "--endpoint", "dc"]);
    assert_eq!(endpoints, ["dcs="]);
}

#[test]
fn fish_completes_services_statuses_and_formats() {
    let fish = need!("fish");
    let dir = tempfile::tempdir().unwrap();
    let file = script("fish", dir.path());
    let complete = |line: &str| -> Vec<String> {
        let program = format!("source '{}'; complete -C '{line}'", file.display());
        let output = Command::new(&fish)
            .args(["--no-config", "-c", &program])
            .env_clear()
            .env("PATH", path())
            .env("HOME", dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(complete("hwc-tasks list d"), ["dcs", "dds"]);
    assert_eq!(
        complete("hwc-tasks list dcs --status "),
        [
            "pending",
            "running",
            "succeeded",
            "failed",
            "cancelled",
            "unknown"
        ]
    );
    assert_eq!(
        complete("hwc-tasks wait dcs t-1 -o "),
        ["table", "wide", "json", "ndjson", "csv"]
    );
    assert_eq!(complete("hwc-tasks delete dcs t-1 --ye"), ["--yes"]);
}

#[test]
fn zsh_completes_services_statuses_and_formats() {
    let zsh = need!("zsh");
    let dir = tempfile::tempdir().unwrap();
    let file = script("zsh", dir.path());
    // An interactive zsh on zsh's own pseudo terminal (zpty), with compinit
    // and the script, typing a line and TAB; the listing it shows.
    let listing = |line: &str| -> String {
        let driver = format!(
            r#"zmodload zsh/zpty
zpty z {zsh} -f -i
zpty -w z 'PROMPT="> "; autoload -Uz compinit; compinit -u -D; source {file}'
zpty -w -n z $'{line}\t'
sleep 2
out=""
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
"#,
            zsh = zsh.display(),
            file = file.display(),
        );
        let output = Command::new(&zsh)
            .args(["-f", "-c", &driver])
            .env_clear()
            .env("PATH", path())
            .env("HOME", dir.path())
            .env("TERM", "dumb")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let shown = listing("hwc-tasks list --status ");
    for status in [
        "pending",
        "running",
        "succeeded",
        "failed",
        "cancelled",
        "unknown",
    ] {
        assert!(shown.contains(status), "{status}: {shown:?}");
    }
    let shown = listing("hwc-tasks show d");
    assert!(shown.contains("dcs") && shown.contains("dds"), "{shown:?}");
    let shown = listing("hwc-tasks list dcs -o ");
    for format in ["table", "wide", "ndjson", "csv"] {
        assert!(shown.contains(format), "{format}: {shown:?}");
    }
}
