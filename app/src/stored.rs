//! Enums stored as text in the database and sent over the wire.

/// A stored value that names no known variant: the database and the code disagree.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// An enum with a fixed text form, so each one's parsing lives in one place.
pub trait StoredEnum: Sized + Copy + 'static {
    /// What the enum is, for error messages ("member role").
    const KIND: &'static str;
    const ALL: &'static [Self];

    fn as_str(self) -> &'static str;

    fn parse(value: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .iter()
            .copied()
            .find(|variant| variant.as_str() == value)
            .ok_or_else(|| UnknownValue {
                kind: Self::KIND,
                value: value.to_owned(),
            })
    }
}
