//! `hwc-tasks`: background tasks of Huawei Cloud services from a shell.
//!
//! Built on the public API of `huaweicloud-tasks` only: the task view
//! (`huaweicloud_tasks::tasks`) and the generated service tables
//! (`huaweicloud_tasks::SERVICES`), so every service the specs describe is a
//! SERVICE here without naming any of them in this code.

/// Writes one line to stderr; a closed stderr is not worth a panic.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use note;

mod check;
mod commands;
mod complete;
mod follow;
mod format;
mod output;
mod profile;
mod query;
mod row;
mod sub_tasks;
mod table;
mod time;
mod view;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::{Config, RetryPolicy};

use format::{Format, Style};

/// The exit codes, as the help lists them.
pub mod exit {
    /// Success (`wait`: the task succeeded).
    pub const OK: u8 = 0;
    /// A request failed, or the task failed, was cancelled or is not known.
    pub const FAILED: u8 = 1;
    /// Bad arguments or configuration; nothing was sent.
    pub const USAGE: u8 = 2;
    /// `wait`: the deadline passed first.
    pub const DEADLINE: u8 = 3;
    /// The output could not be written.
    pub const OUTPUT: u8 = 4;
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success (wait: the task succeeded)
  1  a request failed (list and watch print the other results first); show or
     wait: the service does not know the task; wait: the task failed or was
     cancelled; delete: the question was answered no
  2  bad arguments or configuration; nothing was sent
  3  wait: the deadline (--timeout) passed before the task ended
     (several ids: 0 only when every one succeeded, else 1 when one failed
     or was not found, else 3)
  4  the output could not be written (a full disk, a closed terminal); a
     closed pipe (| head) ends the output quietly instead

Times (--since, --until): 2026-12-01 (local midnight; as --until, the end of
that day), 2026-12-01 10:00 (local), 2026-11-30T10:00:00Z (RFC 3339), now, or a
duration back from now: 90m, 1h30m, 1.5h, 24H, 7d, 1w, \"2 hours ago\".
Durations (--timeout, --interval, --for): the same units, or plain seconds.

The region comes from --region, else HUAWEICLOUD_SDK_REGION (several: commas),
else the profile's `region`. --endpoint dcs=URL sends one service elsewhere.
Credentials come from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK /
CLOUD_SDK_SK), with HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones and
HUAWEICLOUD_SDK_PROJECT_ID for the default project; else from the profile file
(HUAWEICLOUD_SDK_CREDENTIALS_FILE or ~/.huaweicloud/credentials, section [basic]);
else, on an ECS or BMS server, from its metadata service. --profile NAME (or
HUAWEICLOUD_SDK_PROFILE) takes section [NAME] of that file, and only it.

--query EXPR: a JMESPath expression over the JSON output (as aws --query),
for example --query \"[?status=='failed'].id\".

Completion: source <(hwc-tasks completions bash), or zsh, fish, elvish,
powershell (service names, statuses, regions and formats are completed).";

#[derive(Parser)]
#[command(
    name = "hwc-tasks",
    version,
    about = "List, show, wait for, watch and delete background tasks of Huawei Cloud services",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Colour {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    Always,
    Never,
}

/// Options every command takes.
#[derive(Args, Clone, Debug)]
pub struct Global {
    /// Project ID (default: the credentials' project, HUAWEICLOUD_SDK_PROJECT_ID);
    /// repeat it to list several projects.
    #[arg(long = "project-id", value_name = "ID", global = true)]
    pub projects: Vec<String>,
    /// Region ID; repeat it (or separate with commas) to list several regions.
    #[arg(
        long = "region",
        value_name = "REGION",
        global = true,
        env = "HUAWEICLOUD_SDK_REGION",
        value_delimiter = ',',
        add = complete::regions()
    )]
    pub regions: Vec<String>,
    /// Endpoint URL, overriding the region table: URL for every service, or
    /// SERVICE=URL for one (repeatable; a service's own comes first). http://
    /// only here, for local testing.
    #[arg(long = "endpoint", value_name = "[SERVICE=]URL", global = true,
          value_parser = check::endpoint, add = complete::endpoints())]
    pub endpoints: Vec<check::Endpoint>,
    /// Requests in flight at once, in all (listings, looks of `wait`).
    #[arg(long, value_name = "N", global = true, default_value_t = DEFAULT_CONCURRENCY,
          allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(1..=256))]
    pub concurrency: i64,
    /// The section of the credentials file to use (default: basic), with
    /// its own region and project when it gives them [env:
    /// HUAWEICLOUD_SDK_PROFILE, when not empty].
    #[arg(long, value_name = "NAME", global = true, add = complete::profiles())]
    pub profile: Option<String>,
    /// Retries after the first attempt (0 disables retries).
    #[arg(long, value_name = "N", global = true, default_value_t = 2,
          allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(0..=10))]
    pub retries: i64,
    /// Deadline of each request, retries included (default 2m); for `wait`,
    /// of the whole wait (default 30m; up to 7d, for creations that take
    /// hours). A duration (90s, 2h, 1h30m) or plain seconds.
    #[arg(long, visible_alias = "timeout-secs", value_name = "DURATION", global = true,
          value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Output format (default: table on a terminal, ndjson otherwise).
    #[arg(long, short, value_name = "FORMAT", global = true, value_enum)]
    pub output: Option<Format>,
    /// When to colour the output.
    #[arg(long, value_name = "WHEN", global = true, value_enum, default_value_t = Colour::Auto)]
    pub color: Colour,
    #[command(flatten)]
    pub view: view::View,
    /// Run against a built-in mock of every service (the specs' examples and
    /// generated tasks): no credentials, no network.
    #[arg(long, global = true)]
    pub demo: bool,
    /// The configuration of the built-in mock, once started.
    #[arg(skip)]
    pub preset: Option<Config>,
}

/// The default of `--concurrency`: requests in flight at once for the
/// whole process. A bound on requests in flight, not a rate: against
/// services that answer in 50 ms it allows some 1,300 requests a second,
/// enough for a fleet of a thousand instances in under a second; against
/// real latencies (a few hundred ms) it stays in the low hundreds a second,
/// spread over the services and instances listed, and a service that
/// answers 429 is waited for as its Retry-After says.
pub const DEFAULT_CONCURRENCY: i64 = 64;

/// The longest `--timeout`: a week.
const LONGEST_TIMEOUT: Duration = Duration::from_secs(7 * 86_400);

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let d = time::parse_seconds_or_duration(text)?;
    if d < Duration::from_secs(1) || d > LONGEST_TIMEOUT {
        return Err("must be from 1s to 7d".into());
    }
    Ok(d)
}

/// The project the demo's tasks belong to.
const DEMO_PROJECT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[derive(Subcommand)]
enum Command {
    /// List tasks of one or more services, newest first.
    List(commands::ListCommand),
    /// Show tasks in detail: every field, and the item as the service sent it.
    Show(follow::TaskArgs),
    /// Wait until tasks end; each change goes to stderr with its time.
    Wait(follow::WaitArgs),
    /// Print the tasks, then each new task and each change, until interrupted.
    Watch(commands::WatchArgs),
    /// Delete the records of tasks (asks first; without a terminal, needs --yes).
    Delete(follow::DeleteArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Why a command stopped early.
#[derive(Debug)]
pub enum Stop {
    /// Bad arguments or configuration: exit 2, nothing sent.
    Usage(String),
    /// The output could not be written: exit 4.
    Output(std::io::Error),
}

impl From<String> for Stop {
    fn from(message: String) -> Self {
        Stop::Usage(message)
    }
}

impl Global {
    /// The library configuration these options describe. Credentials come
    /// from the official SDKs' chain: the environment, the profile file,
    /// then the ECS/BMS metadata service. Call after [`check::options`].
    pub async fn config(&self) -> Result<Config, String> {
        let mut config = match (&self.preset, &self.profile) {
            (Some(preset), _) => preset.clone(),
            (None, Some(name)) => profile::config(name).await?,
            (None, None) => Config::from_default_chain()
                .await
                .map_err(|e| e.to_string())?,
        };
        if self.preset.is_none() {
            // The mock's endpoints stay; elsewhere a service's own endpoint
            // comes first, then the one for all, then the region.
            for endpoint in &self.endpoints {
                config = match endpoint.service {
                    Some(service) => config.service_endpoint(service.module, endpoint.url.clone()),
                    None => config.endpoint(endpoint.url.clone()),
                };
            }
            if let [region] = self.regions.as_slice() {
                config = config.region(region.clone());
            }
        }
        let attempts = u32::try_from(self.retries).unwrap_or(0) + 1;
        config = config.retry(RetryPolicy::default().with_max_attempts(attempts));
        if let Some(timeout) = self.timeout {
            config = config.total_timeout(Some(timeout));
        }
        // One bound for the process: every listing and every follower
        // shares this configuration's permits, however the work is split.
        config = config.max_in_flight(self.concurrency());
        Ok(config)
    }

    /// The projects: the options, or the credentials' project.
    pub fn projects(&self, config: &Config) -> Result<Vec<String>, String> {
        if !self.projects.is_empty() {
            return Ok(self.projects.clone());
        }
        self.preset
            .as_ref()
            .map(|_| DEMO_PROJECT.to_string())
            .or_else(|| config.project_id().map(str::to_string))
            .map(|p| vec![p])
            .ok_or_else(|| {
                "no project: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID".to_string()
            })
    }

    /// The endpoint `service` is sent to instead of its region's, if any:
    /// its own, else the one for every service.
    pub fn endpoint_for(&self, service: &Service) -> Option<&str> {
        let own = |e: &&check::Endpoint| e.service.is_some_and(|s| s.module == service.module);
        self.endpoints
            .iter()
            .find(own)
            .or_else(|| self.endpoints.iter().find(|e| e.service.is_none()))
            .map(|e| e.url.as_str())
    }

    /// The one region a task of `service` is looked for in, if one was
    /// given (not with an endpoint for it, nor in the demo).
    pub fn region(&self, service: &Service) -> Option<String> {
        self.regions
            .first()
            .cloned()
            .filter(|_| self.endpoint_for(service).is_none() && self.preset.is_none())
    }

    /// Requests in flight at once, as a count.
    pub fn concurrency(&self) -> usize {
        usize::try_from(self.concurrency).unwrap_or(1).max(1)
    }

    /// The format to print in: as asked, else a table on a terminal and
    /// NDJSON otherwise; with --query, JSON (indented on a terminal).
    pub fn format(&self, terminal: bool) -> Result<Format, Stop> {
        match (self.output, &self.view.query) {
            (Some(format @ (Format::Table | Format::Wide | Format::Csv)), Some(_)) => {
                Err(Stop::Usage(format!(
                    "--query prints JSON: use -o json or -o ndjson (not -o {})",
                    format
                        .to_possible_value()
                        .map_or(String::new(), |v| v.get_name().to_string())
                )))
            }
            (Some(format), _) => Ok(format),
            (None, Some(_)) if terminal => Ok(Format::Json),
            (None, None) if terminal => Ok(Format::Table),
            (None, _) => Ok(Format::Ndjson),
        }
    }

    /// The fields printed and whether with a header.
    pub fn shape(&self) -> output::Shape {
        output::Shape {
            columns: self.view.columns.clone(),
            header: !self.view.no_header,
        }
    }

    /// How a table is drawn on stdout: colours as --color, NO_COLOR and TERM
    /// say; fitted to COLUMNS, else to the terminal.
    pub fn style(&self) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let colour = match self.color {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => {
                terminal
                    && env("NO_COLOR").is_none()
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|w| *w > 0)
            .or_else(|| {
                terminal_size::terminal_size_of(std::io::stdout())
                    .map(|(w, _)| usize::from(w.0))
                    .filter(|w| terminal && *w > 0)
            });
        Style {
            colour,
            width,
            now: chrono::Utc::now(),
        }
    }
}

fn main() -> ExitCode {
    // A shell asking for completions (COMPLETE=bash hwc-tasks -- ...).
    match complete::from_env() {
        Ok(false) => {}
        Ok(true) => return ExitCode::SUCCESS,
        Err(code) => return ExitCode::from(code),
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Usage errors (2) on stderr; help and version on stdout, where a
        // full output is exit 4 like any other.
        Err(e) => {
            let code = u8::try_from(e.exit_code()).unwrap_or(exit::USAGE);
            return match e.print() {
                Err(io) if !e.use_stderr() && io.kind() != std::io::ErrorKind::BrokenPipe => {
                    note!("error: cannot write the output: {io}");
                    ExitCode::from(exit::OUTPUT)
                }
                _ => ExitCode::from(code),
            };
        }
    };
    if let Command::Completions { shell } = cli.command {
        return ExitCode::from(complete::script(shell));
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            note!("error: cannot start: {e}");
            return ExitCode::from(exit::FAILED);
        }
    };
    let mut global = cli.global;
    // The variable as the SDKs' own variables are read: empty is unset.
    if global.profile.is_none() {
        global.profile = std::env::var("HUAWEICLOUD_SDK_PROFILE")
            .ok()
            .filter(|p| !p.is_empty());
    }
    // The profile's region, where neither --region nor the environment
    // gives one; a profile named but not there stops here (exit 2).
    if !global.demo {
        match profile::region(global.profile.as_deref()) {
            Ok(Some(region)) if global.regions.is_empty() => global.regions = vec![region],
            Ok(_) => {}
            Err(message) => {
                note!("error: {message}");
                return ExitCode::from(exit::USAGE);
            }
        }
    }
    let code = runtime.block_on(async move {
        // Kept alive until the command ends.
        let _mock = if global.demo {
            let mock = huaweicloud_tasks::mock::MockCloud::start(120).await;
            let credentials =
                huaweicloud_tasks::Credentials::access_key("DEMOACCESSKEY", "demo-secret-key")
                    .map_err(|e| Stop::Usage(e.to_string()))?;
            global.preset = Some(mock.config(credentials));
            Some(mock)
        } else {
            None
        };
        match cli.command {
            Command::List(args) => commands::list(&global, args).await,
            Command::Show(args) => follow::show(&global, args).await,
            Command::Wait(args) => follow::wait(&global, args).await,
            Command::Watch(args) => commands::watch(&global, args).await,
            Command::Delete(args) => follow::delete(&global, args).await,
            Command::Completions { .. } => Ok(exit::OK),
        }
    });
    match code {
        Ok(code) => ExitCode::from(code),
        Err(Stop::Usage(message)) => {
            note!("error: {message}");
            ExitCode::from(exit::USAGE)
        }
        Err(Stop::Output(e)) => {
            note!("error: cannot write the output: {e}");
            ExitCode::from(exit::OUTPUT)
        }
    }
}
