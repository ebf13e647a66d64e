pub use tenant_desk_e2e::locate::*;
use tenant_desk_e2e::{seed, App};

/// Signs in and opens Profile (administrators land on Identity).
pub async fn sign_in(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    let me = "//nav[@aria-label='Main menu']//button[starts-with(@aria-label, 'Profile: ')]";
    app.find(me).await.click().await.unwrap_or_else(|e| panic!("open Profile: {e}"));
    app.see(&heading("Personal information")).await;
}

/// Settings > Identity, on the Tenants tab.
pub async fn open_identity(app: &App) {
    app.click("Identity").await;
    app.see(&heading("Identity")).await;
    app.find("//*[@role='tab' and normalize-space(.)='Tenants']").await.click().await.unwrap_or_else(|e| panic!("Tenants tab: {e}"));
    app.see(&textbox("Search tenants")).await;
}

/// The text of one cell (1 = Description … 5 = Created On) of a tenant's row.
pub async fn cell(app: &App, tenant: &str, column: usize) -> String {
    let el = app.find(&format!("{}/td[{column}]", row_starting(tenant))).await;
    el.text().await.unwrap_or_else(|e| panic!("cell text: {e}"))
}

/// A screenshot once the window has painted the last change (WebKit's
/// capture can lag a frame behind the DOM the test just checked).
pub async fn shoot(app: &mut App, step: &str) {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    app.screenshot(step).await;
}
