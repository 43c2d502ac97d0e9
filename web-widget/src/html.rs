//! HTML for the console: one escaping function that every piece of data goes
//! through, and the page frame. No templates, no inline script or style.

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole console page in the supporter's language. `body` must already be
/// escaped markup.
pub fn page(ui: &crate::console::Ui, title: &str, body: &str, csrf: Option<&str>) -> String {
    let csrf_meta = csrf
        .map(|t| format!("<meta name=\"csrf-token\" content=\"{}\">", esc(t)))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · {}</title>\n{csrf_meta}\n\
         <link rel=\"stylesheet\" href=\"/console.css\">\n<script src=\"/console.js\" defer></script>\n</head>\n\
         <body>\n<a class=\"skip\" href=\"#main\">{}</a>\n{body}\n</body>\n</html>\n",
        esc(ui.lang),
        esc(title),
        ui.t("console-brand"),
        ui.t("console-skip"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
