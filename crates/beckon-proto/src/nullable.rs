//! Reading a field that a client may send as `null`: as its empty value.

use serde::{Deserialize, Deserializer};

/// `null` (or a missing field, with `#[serde(default)]`) reads as `T::default()`.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// For `skip_serializing_if` on flags that are left out unless set.
pub(crate) fn is_false(value: &bool) -> bool {
    !value
}
