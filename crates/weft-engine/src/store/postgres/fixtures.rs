//! Scratch databases for tests and benchmarks: a fresh, empty database on a PostgreSQL server,
//! dropped again when its guard goes. Not part of the engine's API.

use crate::store::{Error, Result};

/// A database made for one test; dropped (with whatever connections are left) on drop.
pub struct ScratchDatabase {
    admin: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// Creates a new, empty database on the server `admin_url` points at.
    pub fn create(admin_url: &str) -> Result<Self> {
        let name = format!("weft_t_{}", uuid::Uuid::new_v4().simple());
        admin(admin_url, &format!("CREATE DATABASE {name}"))?;
        let url = match admin_url.rfind('/') {
            Some(slash) if slash > admin_url.find("://").map_or(0, |i| i + 2) => {
                let (base, rest) = admin_url.split_at(slash);
                let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
                format!("{base}/{name}{query}")
            }
            _ => format!("{admin_url}/{name}"),
        };
        Ok(Self {
            admin: admin_url.to_string(),
            name,
            url,
        })
    }

    /// Its URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Err(e) = admin(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        ) {
            tracing::warn!("dropping {}: {e}", self.name);
        }
    }
}

/// Runs one statement on the admin database, on a thread and runtime of its own (this may be
/// called inside a test's runtime).
fn admin(url: &str, sql: &str) -> Result<()> {
    let open_error = |message: String| Error::Open {
        path: super::redact(url),
        message,
    };
    let config: tokio_postgres::Config = url.parse().map_err(|e| open_error(format!("{e}")))?;
    let sql = sql.to_string();
    let outcome = std::thread::spawn(move || -> std::result::Result<(), String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| e.to_string())?;
            let driver = tokio::spawn(connection);
            let result = client.batch_execute(&sql).await;
            drop(client);
            let _ = driver.await;
            result.map_err(|e| Error::from(e).to_string())
        })
    })
    .join()
    .map_err(|_| open_error("the admin connection thread panicked".into()))?;
    outcome.map_err(open_error)
}
