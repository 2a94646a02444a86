//! The sync contract of DESIGN §4, as it travels between the device and the server.
use serde::{Deserialize, Serialize};

/// The kinds of record that travel through sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Task,
    Proposal,
    Event,
    /// A person of attention: cached on the device only encrypted (`sensitive`).
    Person,
    Offence,
    Visit,
    Meeting,
    Decision,
    /// A feature of a village map layer (`"feature"` on the wire and in the database).
    #[serde(rename = "feature")]
    MapFeature,
    /// A village's council: its formation date.
    Council,
    /// A member of a village's council.
    Member,
}

impl crate::stored::StoredEnum for Entity {
    const KIND: &'static str = "sync entity";
    const ALL: &'static [Entity] = &[
        Self::Task,
        Self::Proposal,
        Self::Event,
        Self::Person,
        Self::Offence,
        Self::Visit,
        Self::Meeting,
        Self::Decision,
        Self::MapFeature,
        Self::Council,
        Self::Member,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Task => "task",
            Self::Proposal => "proposal",
            Self::Event => "event",
            Self::Person => "person",
            Self::Offence => "offence",
            Self::Visit => "visit",
            Self::Meeting => "meeting",
            Self::Decision => "decision",
            Self::MapFeature => "feature",
            Self::Council => "council",
            Self::Member => "member",
        }
    }
}

impl Entity {
    /// The kind of record the access policy knows this entity as.
    pub fn kind(self) -> crate::access::RecordKind {
        use crate::access::RecordKind;
        match self {
            Self::Task => RecordKind::Task,
            Self::Proposal => RecordKind::Proposal,
            Self::Event => RecordKind::Event,
            Self::Person => RecordKind::Person,
            Self::Offence => RecordKind::Offence,
            Self::Visit => RecordKind::Visit,
            Self::Meeting => RecordKind::Meeting,
            Self::Decision => RecordKind::Decision,
            Self::MapFeature => RecordKind::MapFeature,
            Self::Council | Self::Member => RecordKind::Council,
        }
    }

    /// Sensitive records travel in their own pull stream and are cached only encrypted.
    pub fn sensitive(self) -> bool {
        self == Self::Person
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
    /// The user discarded this entry before it was sent: it keeps its seq (so the server
    /// sees no gap) and writes nothing.
    Skip,
}

/// A change that was written: the record's version after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    pub version: i64,
}

/// What became of one mutation on the server (answered to the device as a [`Status`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Applied(Applied),
    Rejected(Reason),
    /// The server's current record, for the person to compare with theirs.
    Conflict(serde_json::Value),
    Skipped,
}

/// One change made on a device, in the order the device made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// A UUIDv7 made on the device: the same entry sent twice has the same id.
    pub id: String,
    /// 1, 2, 3 … per device, without gaps.
    pub seq: u64,
    pub entity: Entity,
    pub op: Op,
    pub record_id: String,
    /// The record version the change was made on (updates and deletes).
    #[serde(default)]
    pub base_version: Option<i64>,
    #[serde(default)]
    pub payload: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: String,
    pub mutations: Vec<Mutation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Applied,
    Rejected,
    /// The record changed on the server since `base_version`; `server_record` holds it.
    Conflict,
    Skipped,
    /// The seq is not the next one the server expects; nothing was written. `expected` says
    /// which seq to send first.
    Gap,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Rejected => "rejected",
            Self::Conflict => "conflict",
            Self::Skipped => "skipped",
            Self::Gap => "gap",
        }
    }
}

/// Why the server refused a mutation; the device translates it for the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The caller's role or villages do not allow this change.
    Forbidden,
    /// The record to change does not exist (or is not visible to the caller).
    NotFound,
    /// A field breaks a rule shared with the form.
    Invalid { field: String, rule: FieldRule },
    /// The status change is not allowed from the record's current status.
    Transition { from: String, to: String },
    /// This operation does not exist for this kind of record.
    Unsupported,
    /// A record with this id exists already and is another one.
    IdTaken,
    /// The same seq arrived with a different mutation id: a broken client.
    SeqReused,
}

/// The rule a field broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum FieldRule {
    Required,
    TooLong {
        max: usize,
    },
    NotADate,
    InFuture,
    UnknownChoice,
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// Not a Kazakh phone number (+7 7XX XXX XX XX).
    NotAPhone,
    /// An end date earlier than its start (a member leaving before he joined).
    BeforeStart,
    /// A name with no letter in it (`0`, `#REF!`).
    NotAName,
    /// Another record holds the same value already (a member's name in one council).
    Duplicate,
}

/// The answer to one mutation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub id: String,
    pub seq: u64,
    pub status: Status,
    /// True when this mutation had been received before: the answer is the original one.
    #[serde(default)]
    pub duplicate: bool,
    /// The record's version after an applied change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_record: Option<serde_json::Value>,
    /// With `Gap`: the seq the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub answers: Vec<Answer>,
    /// The highest seq of this device the server has settled.
    pub applied_seq: u64,
    /// Which history the server holds (DESIGN §4.9); empty from a server that predates it.
    #[serde(default)]
    pub epoch: String,
}

/// Which records a pull returns: sensitive ones come in their own stream, so a device that
/// cannot encrypt them at the moment still syncs everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Records,
    Sensitive,
}

impl Stream {
    pub fn includes(self, entity: Entity) -> bool {
        entity.sensitive() == (self == Self::Sensitive)
    }
}

/// One changed record (or its tombstone) in a pull.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub entity: Entity,
    pub record_id: String,
    /// The server version of this change (the cursor after it).
    pub server_version: i64,
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// Pass as `since` for the next page.
    pub cursor: i64,
    /// More changes wait after this page.
    pub more: bool,
    /// About how many changes are left after this page (for a progress bar).
    pub remaining: i64,
    /// The cursor was too old: the device must drop its copy and pull from 0.
    pub reset: bool,
    /// Which history the server holds (DESIGN §4.9); empty from a server that predates it.
    #[serde(default)]
    pub epoch: String,
}

/// Largest page a pull returns.
pub const PULL_PAGE_MAX: i64 = 500;
/// Largest batch a push accepts.
pub const PUSH_BATCH_MAX: usize = 200;

/// What the forms need to work offline: the villages the caller works in and their council
/// members (to assign tasks).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub villages: Vec<ReferenceVillage>,
    pub members: Vec<ReferenceMember>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceVillage {
    pub id: String,
    pub name: crate::names::LocalizedName,
    /// Where the map opens before the village has layers (lat, lon; often approximate).
    #[serde(default)]
    pub centre: Option<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceMember {
    pub id: String,
    pub village_id: String,
    pub full_name: String,
}

/// The request header in which the app names its version (shown on the admin's device list).
pub const APP_VERSION_HEADER: &str = "x-zq-app-version";
/// Sent as `locked` by the app while its lock screen shows: the request does not count as the
/// person's activity, and the server forgets the session's unlock (docs/offline-unlock.md).
pub const LOCK_HEADER: &str = "x-zq-lock";
