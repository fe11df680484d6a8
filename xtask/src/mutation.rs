//! The recorded mutation score: `mutants/shards.tsv`, one line per run of a
//! shard of `cargo mutants` (TESTING.md has the commands), written by
//! `cargo xtask mutants record`. A whole sweep takes hours on two cores, so
//! it is run shard by shard; the score is that of the newest line of every
//! shard, and `cargo xtask release` warns when it is incomplete, under the
//! bar, or lower than a shard's run before.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The record, relative to the workspace root.
pub const RECORD: &str = "mutants/shards.tsv";
/// The share of viable mutants the tests must catch.
pub const BAR: f64 = 0.90;
const HEADER: &str = "# shard\tcommit\tdate\tcaught\tmissed\ttimeout\tunviable";

/// One run of one shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub shard: u32,
    pub shards: u32,
    pub commit: String,
    pub date: String,
    pub caught: u32,
    pub missed: u32,
    /// A mutant that made the tests hang: caught by the timeout.
    pub timeout: u32,
    /// A mutant that does not compile: not counted.
    pub unviable: u32,
}

impl Run {
    fn viable(&self) -> u32 {
        self.caught + self.missed + self.timeout
    }

    fn score(&self) -> f64 {
        score(self.caught + self.timeout, self.viable())
    }

    fn line(&self) -> String {
        format!(
            "{}/{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.shard,
            self.shards,
            self.commit,
            self.date,
            self.caught,
            self.missed,
            self.timeout,
            self.unviable
        )
    }
}

fn score(caught: u32, viable: u32) -> f64 {
    if viable == 0 {
        1.0
    } else {
        f64::from(caught) / f64::from(viable)
    }
}

/// Reads the record's lines (`#` lines are comments).
pub fn parse(text: &str) -> Result<Vec<Run>, String> {
    let mut runs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |what: &str| format!("{RECORD}:{}: {what}", n + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [shard, commit, date, caught, missed, timeout, unviable] = fields[..] else {
            return Err(at("expected 7 tab-separated fields"));
        };
        let (k, total) = parse_shard(shard).map_err(|e| at(&e))?;
        let count = |s: &str| {
            s.parse::<u32>()
                .map_err(|_| at(&format!("`{s}` is not a count")))
        };
        runs.push(Run {
            shard: k,
            shards: total,
            commit: commit.into(),
            date: date.into(),
            caught: count(caught)?,
            missed: count(missed)?,
            timeout: count(timeout)?,
            unviable: count(unviable)?,
        });
    }
    Ok(runs)
}

/// `k/n` as cargo mutants' `--shard` takes it (k from 0).
pub fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{text}` is not a shard k/n with 0 <= k < n");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n) = (
        k.parse::<u32>().map_err(|_| bad())?,
        n.parse::<u32>().map_err(|_| bad())?,
    );
    if k >= n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The score the record gives, and what a release should be warned of.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Sums the newest run of every shard of the newest sharding.
pub fn summarize(runs: &[Run]) -> Summary {
    let Some(last) = runs.last() else {
        return Summary {
            text: "no mutation score recorded".into(),
            warnings: vec![format!(
                "no mutation score is recorded in {RECORD} (TESTING.md says how)"
            )],
        };
    };
    let shards = last.shards;
    let mut by_shard: BTreeMap<u32, Vec<&Run>> = BTreeMap::new();
    for run in runs.iter().filter(|r| r.shards == shards) {
        by_shard.entry(run.shard).or_default().push(run);
    }
    let mut warnings = Vec::new();
    let mut newest: BTreeMap<u32, &Run> = BTreeMap::new();
    for (shard, history) in &by_shard {
        let [.., before, run] = history[..] else {
            newest.insert(*shard, history[0]);
            continue;
        };
        // Only the newest run against the one before it: a drop that a
        // later run made good again is history, not news.
        if run.score() < before.score() {
            warnings.push(format!(
                "the mutation score of shard {shard}/{shards} fell from {:.1}% ({}) to {:.1}% ({})",
                before.score() * 100.0,
                before.commit,
                run.score() * 100.0,
                run.commit
            ));
        }
        newest.insert(*shard, run);
    }
    let (caught, viable, missed) = newest.values().fold((0, 0, 0), |(c, v, m), r| {
        (c + r.caught + r.timeout, v + r.viable(), m + r.missed)
    });
    let total = score(caught, viable);
    let mut text = String::new();
    let _ = write!(
        text,
        "mutation score {:.1}%: {caught} of {viable} viable mutants caught, {missed} missed, in {} of {shards} shards",
        total * 100.0,
        newest.len()
    );
    if newest.len() < shards as usize {
        warnings.push(format!(
            "the mutation score covers {} of {shards} shards; run the others (TESTING.md)",
            newest.len()
        ));
    }
    if total < BAR {
        warnings.push(format!(
            "the mutation score {:.1}% is under {:.0}%",
            total * 100.0,
            BAR * 100.0
        ));
    }
    Summary { text, warnings }
}

/// Reads the record of the workspace at `root` (none yet: no runs).
pub fn read(root: &Path) -> Result<Vec<Run>, String> {
    match std::fs::read_to_string(root.join(RECORD)) {
        Ok(text) => parse(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("cannot read {RECORD}: {e}")),
    }
}

/// Counts the outcomes in a cargo mutants output directory
/// (`mutants.out/` with its `caught.txt`, `missed.txt`, …) and appends the
/// run to the record; the line written.
pub fn record(
    root: &Path,
    out: &Path,
    shard: &str,
    commit: &str,
    date: &str,
) -> Result<String, String> {
    let (k, n) = parse_shard(shard)?;
    let dir = if out.join("mutants.out").is_dir() {
        out.join("mutants.out")
    } else {
        out.to_path_buf()
    };
    let count = |name: &str| -> Result<u32, String> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(text.lines().filter(|l| !l.trim().is_empty()).count() as u32)
    };
    let run = Run {
        shard: k,
        shards: n,
        commit: commit.into(),
        date: date.into(),
        caught: count("caught.txt")?,
        missed: count("missed.txt")?,
        timeout: count("timeout.txt")?,
        unviable: count("unviable.txt")?,
    };
    let path = root.join(RECORD);
    let mut text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!("{HEADER}\n"),
        Err(e) => return Err(format!("cannot read {RECORD}: {e}")),
    };
    parse(&text)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&run.line());
    text.push('\n');
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {RECORD}: {e}"))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {RECORD}: {e}"))?;
    Ok(run.line())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(shard: u32, shards: u32, caught: u32, missed: u32) -> Run {
        Run {
            shard,
            shards,
            commit: format!("c{caught}"),
            date: "d".into(),
            caught,
            missed,
            timeout: 1,
            unviable: 3,
        }
    }

    #[test]
    fn the_record_reads_back_what_it_writes() {
        let runs = vec![run(0, 8, 90, 9), run(1, 8, 80, 2)];
        let text: String = runs.iter().map(|r| r.line() + "\n").collect();
        assert_eq!(parse(&format!("{HEADER}\n{text}")).unwrap(), runs);
        let bad = parse("0/8\tc\td\t1\t2\n").unwrap_err();
        assert!(bad.contains(":1: expected 7"), "{bad}");
        assert!(
            parse("8/8\tc\td\t1\t2\t3\t4\n")
                .unwrap_err()
                .contains("not a shard")
        );
        assert!(
            parse("0/8\tc\td\tx\t2\t3\t4\n")
                .unwrap_err()
                .contains("`x` is not a count")
        );
    }

    #[test]
    fn the_score_is_the_newest_run_of_every_shard() {
        // Shard 0 ran twice; its second run counts.
        let runs = vec![run(0, 2, 50, 10), run(1, 2, 99, 0), run(0, 2, 59, 0)];
        let summary = summarize(&runs);
        assert!(
            summary
                .text
                .starts_with("mutation score 100.0%: 160 of 160 viable mutants caught, 0 missed, in 2 of 2 shards"),
            "{}",
            summary.text
        );
        assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    }

    #[test]
    fn a_release_is_warned_of_a_fall_a_gap_and_a_low_score() {
        let fell = summarize(&[run(0, 2, 99, 0), run(1, 2, 99, 0), run(1, 2, 90, 9)]);
        assert_eq!(fell.warnings.len(), 1, "{:?}", fell.warnings);
        assert!(fell.warnings[0].contains("shard 1/2 fell from 100.0%"));
        // A fall that a later run made good again is not warned of.
        let recovered = [run(1, 2, 99, 0), run(1, 2, 90, 9), run(1, 2, 98, 0)];
        let recovered = summarize(&[&[run(0, 2, 99, 0)], &recovered[..]].concat());
        assert!(recovered.warnings.is_empty(), "{:?}", recovered.warnings);
        let gap = summarize(&[run(0, 4, 99, 0)]);
        assert!(
            gap.warnings[0].contains("covers 1 of 4 shards"),
            "{:?}",
            gap.warnings
        );
        let low = summarize(&[run(0, 1, 50, 50)]);
        assert!(
            low.warnings.iter().any(|w| w.contains("under 90%")),
            "{:?}",
            low.warnings
        );
        assert_eq!(summarize(&[]).warnings.len(), 1);
    }
}
