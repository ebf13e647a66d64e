//! Accessibility measured on every screen a flow looks at: axe-core (the
//! npm package the UI build installs) runs in the window in the light and
//! the dark theme, and any serious or critical WCAG 2.2 A/AA violation
//! (names, roles, contrast, focus order) fails the flow with where it is.

use std::path::Path;
use std::sync::OnceLock;

use super::App;

/// The WCAG levels checked: A and AA of 2.0, 2.1 and 2.2.
const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (the UI's npm packages are installed by the test command)", path.display()))
    })
}

impl App {
    /// Runs axe on what the window shows now, in both themes (the person's
    /// own theme is put back after), and fails on serious or critical
    /// violations.
    pub async fn check_accessibility(&self, step: &str) {
        let loaded = self.client.execute("return typeof window.axe === 'object';", vec![]).await;
        if !loaded.ok().and_then(|v| v.as_bool()).unwrap_or(false) {
            self.client
                .execute(&format!("{}\nreturn true;", axe_source()), vec![])
                .await
                .unwrap_or_else(|e| panic!("loading axe-core: {e}"));
        }
        let answer = self
            .client
            .execute_async(
                "const [tags, done] = arguments;
                 const root = document.documentElement;
                 const chosen = root.dataset.theme;
                 const found = [];
                 (async () => {
                   for (const theme of ['light', 'dark']) {
                     root.dataset.theme = theme;
                     const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
                     for (const v of result.violations) {
                       if (v.impact !== 'serious' && v.impact !== 'critical') continue;
                       for (const node of v.nodes) {
                         found.push(`${theme}: ${v.id} (${v.impact}) at ${node.target.join(' ')}: ${node.failureSummary.replace(/\\s+/g, ' ')}`);
                       }
                     }
                   }
                 })().catch((e) => found.push('axe failed: ' + e)).finally(() => {
                   if (chosen === undefined) delete root.dataset.theme; else root.dataset.theme = chosen;
                   done(found);
                 });",
                vec![serde_json::json!(TAGS)],
            )
            .await
            .unwrap_or_else(|e| panic!("running axe-core on {step}: {e}"));
        let found: Vec<String> = serde_json::from_value(answer).unwrap_or_default();
        assert!(found.is_empty(), "{}: {step}: accessibility violations:\n{}", self.name, found.join("\n"));
    }
}
