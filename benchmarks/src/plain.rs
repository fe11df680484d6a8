//! The baseline a user would write by hand: plain serde structs with the same
//! fields as the generated models, using `String`, `bool`, `i32` and `Option`.
//!
//! Only where a plain type could not decode what the services send does a
//! field use `serde_json::Value`: counts (a string or a number) and capacities
//! (a number or a string). Enums and time stamps are plain `String`s, so
//! unknown values and both time stamp shapes decode without being checked.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

/// DCS `ListCenterTask` page.
#[derive(Debug, Deserialize)]
pub struct DcsCenterPage {
    pub task_count: Option<Value>,
    pub tasks: Option<Vec<DcsCenterTask>>,
}

/// DCS task-center task.
#[derive(Debug, Deserialize)]
pub struct DcsCenterTask {
    pub id: Option<String>,
    pub name: Option<String>,
    pub details: Option<DcsDetails>,
    pub user_name: Option<String>,
    pub user_id: Option<String>,
    pub params: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub error_code: Option<String>,
    pub enable_show: Option<bool>,
    pub job_id: Option<String>,
}

/// DCS `ListBackgroundTask` page.
#[derive(Debug, Deserialize)]
pub struct DcsInstancePage {
    pub task_count: Option<Value>,
    pub tasks: Option<Vec<DcsBackgroundTask>>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// DCS background task of one instance.
#[derive(Debug, Deserialize)]
pub struct DcsBackgroundTask {
    pub id: Option<String>,
    pub name: Option<String>,
    pub details: Option<DcsDetails>,
    pub user_name: Option<String>,
    pub user_id: Option<String>,
    pub params: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub enable_show: Option<bool>,
}

/// DCS task details.
#[derive(Debug, Deserialize)]
pub struct DcsDetails {
    pub old_capacity: Option<Value>,
    pub new_capacity: Option<Value>,
    pub enable_public_ip: Option<bool>,
    pub public_ip_id: Option<String>,
    pub public_ip_address: Option<String>,
    pub enable_ssl: Option<bool>,
    pub old_cache_mode: Option<String>,
    pub new_cache_mode: Option<String>,
    pub old_resource_spec_code: Option<String>,
    pub new_resource_spec_code: Option<String>,
    pub old_replica_num: Option<i32>,
    pub new_replica_num: Option<i32>,
    pub old_cache_type: Option<String>,
    pub new_cache_type: Option<String>,
    pub replica_ip: Option<String>,
    pub replica_az: Option<String>,
    pub group_name: Option<String>,
    pub old_port: Option<i32>,
    pub new_port: Option<i32>,
    pub is_only_adjust_charging: Option<bool>,
    pub account_name: Option<String>,
    pub source_ip: Option<String>,
    pub target_ip: Option<String>,
    pub node_name: Option<String>,
    pub rename_commands: Option<Vec<String>>,
    pub updated_config_length: Option<i32>,
}

/// RabbitMQ `ListBackgroundTasks` page.
#[derive(Debug, Deserialize)]
pub struct RabbitmqPage {
    pub task_count: Option<Value>,
    pub tasks: Option<Vec<RabbitmqTask>>,
}

/// RabbitMQ background task.
#[derive(Debug, Deserialize)]
pub struct RabbitmqTask {
    pub id: Option<String>,
    pub name: Option<String>,
    pub user_name: Option<String>,
    pub user_id: Option<String>,
    pub params: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// openGauss `ListTasks` page.
#[derive(Debug, Deserialize)]
pub struct OpengaussPage {
    pub tasks: Option<Vec<OpengaussTask>>,
    pub total_count: Option<Value>,
}

/// openGauss task.
#[derive(Debug, Deserialize)]
pub struct OpengaussTask {
    pub job_id: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    pub process: Option<String>,
    pub instance_info: Option<OpengaussInstance>,
    pub created_at: Option<String>,
    pub ended_at: Option<String>,
    pub fail_reason: Option<String>,
}

/// openGauss instance of a task.
#[derive(Debug, Deserialize)]
pub struct OpengaussInstance {
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub instance_status: Option<String>,
}

impl DcsCenterPage {
    /// The total the page reports, whether sent as a string or a number.
    pub fn total(&self) -> Option<u64> {
        match self.task_count.as_ref()? {
            Value::String(s) => s.trim().parse().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }
}

/// DCS `ListCenterTask` page borrowing its strings from the input
/// (see [`Text`]): what a zero-copy page type
/// would cost. Not a drop-in baseline, since it keeps the input alive.
#[derive(Debug, Deserialize)]
pub struct DcsCenterPageBorrowed<'a> {
    pub task_count: Option<Value>,
    #[serde(borrow)]
    pub tasks: Option<Vec<DcsCenterTaskBorrowed<'a>>>,
}

/// DCS task-center task borrowing its strings.
#[derive(Debug, Deserialize)]
pub struct DcsCenterTaskBorrowed<'a> {
    #[serde(borrow)]
    pub id: Option<Text<'a>>,
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub details: Option<DcsDetailsBorrowed<'a>>,
    #[serde(borrow)]
    pub user_name: Option<Text<'a>>,
    #[serde(borrow)]
    pub user_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub params: Option<Text<'a>>,
    #[serde(borrow)]
    pub status: Option<Text<'a>>,
    #[serde(borrow)]
    pub created_at: Option<Text<'a>>,
    #[serde(borrow)]
    pub updated_at: Option<Text<'a>>,
    #[serde(borrow)]
    pub error_code: Option<Text<'a>>,
    pub enable_show: Option<bool>,
    #[serde(borrow)]
    pub job_id: Option<Text<'a>>,
}

/// DCS task details borrowing their strings.
#[derive(Debug, Deserialize)]
pub struct DcsDetailsBorrowed<'a> {
    pub old_capacity: Option<Value>,
    pub new_capacity: Option<Value>,
    pub enable_public_ip: Option<bool>,
    #[serde(borrow)]
    pub public_ip_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub public_ip_address: Option<Text<'a>>,
    pub enable_ssl: Option<bool>,
    #[serde(borrow)]
    pub old_cache_mode: Option<Text<'a>>,
    #[serde(borrow)]
    pub new_cache_mode: Option<Text<'a>>,
    #[serde(borrow)]
    pub old_resource_spec_code: Option<Text<'a>>,
    #[serde(borrow)]
    pub new_resource_spec_code: Option<Text<'a>>,
    pub old_replica_num: Option<i32>,
    pub new_replica_num: Option<i32>,
    #[serde(borrow)]
    pub old_cache_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub new_cache_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub replica_ip: Option<Text<'a>>,
    #[serde(borrow)]
    pub replica_az: Option<Text<'a>>,
    #[serde(borrow)]
    pub group_name: Option<Text<'a>>,
    pub old_port: Option<i32>,
    pub new_port: Option<i32>,
    pub is_only_adjust_charging: Option<bool>,
    #[serde(borrow)]
    pub account_name: Option<Text<'a>>,
    #[serde(borrow)]
    pub source_ip: Option<Text<'a>>,
    #[serde(borrow)]
    pub target_ip: Option<Text<'a>>,
    #[serde(borrow)]
    pub node_name: Option<Text<'a>>,
    #[serde(borrow)]
    pub rename_commands: Option<Vec<Text<'a>>>,
    pub updated_config_length: Option<i32>,
}

/// A string borrowed from the input when it has no escapes, owned otherwise.
/// (serde's own `Cow<str>` always allocates inside an `Option`.)
#[derive(Debug)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(Visitor(std::marker::PhantomData))
    }
}
