//! Management request bodies (`/v1/mgmt/…`, `/v2/mgmt/user/search`; docs/wire.md §10), as
//! Descope's official SDKs send them with a management key.
//!
//! Unlike the sign-in bodies, these refuse what they do not name: a management call that
//! silently dropped a tenant filter or a role would act on the wrong people. A field Beckon
//! has no such thing for, which the SDKs send on every call, is an [`Unused`]: taken only
//! while it is empty. Any other field fails to read, and the error says which.
//!
//! ```
//! use beckon_proto::management::{CreateUser, Unused};
//!
//! let body: CreateUser = serde_json::from_str(
//!     r#"{"loginId": "ada@example.com", "roleNames": [], "test": false}"#,
//! )
//! .unwrap();
//! assert_eq!(body.login_id.as_deref(), Some("ada@example.com"));
//!
//! let refused = serde_json::from_str::<CreateUser>(r#"{"roleNames": ["admin"]}"#).unwrap_err();
//! assert!(refused.to_string().starts_with(Unused::REFUSAL));
//! let unknown = serde_json::from_str::<CreateUser>(r#"{"nickname": "x"}"#).unwrap_err();
//! assert!(unknown.to_string().contains("nickname"));
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::nullable::or_default;

/// A field the server has no such thing for (tenants, roles, custom attributes…): read only
/// while it is empty (`null`, `[]`, `{}`, `""`, `false` or `0`), as the SDKs send it when
/// unused. Any other value fails to read with [`Unused::REFUSAL`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Unused;

impl Unused {
    /// How the error for a non-empty value begins.
    pub const REFUSAL: &'static str = "not supported by this server";
}

impl<'de> Deserialize<'de> for Unused {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        let empty = match Value::deserialize(deserializer)? {
            Value::Null => true,
            Value::Bool(b) => !b,
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
        };
        if empty {
            Ok(Unused)
        } else {
            Err(D::Error::custom(Self::REFUSAL))
        }
    }
}

/// A user's details as a create or update body gives them (the display name from
/// `displayName`, else `name`). `None` leaves a detail unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserFields {
    /// Email address.
    pub email: Option<String>,
    /// Phone number in E.164 form.
    pub phone: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Middle name.
    pub middle_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Whether the email address is verified.
    pub verified_email: Option<bool>,
    /// Whether the phone number is verified.
    pub verified_phone: Option<bool>,
}

/// A create or update body: the fields given, then the user's details and what the SDKs
/// send with every user that Beckon has no such thing for, written once for both. (Not
/// `#[serde(flatten)]`: a flattened field's error would not name the field.)
macro_rules! user_body {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
            /// Email address.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub email: Option<String>,
            /// Phone number in E.164 form.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub phone: Option<String>,
            /// Display name, as the Python SDK names it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub display_name: Option<String>,
            /// Display name, as the Node SDK names it (`displayName` wins when both are set).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// Given name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub given_name: Option<String>,
            /// Middle name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub middle_name: Option<String>,
            /// Family name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub family_name: Option<String>,
            /// Whether the email address is verified.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub verified_email: Option<bool>,
            /// Whether the phone number is verified.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub verified_phone: Option<bool>,
            /// Roles.
            #[serde(default, skip_serializing)]
            pub role_names: Unused,
            /// Tenants and their roles.
            #[serde(default, skip_serializing)]
            pub user_tenants: Unused,
            /// A test user.
            #[serde(default, skip_serializing)]
            pub test: Unused,
            /// A picture's URL.
            #[serde(default, skip_serializing)]
            pub picture: Unused,
            /// Custom attributes.
            #[serde(default, skip_serializing)]
            pub custom_attributes: Unused,
            /// SSO applications.
            #[serde(default, skip_serializing)]
            pub sso_app_ids: Unused,
            /// SSO applications, as the Node SDK spells them.
            #[serde(default, skip_serializing, rename = "ssoAppIDs")]
            pub sso_app_ids_upper: Unused,
            /// An invitation to send.
            #[serde(default, skip_serializing)]
            pub invite: Unused,
            /// The invitation's link.
            #[serde(default, skip_serializing)]
            pub invite_url: Unused,
            /// Send the invitation by email.
            #[serde(default, skip_serializing)]
            pub send_mail: Unused,
            /// Send the invitation by SMS.
            #[serde(default, skip_serializing, rename = "sendSMS")]
            pub send_sms: Unused,
            /// More identifiers.
            #[serde(default, skip_serializing)]
            pub additional_identifiers: Unused,
            /// Family associations.
            #[serde(default, skip_serializing)]
            pub family_associations: Unused,
            /// The invitation's template.
            #[serde(default, skip_serializing)]
            pub template_id: Unused,
        }

        impl $name {
            /// The user's details this body gives.
            pub fn user(&self) -> UserFields {
                UserFields {
                    email: self.email.clone(),
                    phone: self.phone.clone(),
                    name: self.display_name.clone().or_else(|| self.name.clone()),
                    given_name: self.given_name.clone(),
                    middle_name: self.middle_name.clone(),
                    family_name: self.family_name.clone(),
                    verified_email: self.verified_email,
                    verified_phone: self.verified_phone,
                }
            }
        }
    };
}

user_body! {
    /// `POST /v1/mgmt/user/create`: a new user.
    pub struct CreateUser {
        /// The new user's login ID (required).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub login_id: Option<String>,
        /// More login IDs for the same user.
        #[serde(default, deserialize_with = "or_default", skip_serializing_if = "Vec::is_empty")]
        pub additional_login_ids: Vec<String>,
        /// `enabled` (the default) or `disabled`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
    }
}

user_body! {
    /// `POST /v1/mgmt/user/update`: a user's details, replaced.
    pub struct UpdateUser {
        /// The user, by login ID (or give `user_id`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub login_id: Option<String>,
        /// The user, by user ID.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub user_id: Option<String>,
        /// Login IDs cannot be added by an update here.
        #[serde(default, skip_serializing)]
        pub additional_login_ids: Unused,
    }
}

/// `POST /v1/mgmt/user/delete` and `POST /v1/mgmt/user/logout`: one user, by login ID or
/// user ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct UserRef {
    /// The user, by login ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    /// The user, by user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// `POST /v1/mgmt/user/update/status`: enable or disable a user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct UpdateUserStatus {
    /// The user, by login ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    /// The user, by user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `enabled` or `disabled` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `POST /v2/mgmt/user/search`. Every filter given must match; an empty one matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct SearchUsers {
    /// Users per page (0 for the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// The page, from 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    /// `enabled`, `disabled`, or both.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub statuses: Vec<String>,
    /// Any of these login IDs.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub login_ids: Vec<String>,
    /// Any of these user IDs.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_ids: Vec<String>,
    /// Any of these email addresses.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub emails: Vec<String>,
    /// Any of these phone numbers.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub phones: Vec<String>,
    /// Text found in a login ID, name, email or phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Created at or after this time (milliseconds since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_created_time: Option<i64>,
    /// Created at or before this time (milliseconds since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_created_time: Option<i64>,
    /// Tenants.
    #[serde(default, skip_serializing)]
    pub tenant_ids: Unused,
    /// Roles.
    #[serde(default, skip_serializing)]
    pub role_names: Unused,
    /// Test users only.
    #[serde(default, skip_serializing)]
    pub test_users_only: Unused,
    /// Test users too.
    #[serde(default, skip_serializing)]
    pub with_test_user: Unused,
    /// Custom attributes.
    #[serde(default, skip_serializing)]
    pub custom_attributes: Unused,
    /// SSO applications.
    #[serde(default, skip_serializing)]
    pub sso_app_ids: Unused,
    /// A sort order.
    #[serde(default, skip_serializing)]
    pub sort: Unused,
    /// Modified at or after.
    #[serde(default, skip_serializing)]
    pub from_modified_time: Unused,
    /// Modified at or before.
    #[serde(default, skip_serializing)]
    pub to_modified_time: Unused,
    /// Tenant roles, by ID.
    #[serde(default, skip_serializing)]
    pub tenant_role_ids: Unused,
    /// Tenant roles, by name.
    #[serde(default, skip_serializing)]
    pub tenant_role_names: Unused,
    /// Families.
    #[serde(default, skip_serializing)]
    pub family_ids: Unused,
    /// Dependants.
    #[serde(default, skip_serializing)]
    pub dependent: Unused,
    /// Lock reasons.
    #[serde(default, skip_serializing)]
    pub lock_reasons: Unused,
    /// Temporary lock reasons.
    #[serde(default, skip_serializing)]
    pub temp_lock_reasons: Unused,
}

/// `POST /v1/mgmt/audit/search`. Every filter given must match; an empty one matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct SearchAudit {
    /// Events per answer (0 for the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Any of these user IDs.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_ids: Vec<String>,
    /// Any of these login IDs.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_ids: Vec<String>,
    /// Any of these actions.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub actions: Vec<String>,
    /// None of these actions.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub excluded_actions: Vec<String>,
    /// Any of these client addresses.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub remote_addresses: Vec<String>,
    /// Any of these sign-in methods.
    #[serde(
        default,
        deserialize_with = "or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub methods: Vec<String>,
    /// At or after this time (milliseconds since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    /// At or before this time (milliseconds since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    /// Text found in the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Events with no tenant too: either value is the same search here, which has no
    /// tenants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_tenants: Option<bool>,
    /// Tenants.
    #[serde(default, skip_serializing)]
    pub tenants: Unused,
    /// Devices.
    #[serde(default, skip_serializing)]
    pub devices: Unused,
    /// Places.
    #[serde(default, skip_serializing)]
    pub geos: Unused,
    /// A page (the answer is one page).
    #[serde(default, skip_serializing)]
    pub page: Unused,
}
