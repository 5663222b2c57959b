//! Access tokens of the HTTP bridge, as the store holds them: a name, the public id that finds
//! the token, and the SHA-256 of its secret — never the secret itself, which is shown once when
//! the token is made ([`crate::ops::tokens`]). Read and written through
//! [`TokenReads`](super::api::TokenReads) and [`TokenWrites`](super::api::TokenWrites).

use super::Millis;
use serde::Serialize;

/// A token as listed: what it may do and since when, never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The name it was made under (unique in a store).
    pub name: String,
    /// True when it may only read: commands and edits are refused with it.
    pub read_only: bool,
    /// When it was made (ms since the epoch).
    pub created_at: Millis,
    /// The operator it belongs to; `None` for a token of the store's owner (every capability).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
}

/// A person (or a robot) of a team server: the groups whose approvals they answer and what
/// they may do. Tokens belong to operators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "OperatorInfo")]
pub struct Operator {
    /// Unique name (letters, digits, `.`, `_`, `-`).
    pub name: String,
    /// Where approval requests of their groups are emailed, if anywhere.
    pub email: Option<String>,
    /// The groups they belong to (`marketing`), in name order.
    pub groups: Vec<String>,
    /// What they may do, in the order of [`Capability::ALL`].
    pub capabilities: Vec<super::Capability>,
    /// When they were added (ms since the epoch).
    #[ts(type = "number")]
    pub created_at: Millis,
}

/// A stored token found by its public id, with the hash its secret must match.
#[derive(Clone, Debug)]
pub struct StoredToken {
    /// What the token is.
    pub info: TokenInfo,
    /// SHA-256 of its secret.
    pub hash: Vec<u8>,
}

impl Operator {
    /// Reads an operator as the stores keep it (groups and capabilities as JSON lists).
    pub fn from_stored(
        name: String,
        email: Option<String>,
        groups: &str,
        capabilities: &str,
        created_at: Millis,
    ) -> super::Result<Self> {
        let corrupt = |what: &str, e: serde_json::Error| super::Error::Corrupt {
            what: "operator",
            message: format!("{name}: {what}: {e}"),
        };
        Ok(Self {
            groups: serde_json::from_str(groups).map_err(|e| corrupt("groups", e))?,
            capabilities: serde_json::from_str(capabilities)
                .map_err(|e| corrupt("capabilities", e))?,
            name,
            email,
            created_at,
        })
    }

    /// Whether they may do this.
    pub fn can(&self, capability: super::Capability) -> bool {
        self.capabilities.contains(&capability)
    }
}

/// An operator's groups and capabilities as the stores keep them (JSON lists).
pub fn operator_lists(o: &Operator) -> (String, String) {
    (
        serde_json::to_string(&o.groups).unwrap_or_else(|_| "[]".into()),
        serde_json::to_string(&o.capabilities).unwrap_or_else(|_| "[]".into()),
    )
}
