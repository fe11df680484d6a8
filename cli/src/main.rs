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

mod commands;
mod output;
mod time;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use huaweicloud_tasks::runtime::Service;
use huaweicloud_tasks::{Config, RetryPolicy, SERVICES};

use output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (wait: the task succeeded)
  1  a request failed (list and watch print the other results first),
     or, for wait, the task failed or was cancelled
  2  bad arguments or configuration; nothing was sent
  3  wait: the deadline (--timeout-secs) passed before the task ended

Credentials come from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK /
CLOUD_SDK_SK), with HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones and
HUAWEICLOUD_SDK_PROJECT_ID for the default project; else from the profile file
(HUAWEICLOUD_SDK_CREDENTIALS_FILE or ~/.huaweicloud/credentials, section [basic]);
else, on an ECS or BMS server, from its metadata service.";

#[derive(Parser)]
#[command(
    name = "hwc-tasks",
    version,
    about = "List, show, wait for, watch and delete background tasks of Huawei Cloud services",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Args, Clone, Debug)]
pub struct Global {
    /// Project ID (default: HUAWEICLOUD_SDK_PROJECT_ID).
    #[arg(long, global = true)]
    pub project_id: Option<String>,
    /// Region ID; repeat it to list several regions.
    #[arg(long, global = true)]
    pub region: Vec<String>,
    /// Endpoint URL for every service, overriding the region table (http://
    /// only here, for local testing).
    #[arg(long, global = true)]
    pub endpoint: Option<String>,
    /// Retries after the first attempt (0 disables retries).
    #[arg(long, global = true, default_value_t = 2)]
    pub retries: u32,
    /// Deadline of each request, retries included, in seconds; for `wait`,
    /// of the whole wait (default 1800).
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout_secs: Option<u64>,
    /// Output format (default: table on a terminal, ndjson otherwise).
    #[arg(long, short, global = true, value_enum)]
    pub output: Option<Format>,
    /// Run against a built-in mock of every service (the specs' examples and
    /// generated tasks): no credentials, no network.
    #[arg(long, global = true)]
    pub demo: bool,
    /// The configuration of the built-in mock, once started.
    #[arg(skip)]
    pub preset: Option<Config>,
}

/// The project the demo's tasks belong to.
const DEMO_PROJECT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[derive(Subcommand)]
enum Command {
    /// List tasks of one or more services, newest first.
    List(commands::ListArgs),
    /// Show one task.
    Show(commands::TaskArgs),
    /// Wait until a task ends; progress goes to stderr.
    Wait(commands::WaitArgs),
    /// Print each new task and each status change until interrupted.
    Watch(commands::WatchArgs),
    /// Delete the records of tasks (asks first on a terminal).
    Delete(commands::DeleteArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The service a SERVICE argument names, from the generated tables.
pub fn service(name: &str) -> Result<&'static Service, String> {
    SERVICES
        .iter()
        .copied()
        .find(|s| s.module == name)
        .ok_or_else(|| {
            let known: Vec<&str> = SERVICES.iter().map(|s| s.module).collect();
            format!("unknown service `{name}`; known: {}", known.join(", "))
        })
}

impl Global {
    /// The library configuration these options describe.
    /// Credentials come from the official SDKs' chain: the environment, the
    /// profile file, then the ECS/BMS metadata service.
    pub async fn config(&self) -> Result<Config, String> {
        let mut config = match &self.preset {
            Some(preset) => preset.clone(),
            None => Config::from_default_chain()
                .await
                .map_err(|e| e.to_string())?,
        };
        if self.preset.is_some() {
            // The mock's endpoints stay.
        } else if let Some(endpoint) = &self.endpoint {
            config = config.endpoint(endpoint.clone());
        } else if let [region] = self.region.as_slice() {
            config = config.region(region.clone());
        }
        config = config.retry(RetryPolicy::default().with_max_attempts(self.retries + 1));
        if let Some(secs) = self.timeout_secs {
            config = config.total_timeout(Some(std::time::Duration::from_secs(secs)));
        }
        Ok(config)
    }

    /// The project: the option, or the credentials' project.
    pub fn project(&self, config: &Config) -> Result<String, String> {
        self.project_id
            .clone()
            .or_else(|| self.preset.as_ref().map(|_| DEMO_PROJECT.to_string()))
            .or_else(|| config.project_id().map(str::to_string))
            .ok_or_else(|| {
                "no project: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID".to_string()
            })
    }

    /// The format to print in.
    pub fn format(&self, terminal: bool) -> Format {
        self.output.unwrap_or(if terminal {
            Format::Table
        } else {
            Format::Ndjson
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Completions { shell } = cli.command {
        use clap::CommandFactory;
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "hwc-tasks",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            note!("error: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    let mut global = cli.global;
    let code = runtime.block_on(async move {
        // Kept alive until the command ends.
        let _mock = if global.demo {
            let mock = huaweicloud_tasks::mock::MockCloud::start(120).await;
            let credentials =
                huaweicloud_tasks::Credentials::access_key("DEMOACCESSKEY", "demo-secret-key")
                    .map_err(|e| e.to_string())?;
            global.preset = Some(mock.config(credentials));
            Some(mock)
        } else {
            None
        };
        match cli.command {
            Command::List(args) => commands::list(&global, args).await,
            Command::Show(args) => commands::show(&global, args).await,
            Command::Wait(args) => commands::wait(&global, args).await,
            Command::Watch(args) => commands::watch(&global, args).await,
            Command::Delete(args) => commands::delete(&global, args).await,
            Command::Completions { .. } => Ok(0),
        }
    });
    match code {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            note!("error: {message}");
            ExitCode::from(2)
        }
    }
}
