//! Finding controls by role and name. XPath stands in for the accessibility
//! tree: a textbox is the input its <label> names, a button is found by its
//! text or aria-label, a toast by the text inside the status region.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::Locator;

use super::App;

const PATIENCE: Duration = Duration::from_secs(20);

/// An XPath string literal for any text (quotes included).
fn lit(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

pub fn button(name: &str) -> String {
    let n = lit(name);
    format!("//button[normalize-space(.)={n} or @aria-label={n}]")
}

pub fn textbox(label: &str) -> String {
    format!("//*[self::input or self::textarea][@id = //label[normalize-space(text()[1])={}]/@for]", lit(label))
}

/// A <select> named by its <label>.
pub fn combobox(label: &str) -> String {
    format!("//select[@id = //label[normalize-space(text()[1])={}]/@for]", lit(label))
}

/// A table row with a cell showing exactly `cell`.
pub fn row(cell: &str) -> String {
    format!("//tr[td[normalize-space(.)={}]]", lit(cell))
}

/// A navigation entry of the left menu.
pub fn menu_item(name: &str) -> String {
    format!("//nav[@aria-label='Main menu']//button[normalize-space(.)={}]", lit(name))
}

/// The badge shown beside a menu entry (e.g. the sessions waiting).
pub fn menu_badge(name: &str) -> String {
    format!("{}/following-sibling::span[contains(@class, 'badge')]", menu_item(name))
}

pub fn checkbox(label: &str) -> String {
    format!("//label[normalize-space(.)={}]//input[@type='checkbox']", lit(label))
}

/// A radio button named by the <label> around it.
pub fn radio(label: &str) -> String {
    format!("//label[normalize-space(.)={}]//input[@type='radio']", lit(label))
}

/// An entry of an open menu (role="menuitem").
pub fn menuitem(name: &str) -> String {
    format!("//*[@role='menuitem' and normalize-space(.)={}]", lit(name))
}

pub fn heading(text: &str) -> String {
    format!("//*[self::h1 or self::h2 or self::h3][normalize-space(.)={}]", lit(text))
}

pub fn status(text: &str) -> String {
    format!("//*[@role='status']//*[normalize-space(.)={}]", lit(text))
}

pub fn alert(text: &str) -> String {
    format!("//*[@role='alert' and normalize-space(.)={}]", lit(text))
}

/// A table row whose header cell (or any cell) starts with `text`.
pub fn row_starting(text: &str) -> String {
    format!("//tr[*[self::th or self::td][starts-with(normalize-space(.), {})]]", lit(text))
}

/// A section or form titled by a heading, to look for controls inside it.
pub fn region(heading: &str) -> String {
    format!("//*[(self::section or self::form) and .//*[self::h1 or self::h2][normalize-space(.)={}]]", lit(heading))
}

/// A textbox labelled `label` inside `container`.
pub fn textbox_in(container: &str, label: &str) -> String {
    format!(
        "{container}//*[self::input or self::textarea][@id = {container}//label[normalize-space(text()[1])={}]/@for]",
        lit(label)
    )
}

pub fn dialog(title: &str) -> String {
    format!("//*[(@role='dialog' or @role='alertdialog') and .//h2[normalize-space(.)={}]]", lit(title))
}

impl App {
    pub async fn find(&self, xpath: &str) -> Element {
        match self.client.wait().at_most(PATIENCE).for_element(Locator::XPath(xpath)).await {
            Ok(element) => element,
            Err(e) => panic!("not found within {PATIENCE:?}: {xpath}: {e}\nthe window says: {:?}", self.messages().await),
        }
    }

    /// What the window's status and alert regions say now, for a failure's message.
    async fn messages(&self) -> Vec<String> {
        let mut said = Vec::new();
        for region in self.client.find_all(Locator::XPath("//*[@role='status' or @role='alert']")).await.unwrap_or_default() {
            if let Ok(text) = region.text().await {
                if !text.trim().is_empty() {
                    said.push(text.trim().to_owned());
                }
            }
        }
        said
    }

    pub async fn exists_now(&self, xpath: &str) -> bool {
        self.client.find(Locator::XPath(xpath)).await.is_ok()
    }

    pub async fn see(&self, xpath: &str) {
        self.find(xpath).await;
    }

    /// Waits until nothing matches (e.g. a closed dialog).
    pub async fn gone(&self, xpath: &str) {
        for _ in 0..200 {
            if !self.exists_now(xpath).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("still present after 20 s: {xpath}");
    }

    /// Replaces a textbox's content as typing would (input events included).
    pub async fn fill(&self, label: &str, text: &str) {
        self.fill_at(&textbox(label), label, text).await;
    }

    /// Like [`fill`](Self::fill), for the textbox labelled `label` inside `container`.
    pub async fn fill_in(&self, container: &str, label: &str, text: &str) {
        self.fill_at(&textbox_in(container, label), label, text).await;
    }

    async fn fill_at(&self, xpath: &str, label: &str, text: &str) {
        let input = self.find(xpath).await;
        input.click().await.unwrap_or_else(|e| panic!("click {label}: {e}"));
        // Ctrl+A, release, Backspace: clears through real key events.
        input.send_keys("\u{E009}a\u{E000}\u{E003}").await.unwrap_or_else(|e| panic!("clear {label}: {e}"));
        if !text.is_empty() {
            input.send_keys(text).await.unwrap_or_else(|e| panic!("type into {label}: {e}"));
        }
    }

    pub async fn value_of(&self, label: &str) -> String {
        let input = self.find(&textbox(label)).await;
        input.prop("value").await.ok().flatten().unwrap_or_default()
    }

    pub async fn click(&self, name: &str) {
        self.find(&button(name)).await.click().await.unwrap_or_else(|e| panic!("click {name}: {e}"));
    }

    pub async fn click_within(&self, container: &str, name: &str) {
        let xpath = format!("{container}{}", button(name));
        self.find(&xpath).await.click().await.unwrap_or_else(|e| panic!("click {name}: {e}"));
    }

    /// Picks an option of a <select> by its visible text, once the option is
    /// there: a screen may fill its choices after it shows the field (the
    /// operators come from the store, or over the network from a team server).
    pub async fn choose(&self, label: &str, option: &str) {
        self.find(&format!("{}/option[normalize-space(.)={}]", combobox(label), lit(option))).await;
        self.find(&combobox(label))
            .await
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("choose {option} in {label}: {e}"));
    }

    /// Scrolls what `xpath` finds into the middle of the window (for a screenshot).
    pub async fn scroll_to(&self, xpath: &str) {
        let el = self.find(xpath).await;
        let arg = serde_json::to_value(&el).unwrap_or_else(|e| panic!("element reference: {e}"));
        self.client
            .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![arg])
            .await
            .unwrap_or_else(|e| panic!("scroll to {xpath}: {e}"));
    }

    /// Every control `xpath` finds is shown whole, where a person can click it
    /// without scrolling: inside the window and every box that clips it, and
    /// not covered by anything (its centre hits it). Returns how many.
    pub async fn all_reachable(&self, xpath: &str) -> usize {
        self.find(xpath).await;
        let answer = self
            .client
            .execute(
                "const found = document.evaluate(arguments[0], document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
                 const problems = [];
                 for (let i = 0; i < found.snapshotLength; i++) {
                   const el = found.snapshotItem(i);
                   const r = el.getBoundingClientRect();
                   const clip = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
                   for (let p = el.parentElement; p; p = p.parentElement) {
                     const style = getComputedStyle(p);
                     if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
                       const b = p.getBoundingClientRect();
                       clip.left = Math.max(clip.left, b.left); clip.top = Math.max(clip.top, b.top);
                       clip.right = Math.min(clip.right, b.right); clip.bottom = Math.min(clip.bottom, b.bottom);
                     }
                   }
                   const inside = r.left >= clip.left - 0.5 && r.right <= clip.right + 0.5 && r.top >= clip.top - 0.5 && r.bottom <= clip.bottom + 0.5;
                   const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   if (!inside || !(hit && (hit === el || el.contains(hit)))) {
                     problems.push((el.getAttribute('aria-label') || el.textContent.trim()) + ' at ' + Math.round(r.left) + ',' + Math.round(r.top)
                       + (inside ? ' is covered' : ' is outside ' + JSON.stringify(clip)));
                   }
                 }
                 return [found.snapshotLength, problems];",
                vec![serde_json::json!(xpath)],
            )
            .await
            .unwrap_or_else(|e| panic!("measuring {xpath}: {e}"));
        let problems: Vec<String> = serde_json::from_value(answer[1].clone()).unwrap_or_default();
        assert!(problems.is_empty(), "not reachable without scrolling: {problems:?}");
        answer[0].as_u64().unwrap_or_default() as usize
    }

    /// The size of the window's page, in CSS pixels.
    pub async fn viewport(&self) -> (u64, u64) {
        let size = self
            .client
            .execute("return [innerWidth, innerHeight];", vec![])
            .await
            .unwrap_or_else(|e| panic!("reading the viewport: {e}"));
        (size[0].as_u64().unwrap_or_default(), size[1].as_u64().unwrap_or_default())
    }

    pub async fn choose_radio(&self, label: &str) {
        self.find(&radio(label)).await.click().await.unwrap_or_else(|e| panic!("choose {label}: {e}"));
    }

    /// The theme the document applies: the explicit choice on <html>
    /// (`data-theme`, "system" when none) and the computed `color-scheme`.
    pub async fn applied_theme(&self) -> (String, String) {
        let value = self
            .client
            .execute(
                "const root = document.documentElement;
                 return [root.dataset.theme || 'system', getComputedStyle(root).colorScheme];",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("reading the theme: {e}"));
        let part = |i: usize| value[i].as_str().unwrap_or_default().to_owned();
        (part(0), part(1))
    }

    /// Waits until the document applies `theme` with the `scheme` it implies.
    pub async fn see_theme(&self, theme: &str, scheme: &str) {
        for _ in 0..200 {
            if self.applied_theme().await == (theme.to_owned(), scheme.to_owned()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("theme is {:?}, not ({theme}, {scheme}) after 20 s", self.applied_theme().await);
    }

    pub async fn tick(&self, label: &str) {
        self.find(&checkbox(label)).await.click().await.unwrap_or_else(|e| panic!("tick {label}: {e}"));
    }

    /// The message shown under a field (via its aria-describedby).
    pub async fn field_message(&self, label: &str, expected: &str) {
        let described_by = format!("{}/@aria-describedby", textbox(label));
        let xpath = format!(
            "//p[@id = substring-before(concat({described_by}, ' '), ' ') and normalize-space(.)={}]",
            lit(expected)
        );
        self.find(&xpath).await;
    }
}
