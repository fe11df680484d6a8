//! What a task's raw status means, shared by the service tables (which
//! map each service's raw statuses onto it) and the task view.

use serde::Serialize;

/// What a task's raw status means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// A raw status the spec does not map (kept in [`crate::tasks::Task::raw_status`]).
    Unknown,
}

impl TaskStatus {
    /// Whether the task has ended (succeeded, failed or cancelled).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// The lower-case name (`running`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for TaskStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Pending,
            Self::Running,
            Self::Succeeded,
            Self::Failed,
            Self::Cancelled,
            Self::Unknown,
        ]
        .into_iter()
        .find(|v| v.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            format!(
                "unknown status `{s}`: pending, running, succeeded, failed, cancelled or unknown"
            )
        })
    }
}

/// Which of a service's task lists a task is in: its background tasks, or
/// its scheduled tasks (work set to run later, which the service lists and
/// cancels apart).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    #[default]
    Background,
    Scheduled,
}

impl TaskKind {
    /// Whether this is the kind a task has unless said otherwise (so JSON
    /// output names only the other).
    pub fn is_background(&self) -> bool {
        *self == Self::Background
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_background_task_is_of_the_default_kind() {
        assert!(TaskKind::Background.is_background());
        assert!(!TaskKind::Scheduled.is_background());
        assert!(TaskKind::default().is_background());
    }
}
