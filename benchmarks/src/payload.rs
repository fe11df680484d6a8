//! Deterministic response pages shaped like what the services really send.
//!
//! Every page is built from a fixed seed, so the same call gives the same
//! bytes on every machine. The values are realistic (32-hex ids, user names,
//! instance names, escaped JSON in `params`) and carry the quirks the tolerant
//! types exist for:
//!
//! - counts as strings (`"task_count": "1000"`) or numbers, by operation;
//! - capacities as JSON numbers (`0.125`), some as strings (`"0.25"`);
//! - both time stamp shapes: `2023-06-17T08:18:06.597Z` and
//!   `2023-06-17T16:18:06+0800`;
//! - enum values the spec does not list (task names, statuses, cache modes,
//!   instance states);
//! - `null` for absent values (`details`, `error_code`, `updated_at`, ...);
//! - fields the spec does not describe (`instance_id`, `instance_name`, ...).

use chrono::{DateTime, Duration, FixedOffset, TimeZone as _, Utc};

/// Tasks per page in the decoding benchmarks (the services' maximum).
pub const PAGE_TASKS: usize = 1000;

/// The four list operations of the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// DCS `ListCenterTask`.
    DcsCenter,
    /// DCS `ListBackgroundTask`.
    DcsInstance,
    /// RabbitMQ `ListBackgroundTasks`.
    Rabbitmq,
    /// openGauss `ListTasks`.
    Opengauss,
}

impl Operation {
    /// Every operation, in the order the tables list them.
    pub const ALL: [Operation; 4] = [
        Operation::DcsCenter,
        Operation::DcsInstance,
        Operation::Rabbitmq,
        Operation::Opengauss,
    ];

    /// Short label used in tables and on command lines.
    pub fn label(self) -> &'static str {
        match self {
            Operation::DcsCenter => "dcs ListCenterTask",
            Operation::DcsInstance => "dcs ListBackgroundTask",
            Operation::Rabbitmq => "rabbitmq ListBackgroundTasks",
            Operation::Opengauss => "opengauss ListTasks",
        }
    }
}

/// A page of `count` tasks starting at task number `first`, out of `total`.
pub fn page(operation: Operation, first: usize, count: usize, total: usize) -> Vec<u8> {
    let mut rng = Rng::new(0x5eed_0000 ^ operation as u64);
    let mut out = String::with_capacity(count * 600 + 64);
    out.push('{');
    let mut top = Obj::open(&mut out);
    match operation {
        Operation::DcsCenter => top.string("task_count", &total.to_string()),
        Operation::DcsInstance => top.raw("task_count", &total.to_string()),
        Operation::Rabbitmq => top.string("task_count", &total.to_string()),
        Operation::Opengauss => top.raw("total_count", &total.to_string()),
    }
    top.key("tasks");
    top.out.push('[');
    for i in first..first + count {
        if i > first {
            top.out.push(',');
        }
        // Each task's values depend only on its number, so pages of one
        // listing are consistent whatever the page size.
        rng.reseed(0x7a5c ^ ((operation as u64) << 40) ^ i as u64);
        match operation {
            Operation::DcsCenter => dcs_task(top.out, &mut rng, i, true),
            Operation::DcsInstance => dcs_task(top.out, &mut rng, i, false),
            Operation::Rabbitmq => rabbitmq_task(top.out, &mut rng, i),
            Operation::Opengauss => opengauss_task(top.out, &mut rng, i),
        }
    }
    top.out.push(']');
    top.first = false;
    if operation == Operation::DcsCenter {
        // Undocumented top-level fields appear beside the documented ones.
        top.raw("is_truncated", "false");
    }
    out.push('}');
    out.into_bytes()
}

/// The 1,000-task page of an operation used by the decoding benchmarks.
pub fn decode_page(operation: Operation) -> Vec<u8> {
    page(operation, 0, PAGE_TASKS, 18_437)
}

const DCS_NAMES: &[&str] = &[
    "ChangeInstanceSpec",
    "EXTEND",
    "BindEip",
    "UnBindEip",
    "AddReplica",
    "DelReplica",
    "AddWhitelist",
    "UpdatePort",
    "masterStandbySwapJob",
    "modify",
    "dcsExportJob",
    // Not in the spec's list: the services send more.
    "RestartInstance",
    "UpdateConfig",
    "RenameCommands",
    "dcsMigrationJob",
];

const USERS: &[(&str, &str)] = &[
    ("paas_dcs_a00421997_02", "d53977d1adfb49c5b025ba7d33a13fd7"),
    ("paas_dcs_004_01", "bb259bd2b8b644a1b4a573a20318af51"),
    ("ops-automation", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    ("zhang.wei", "6c8d2b4f1e3a4c5d9e8f7a6b5c4d3e2f"),
    ("li.na@example.com", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
    ("deploy-bot", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
];

const APPS: &[&str] = &[
    "orders", "sessions", "catalog", "payments", "search", "feed", "ledger", "auth",
];

const CAPACITIES: &[&str] = &["0.125", "0.25", "0.5", "1", "2", "4", "8", "16", "32", "64"];

const CACHE_MODES: &[&str] = &["single", "ha", "cluster", "proxy", "ha_rw_split"];

fn dcs_task(out: &mut String, rng: &mut Rng, i: usize, center: bool) {
    let name = DCS_NAMES[rng.weighted(&[18, 10, 8, 5, 8, 4, 8, 4, 6, 6, 8, 5, 4, 2, 2])];
    let status = match rng.below(100) {
        0..=79 => "SUCCESS",
        80..=87 => "FAILED",
        88..=94 => "EXECUTING",
        95..=97 => "CANCELLED",
        _ => "WAITING",
    };
    let (user_name, user_id) = USERS[rng.below(USERS.len() as u64) as usize];
    let app = APPS[rng.below(APPS.len() as u64) as usize];
    let instance_id = rng.uuid();
    let instance_name = format!("dcs-{app}-prod-{:03}", rng.below(120));
    let created = base_time() - Duration::seconds(i as i64 * 37 + rng.below(30) as i64);
    let offset_shape = rng.below(10) == 0;

    out.push('{');
    let mut o = Obj::open(out);
    o.string("id", &rng.hex32());
    o.string("name", name);
    if center {
        o.string("job_id", &rng.hex32());
    }
    o.string("user_name", user_name);
    o.string("user_id", user_id);
    o.key("details");
    match name {
        "masterStandbySwapJob" | "dcsExportJob" | "RestartInstance" | "dcsMigrationJob" => {
            o.out.push_str("null");
            o.first = false;
        }
        _ => {
            o.out.push('{');
            dcs_details(o.out, rng, name);
            o.out.push('}');
            o.first = false;
        }
    }
    if rng.below(20) == 0 {
        o.null("params");
    } else {
        let params = format!(
            "{{\"instance_id\":\"{instance_id}\",\"engine_version\":\"{}\"}}",
            ["4.0", "5.0", "6.0"][rng.below(3) as usize],
        );
        o.string("params", &params);
    }
    o.string("status", status);
    o.string("created_at", &timestamp(created, offset_shape));
    if status == "EXECUTING" || status == "WAITING" {
        o.null("updated_at");
    } else {
        let took = Duration::milliseconds(1500 + rng.below(180_000) as i64);
        o.string("updated_at", &timestamp(created + took, offset_shape));
    }
    if center {
        if status == "FAILED" {
            o.string(
                "error_code",
                ["111400063", "111400064", "DCS.4129"][rng.below(3) as usize],
            );
        } else {
            o.null("error_code");
        }
    }
    o.raw(
        "enable_show",
        if rng.below(4) == 0 { "false" } else { "true" },
    );
    // Fields the spec does not describe.
    o.string("instance_name", &instance_name);
    out.push('}');
}

fn dcs_details(out: &mut String, rng: &mut Rng, name: &str) {
    let mut o = Obj::open(out);
    match name {
        "ChangeInstanceSpec" | "EXTEND" => {
            let old = rng.below(6) as usize;
            let new = old + 1 + rng.below(3) as usize;
            capacity(&mut o, rng, "old_capacity", CAPACITIES[old]);
            capacity(&mut o, rng, "new_capacity", CAPACITIES[new]);
            let old_mode = CACHE_MODES[rng.below(3) as usize];
            // Now and then a mode the spec does not know.
            let new_mode = if rng.below(25) == 0 {
                "cluster_rw_split"
            } else {
                CACHE_MODES[rng.below(5) as usize]
            };
            o.string("old_cache_mode", old_mode);
            o.string("new_cache_mode", new_mode);
            o.string(
                "old_resource_spec_code",
                &format!("redis.{old_mode}.xu1.large.{}", CAPACITIES[old]),
            );
            o.string(
                "new_resource_spec_code",
                &format!("redis.{new_mode}.xu1.large.{}", CAPACITIES[new]),
            );
            o.raw("old_replica_num", "2");
            o.raw("new_replica_num", if rng.below(2) == 0 { "2" } else { "3" });
            if rng.below(10) == 0 {
                o.raw("is_only_adjust_charging", "true");
            }
        }
        "BindEip" | "UnBindEip" => {
            o.raw(
                "enable_public_ip",
                if name == "BindEip" { "true" } else { "false" },
            );
            o.string("public_ip_id", &rng.uuid());
            o.string(
                "public_ip_address",
                &format!("119.3.{}.{}", rng.below(256), rng.below(256)),
            );
            o.raw(
                "enable_ssl",
                if rng.below(2) == 0 { "true" } else { "false" },
            );
        }
        "AddReplica" | "DelReplica" => {
            o.string(
                "replica_ip",
                &format!("192.168.{}.{}", rng.below(256), rng.below(256)),
            );
            o.string(
                "replica_az",
                ["ap-southeast-1a", "ap-southeast-1b"][rng.below(2) as usize],
            );
            o.string("group_name", &format!("group-{}", rng.below(8)));
            o.raw("old_replica_num", "2");
            o.raw(
                "new_replica_num",
                if name == "AddReplica" { "3" } else { "1" },
            );
            o.string("node_name", &format!("node-{}", rng.below(16)));
        }
        "UpdatePort" => {
            o.raw("old_port", "6379");
            o.raw("new_port", &(6380 + rng.below(1000)).to_string());
        }
        "AddWhitelist" => {
            o.string(
                "source_ip",
                &format!("10.{}.{}.0/24", rng.below(256), rng.below(256)),
            );
            o.null("target_ip");
        }
        "modify" => {
            o.string(
                "account_name",
                ["default", "readonly", "app"][rng.below(3) as usize],
            );
        }
        "UpdateConfig" => {
            o.raw("updated_config_length", &(1 + rng.below(12)).to_string());
        }
        "RenameCommands" => {
            o.key("rename_commands");
            o.out
                .push_str("[\"command\",\"keys\",\"flushdb\",\"flushall\",\"hgetall\"]");
        }
        _ => {}
    }
}

/// A capacity, mostly as a JSON number (the quirk), sometimes as the
/// documented string.
fn capacity(o: &mut Obj<'_>, rng: &mut Rng, key: &str, value: &str) {
    if rng.below(5) == 0 {
        o.string(key, value);
    } else {
        o.raw(key, value);
    }
}

const RABBITMQ_NAMES: &[&str] = &[
    "bindInstancePublicIp",
    "unbindInstancePublicIp",
    "extendInstance",
    "restartInstance",
    "modifyInstanceSpec",
    "createInstance",
    "changeSecurityGroup",
];

fn rabbitmq_task(out: &mut String, rng: &mut Rng, i: usize) {
    let name = RABBITMQ_NAMES[rng.weighted(&[6, 4, 10, 6, 8, 3, 2])];
    let status = match rng.below(100) {
        0..=69 => "SUCCESS",
        70..=77 => "FAILED",
        78..=84 => "EXECUTING",
        85..=89 => "CREATED",
        90..=93 => "DELETED",
        94..=97 => "CANCELLED",
        _ => "ROLLBACK",
    };
    let (user_name, user_id) = USERS[rng.below(USERS.len() as u64) as usize];
    let instance_id = rng.uuid();
    let created = base_time() - Duration::seconds(i as i64 * 53 + rng.below(40) as i64);
    let offset_shape = rng.below(10) == 0;

    out.push('{');
    let mut o = Obj::open(out);
    o.string("id", &rng.hex32());
    o.string("name", name);
    o.string("user_name", user_name);
    o.string("user_id", user_id);
    let params = format!(
        "{{\"instance_id\":\"{instance_id}\",\"engine\":\"rabbitmq\",\"engine_version\":\"3.8.35\",\"new_storage_space\":{},\"oper_type\":\"{}\",\"new_product_id\":\"c6.{}u{}g.cluster\",\"enable_publicip\":{},\"publicip_id\":\"{}\"}}",
        300 + 100 * rng.below(20),
        ["storage", "horizontal", "vertical"][rng.below(3) as usize],
        2 << rng.below(3),
        4 << rng.below(3),
        rng.below(2) == 0,
        rng.uuid(),
    );
    o.string("params", &params);
    o.string("status", status);
    o.string("created_at", &timestamp(created, offset_shape));
    if status == "EXECUTING" || status == "CREATED" {
        o.null("updated_at");
    } else {
        let took = Duration::milliseconds(800 + rng.below(600_000) as i64);
        o.string("updated_at", &timestamp(created + took, offset_shape));
    }
    // Fields the spec does not describe.
    o.string("instance_id", &instance_id);
    o.string("job_id", &rng.hex32());
    o.string("instance_name", &format!("rabbitmq-{}", rng.hex8()));
    out.push('}');
}

const OPENGAUSS_NAMES: &[&str] = &[
    "CreateGaussDBV5Instance",
    "DeleteGaussDBV5Instance",
    // Not in the spec's list.
    "RestartGaussDBV5Instance",
    "ResizeGaussDBV5Flavor",
    "BackupGaussDBV5Instance",
];

const INSTANCE_STATES: &[&str] = &[
    "normal",
    "abnormal",
    "creating",
    "createfail",
    "deleted",
    "backup",
    "rebooting",
];

fn opengauss_task(out: &mut String, rng: &mut Rng, i: usize) {
    let name = OPENGAUSS_NAMES[rng.weighted(&[10, 4, 3, 2, 3])];
    let status = match rng.below(100) {
        0..=74 => "Completed",
        75..=84 => "Failed",
        85..=95 => "Running",
        _ => "Pending",
    };
    let created = base_time() - Duration::seconds(i as i64 * 61 + rng.below(50) as i64);
    // openGauss sends `+0800` offsets; now and then RFC 3339 with millis.
    let offset_shape = rng.below(10) != 0;

    out.push('{');
    let mut o = Obj::open(out);
    o.string("job_id", &rng.uuid());
    o.string("name", name);
    o.string("status", status);
    if status == "Running" {
        o.string("process", &format!("{}%", rng.below(100)));
    } else if rng.below(3) == 0 {
        o.string("process", "");
    } else {
        o.null("process");
    }
    o.key("instance_info");
    o.out.push('{');
    {
        let mut info = Obj::open(o.out);
        info.string("instance_id", &format!("{}in14", rng.hex32()));
        info.string(
            "instance_name",
            &format!(
                "gauss-{}-{:02}",
                APPS[rng.below(APPS.len() as u64) as usize],
                rng.below(40)
            ),
        );
        info.string(
            "instance_status",
            INSTANCE_STATES[rng.weighted(&[20, 2, 2, 1, 2, 1, 1])],
        );
        // Undescribed.
        info.string("instance_type", "Enterprise");
    }
    o.out.push('}');
    o.first = false;
    o.string("created_at", &timestamp(created, offset_shape));
    if status == "Running" || status == "Pending" {
        o.null("ended_at");
    } else {
        let took = Duration::seconds(30 + rng.below(5400) as i64);
        o.string("ended_at", &timestamp(created + took, offset_shape));
    }
    if status == "Failed" {
        o.string(
            "fail_reason",
            [
                "Insufficient quota: the number of vCPUs exceeds the limit.",
                "The subnet has no available IP addresses.",
                "Internal error, contact technical support (DBS.280238).",
            ][rng.below(3) as usize],
        );
    } else {
        o.null("fail_reason");
    }
    // Undescribed.
    o.string("order_id", &format!("CS{}", rng.digits(16)));
    o.string("enterprise_project_id", "0");
    out.push('}');
}

fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 6, 17, 8, 18, 6).unwrap() + Duration::milliseconds(597)
}

/// `2023-06-17T08:18:06.597Z`, or with `offset` `2023-06-17T16:18:06+0800`.
fn timestamp(time: DateTime<Utc>, offset: bool) -> String {
    if offset {
        let china = FixedOffset::east_opt(8 * 3600).unwrap();
        time.with_timezone(&china)
            .format("%Y-%m-%dT%H:%M:%S%z")
            .to_string()
    } else {
        time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }
}

/// Writes the members of a JSON object whose `{` is already written.
struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut String) -> Self {
        Self { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        // serde_json escapes quotes, backslashes and control characters.
        self.out
            .push_str(&serde_json::to_string(value).expect("a string serializes"));
    }

    fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.out.push_str(json);
    }

    fn null(&mut self, key: &str) {
        self.raw(key, "null");
    }
}

/// SplitMix64: small, fast and the same on every platform.
pub struct Rng(u64);

impl Rng {
    /// A generator with a fixed seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn reseed(&mut self, seed: u64) {
        self.0 = seed;
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut pick = self.below(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if pick < w {
                return i;
            }
            pick -= w;
        }
        weights.len() - 1
    }

    fn hex32(&mut self) -> String {
        format!("{:016x}{:016x}", self.next_u64(), self.next_u64())
    }

    fn hex8(&mut self) -> String {
        format!("{:08x}", self.next_u64() as u32)
    }

    fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}
