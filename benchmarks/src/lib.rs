//! Benchmarks of `huaweicloud-tasks` and its generator, each measured side by
//! side with the baseline a user would pick instead. See `BENCHMARKS.md` at the
//! repository root for the results and the commands that reproduce them.
//!
//! - [`payload`]: deterministic, realistic response pages with the services'
//!   quirks;
//! - [`plain`]: the hand-written plain serde structs used as the baseline;
//! - [`harness`]: interleaved, paired measurement for noisy machines;
//! - [`server`]: a loopback server with precomputed pages;
//! - [`synth`]: synthetic specs for the generator.

pub mod harness;
pub mod payload;
pub mod plain;
pub mod server;
pub mod synth;

use std::process::Command;

/// What the measurements ran on, as one Markdown list.
pub fn machine_summary() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = command_output("rustc", &["--version"]);
    let date = command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    format!(
        "- cpus: {cpus}, CPU: {model}, memory: {memory}\n- {rustc}\n- date: {date}, load average at start: {}",
        load_average()
    )
}

/// The 1-, 5- and 15-minute load averages, as `/proc/loadavg` gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| format!("{program}: unavailable"))
}

/// Peak and current resident memory of this process in KiB (`VmHWM`,
/// `VmRSS` from `/proc/self/status`).
pub fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}
