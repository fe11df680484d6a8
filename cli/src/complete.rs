//! Shell completion, computed by the tool itself (clap_complete's dynamic
//! completion): the script a shell sources calls `hwc-tasks` back with
//! `COMPLETE=<shell>` and the words typed so far, so service names,
//! statuses, regions and formats come from the same tables as the checks,
//! and the script does not depend on how the binary's name is spelt (the
//! static bash script of clap_complete completes nothing after a subcommand
//! of a hyphenated name).

use std::io::Write;

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{CompleteEnv, Shells};
use huaweicloud_tasks::SERVICES;
use huaweicloud_tasks::auth::ProfileFileProvider;

use crate::check::STATUSES;
use crate::exit;
use crate::row::COLUMNS;

/// The services, with their titles.
pub fn services() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        SERVICES
            .iter()
            .map(|s| CompletionCandidate::new(s.module).help(Some(s.title.into())))
            .collect()
    })
}

/// The normalized statuses.
pub fn statuses() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        STATUSES
            .into_iter()
            .map(|s| CompletionCandidate::new(s.as_str()))
            .collect()
    })
}

/// `SERVICE=` for each service, to be followed by its URL.
pub fn endpoints() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        SERVICES
            .iter()
            .map(|s| {
                CompletionCandidate::new(format!("{}=", s.module))
                    .help(Some(format!("endpoint of {}", s.title).into()))
            })
            .collect()
    })
}

/// The sections of the credentials file (names only, never values).
pub fn profiles() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        ProfileFileProvider::new()
            .section_names()
            .unwrap_or_default()
            .into_iter()
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// The fields of the rows (`--columns`, `--sort`).
pub fn columns() -> ArgValueCandidates {
    ArgValueCandidates::new(|| COLUMNS.into_iter().map(CompletionCandidate::new).collect())
}

/// Every region some service's table lists.
pub fn regions() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let mut all: Vec<&str> = SERVICES
            .iter()
            .flat_map(|s| s.endpoints.regions.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all.into_iter().map(CompletionCandidate::new).collect()
    })
}

/// Answers a shell asking for completions (`COMPLETE=<shell>` set): `true`
/// when it did, so the process ends; `Err` with the exit code when the
/// answer could not be written.
pub fn from_env() -> Result<bool, u8> {
    let current_dir = std::env::current_dir().ok();
    CompleteEnv::with_factory(crate::Cli::command)
        .try_complete(std::env::args_os(), current_dir.as_deref())
        .map_err(|e| {
            crate::note!("error: cannot complete: {e}");
            exit::OUTPUT
        })
}

/// Prints the script `shell` sources to complete `hwc-tasks`; the exit code.
pub fn script(shell: clap_complete::Shell) -> u8 {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        crate::note!("error: no completion for {name}");
        return exit::USAGE;
    };
    // The program the script calls back: this one, as it was started (a
    // name found on PATH, or a path).
    let program = std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .map(|p| match std::env::current_dir() {
            Ok(dir) if p.components().count() > 1 && p.is_relative() => dir.join(p),
            _ => p,
        })
        .map_or_else(
            || "hwc-tasks".to_string(),
            |p| p.to_string_lossy().into_owned(),
        );
    let mut script = Vec::new();
    let written = completer
        .write_registration("COMPLETE", "hwc-tasks", "hwc-tasks", &program, &mut script)
        .and_then(|()| {
            let mut out = std::io::stdout().lock();
            out.write_all(&script)?;
            out.flush()
        });
    match written {
        Ok(()) => exit::OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(e) => {
            crate::note!("error: cannot write the output: {e}");
            exit::OUTPUT
        }
    }
}
