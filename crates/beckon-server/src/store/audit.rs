//! The `audit_events` table: what happened, to whom, from where. Never a token.

use sqlx::Row;

use super::{Conditions, Store};

/// An event as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub id: i64,
    /// Unix milliseconds.
    pub occurred_ms: i64,
    pub action: String,
    /// `success`, `refused` or `failure`.
    pub outcome: String,
    pub user_id: Option<String>,
    pub login_id: Option<String>,
    pub remote_ip: Option<String>,
    /// What the requester said it was (its `User-Agent`): a claim, not a fact.
    pub user_agent: Option<String>,
    /// `enchantedlink`, `magiclink`, `session`, `management`, `cli` or `server`.
    pub method: Option<String>,
    /// The event's details.
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// Which events to read; every filter given must match. Newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_ids: Vec<String>,
    pub login_ids: Vec<String>,
    pub actions: Vec<String>,
    pub excluded_actions: Vec<String>,
    pub remote_addresses: Vec<String>,
    pub methods: Vec<String>,
    /// Unix milliseconds, inclusive.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Matches any of login ID, user ID, action, address or user agent, in part.
    pub text: Option<String>,
    pub limit: i64,
}

/// A filter as SQL conditions.
fn conditions(filter: &AuditFilter) -> Conditions {
    let mut c = Conditions::default();
    c.any_of(&filter.user_ids, |p| format!("user_id IN ({p})"));
    c.any_of(&filter.login_ids, |p| format!("login_id IN ({p})"));
    c.any_of(&filter.actions, |p| format!("action IN ({p})"));
    c.any_of(&filter.excluded_actions, |p| format!("action NOT IN ({p})"));
    c.any_of(&filter.remote_addresses, |p| format!("remote_ip IN ({p})"));
    c.any_of(&filter.methods, |p| format!("method IN ({p})"));
    c.contains(
        filter.text.as_deref(),
        &["login_id", "user_id", "action", "remote_ip", "user_agent"],
    );
    c
}

/// Writes `row` in `tx`: the event is kept if and only if what it records is.
pub(super) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: &AuditRow,
) -> sqlx::Result<()> {
    insert_query(row).execute(&mut **tx).await?;
    Ok(())
}

fn insert_query(row: &AuditRow) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
    sqlx::query(
        "INSERT INTO audit_events (occurred_ms, action, outcome, user_id, login_id, \
         remote_ip, user_agent, method, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.occurred_ms)
    .bind(&row.action)
    .bind(&row.outcome)
    .bind(&row.user_id)
    .bind(&row.login_id)
    .bind(&row.remote_ip)
    .bind(&row.user_agent)
    .bind(&row.method)
    .bind(serde_json::Value::Object(row.data.clone()).to_string())
}

impl Store {
    /// Writes one event.
    pub async fn insert_audit(&self, row: &AuditRow) -> sqlx::Result<()> {
        insert_query(row).execute(&self.pool).await?;
        Ok(())
    }

    /// The events `filter` picks, newest first, and how many it picks in all.
    pub async fn search_audit(&self, filter: &AuditFilter) -> sqlx::Result<(Vec<AuditRow>, i64)> {
        let conditions = conditions(filter);
        let binds = &conditions.binds;
        let n = conditions.next();
        let from = format!(
            " FROM audit_events WHERE occurred_ms >= ${n} AND occurred_ms <= ${}{}",
            n + 1,
            conditions.and_sql()
        );
        let bounds = [
            filter.from_ms.unwrap_or(0),
            filter.to_ms.unwrap_or(i64::MAX),
        ];
        let count_sql = format!("SELECT COUNT(*){from}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for value in binds {
            count = count.bind(value);
        }
        let total = count
            .bind(bounds[0])
            .bind(bounds[1])
            .fetch_one(&self.pool)
            .await?;
        let sql = format!(
            "SELECT id, occurred_ms, action, outcome, user_id, login_id, remote_ip, user_agent, \
             method, data{from} ORDER BY occurred_ms DESC, id DESC LIMIT ${}",
            n + 2
        );
        let mut query = sqlx::query(&sql);
        for value in binds {
            query = query.bind(value);
        }
        let rows = query
            .bind(bounds[0])
            .bind(bounds[1])
            .bind(filter.limit)
            .fetch_all(&self.pool)
            .await?;
        let events = rows
            .iter()
            .map(|r| {
                let data: String = r.try_get("data")?;
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    occurred_ms: r.try_get("occurred_ms")?,
                    action: r.try_get("action")?,
                    outcome: r.try_get("outcome")?,
                    user_id: r.try_get("user_id")?,
                    login_id: r.try_get("login_id")?,
                    remote_ip: r.try_get("remote_ip")?,
                    user_agent: r.try_get("user_agent")?,
                    method: r.try_get("method")?,
                    data: serde_json::from_str(&data).unwrap_or_default(),
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
        Ok((events, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_numbered_parameters_in_order() {
        let filter = AuditFilter {
            user_ids: vec!["U1".into(), "U2".into()],
            excluded_actions: vec!["session.refreshed".into()],
            text: Some("50%_off".into()),
            ..AuditFilter::default()
        };
        let c = conditions(&filter);
        let sql = c.and_sql();
        assert!(sql.contains("user_id IN ($1, $2)"), "{sql}");
        assert!(sql.contains("action NOT IN ($3)"), "{sql}");
        assert!(sql.contains("login_id LIKE $4 ESCAPE"), "{sql}");
        assert_eq!(c.binds[3], "%50\\%\\_off%");
        assert_eq!(c.next(), 5);
    }
}
