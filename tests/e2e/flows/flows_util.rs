pub use tenant_desk_e2e::locate::*;
use tenant_desk_e2e::{seed, App};

pub async fn sign_in(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Personal information")).await;
}

pub async fn open_identity(app: &App) {
    app.click("Identity").await;
    app.see(&heading("Identity")).await;
    app.see(&textbox("Search tenants")).await;
}

/// The text of one cell (1 = Description … 5 = Created On) of a tenant's row.
pub async fn cell(app: &App, tenant: &str, column: usize) -> String {
    let el = app.find(&format!("{}/td[{column}]", row(tenant))).await;
    el.text().await.unwrap_or_else(|e| panic!("cell text: {e}"))
}
