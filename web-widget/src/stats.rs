//! Figures for the organisation at `/console/stats`: anonymous counters from
//! the store as SVG bar charts (each with its numbers as a table) and as CSV.
//! Counters hold ids and numbers only, but every value is escaped anyway.
//! Labels are in the supporter's language; the CSV keeps stable English
//! column and metric names for spreadsheets and scripts.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};

use crate::console::{outcome_label, reason_label, refuse, Ui};
use crate::html::esc;
use crate::{blocking, ApiError, Shared};

/// All counters the figures use, grouped.
struct Figures {
    /// week -> topic -> count
    topics: BTreeMap<String, BTreeMap<String, u64>>,
    bot: u64,
    escalated: u64,
    escalations: BTreeMap<String, u64>,
    /// service -> (yes, no)
    feedback: BTreeMap<String, (u64, u64)>,
    outcomes: BTreeMap<String, u64>,
    not_understood: u64,
    actions: BTreeMap<String, u64>,
    /// Questions the bot did not understand, anonymised by a supporter, with how often kept.
    kept: Vec<(String, u64)>,
}

async fn figures(ctx: &Shared) -> Result<Figures, ApiError> {
    let c = ctx.clone();
    blocking(move || -> Result<Figures, ApiError> {
        let store = c.engine.store();
        let get = |p: &str| store.counters(p).map_err(|e| ApiError::from(engine::Error::from(e)));
        let mut f = Figures {
            topics: BTreeMap::new(),
            bot: 0,
            escalated: 0,
            escalations: BTreeMap::new(),
            feedback: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            not_understood: 0,
            actions: BTreeMap::new(),
            kept: Vec::new(),
        };
        for (k, n) in get("topic/")? {
            if let Some((week, topic)) = k.trim_start_matches("topic/").split_once('/') {
                *f.topics
                    .entry(week.to_string())
                    .or_default()
                    .entry(topic.to_string())
                    .or_default() += n;
            }
        }
        for (k, n) in get("escalation/")? {
            f.escalated += n;
            if let Some((_, reason)) = k.trim_start_matches("escalation/").split_once('/') {
                *f.escalations.entry(reason.to_string()).or_default() += n;
            }
        }
        for (k, n) in get("action/")? {
            let a = k.trim_start_matches("action/").to_string();
            if a == "answer" || a == "clarify" {
                f.bot += n;
            }
            if a == "out_of_scope" {
                f.not_understood += n;
            }
            f.actions.insert(a, n);
        }
        for (k, n) in get("feedback/")? {
            if let Some((service, yn)) = k.trim_start_matches("feedback/").rsplit_once('/') {
                let e = f.feedback.entry(service.to_string()).or_default();
                if yn == "yes" {
                    e.0 += n;
                } else {
                    e.1 += n;
                }
            }
        }
        for (k, n) in get("outcome/")? {
            f.outcomes.insert(k.trim_start_matches("outcome/").to_string(), n);
        }
        f.kept = get(KEPT)?.into_iter().map(|(k, n)| (k[KEPT.len()..].to_string(), n)).collect();
        f.kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(f)
    })
    .await?
}

/// A horizontal bar chart with a title, and the same numbers as a table.
fn chart(ui: &Ui, id: &str, title: &str, rows: &[(String, u64)], colour: &str) -> String {
    if rows.is_empty() {
        return format!(
            "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{}</h2><p>{}</p></section>",
            esc(title),
            ui.t("console-stats-no-data")
        );
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (220.0, 320.0, 28.0);
    let height = rows.len() as f64 * row_h + 8.0;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}\" viewBox=\"0 0 {} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">",
        label_w + bar_w + 70.0
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let w = (*n as f64 / max as f64 * bar_w).max(1.0);
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"></rect>\
             <text x=\"{:.1}\" y=\"{}\" class=\"value\">{n}</text>",
            label_w - 8.0,
            y + 18.0,
            esc(label),
            row_h - 8.0,
            label_w + w + 6.0,
            y + 18.0,
        ));
    }
    svg.push_str("</svg>");
    let table: String = rows
        .iter()
        .map(|(l, n)| format!("<tr><th scope=\"row\">{}</th><td>{n}</td></tr>", esc(l)))
        .collect();
    format!(
        "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{}</h2>{svg}\
         <details><summary>{}<span class=\"sr\">: {}</span></summary><table><tbody>{table}</tbody></table></details></section>",
        esc(title),
        ui.t("console-stats-as-table"),
        esc(title)
    )
}

/// `GET /console/stats`: the figures as charts, and questions to review.
pub async fn page(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let s = match crate::console::stats_session(&ctx, &headers) {
        Ok(s) => s,
        Err(d) => return Ok(d.respond(&ctx, &headers)),
    };
    let ui = Ui::new(&ctx, &headers);
    let f = figures(&ctx).await?;
    let mut body = format!(
        "{}<main id=\"main\"><h1>{}</h1>",
        crate::console::header_bar(&ui, &s, "/console/stats"),
        ui.t("console-nav-stats")
    );
    body.push_str(&format!(
        "<p>{} <a href=\"/console/stats.csv\" download>{}</a></p>",
        ui.t("console-stats-intro"),
        ui.t("console-stats-download")
    ));
    let total = f.bot + f.escalated;
    let pct = |n: u64| (n * 100 + total / 2).checked_div(total).unwrap_or(0).to_string();
    body.push_str(&chart(
        &ui,
        "share",
        &ui.raw_with("console-stats-share", &[("bot", &pct(f.bot)), ("human", &pct(f.escalated))]),
        &[(ui.raw("console-stats-bot"), f.bot), (ui.raw("console-stats-human"), f.escalated)],
        "#1f5f8b",
    ));
    for (i, (week, topics)) in f.topics.iter().rev().take(6).enumerate() {
        let mut rows: Vec<(String, u64)> = topics.iter().map(|(k, v)| (k.clone(), *v)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        body.push_str(&chart(
            &ui,
            &format!("topics-{i}"),
            &ui.raw_with("console-stats-topics-week", &[("week", week)]),
            &rows,
            "#2e6b30",
        ));
    }
    if f.topics.is_empty() {
        body.push_str(&chart(&ui, "topics", &ui.raw("console-stats-topics"), &[], ""));
    }
    let fb: Vec<(String, u64)> = f
        .feedback
        .iter()
        .flat_map(|(s, (y, n))| {
            [
                (ui.raw_with("console-stats-feedback-yes", &[("service", s)]), *y),
                (ui.raw_with("console-stats-feedback-no", &[("service", s)]), *n),
            ]
        })
        .collect();
    body.push_str(&chart(&ui, "feedback", &ui.raw("console-stats-feedback"), &fb, "#6a3d8f"));
    let esc_rows: Vec<(String, u64)> =
        f.escalations.iter().map(|(k, v)| (reason_label(&ui, k), *v)).collect();
    body.push_str(&chart(
        &ui,
        "escalations",
        &ui.raw("console-stats-escalations"),
        &esc_rows,
        "#8b4a1f",
    ));
    let outcomes: Vec<(String, u64)> =
        f.outcomes.iter().map(|(k, v)| (outcome_label(&ui, k), *v)).collect();
    body.push_str(&chart(&ui, "outcomes", &ui.raw("console-stats-outcomes"), &outcomes, "#1f5f8b"));
    body.push_str(&format!(
        "<section aria-labelledby=\"nu\"><h2 id=\"nu\">{}</h2><p>{}</p>",
        ui.t("console-stats-not-understood"),
        ui.t_with("console-stats-times", &[("count", &f.not_understood.to_string())])
    ));
    body.push_str(&chart(&ui, "kept", &ui.raw("console-stats-kept"), &f.kept, "#5c3d00"));
    let c = ctx.clone();
    let pending = blocking(move || unreviewed(&c, 20)).await??;
    body.push_str(&format!("<h3>{}</h3>", ui.t("console-stats-to-review")));
    if pending.is_empty() {
        body.push_str(&format!("<p>{}</p>", ui.t("console-stats-nothing-to-review")));
    } else {
        body.push_str(&format!(
            "<p>{}</p><ol class=\"review\">",
            ui.t("console-stats-review-intro")
        ));
        for (i, q) in pending.iter().enumerate() {
            let csrf = esc(&s.csrf);
            body.push_str(&format!(
                "<li><form method=\"post\" action=\"/console/stats/review\">\
                 <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                 <input type=\"hidden\" name=\"conversation\" value=\"{}\"><input type=\"hidden\" name=\"seq\" value=\"{}\">\
                 <p><label for=\"q-{i}\">{}</label>\
                 <textarea id=\"q-{i}\" name=\"text\" rows=\"2\" maxlength=\"300\">{}</textarea></p>\
                 <p><input type=\"checkbox\" id=\"anon-{i}\" name=\"anonymised\" value=\"yes\">\
                 <label for=\"anon-{i}\" class=\"inline\">{}</label></p>\
                 <p class=\"row\"><button type=\"submit\" name=\"action\" value=\"keep\" class=\"primary\">{}</button>\
                 <button type=\"submit\" name=\"action\" value=\"drop\">{}</button></p></form></li>",
                esc(&q.conversation),
                q.seq,
                ui.t("console-stats-question"),
                esc(&q.text),
                ui.t("console-stats-anonymised"),
                ui.t("console-stats-keep"),
                ui.t("console-stats-drop"),
            ));
        }
        body.push_str("</ol>");
    }
    body.push_str("</section></main>");
    Ok(Html(crate::html::page(&ui, &ui.raw("console-nav-stats"), &body, Some(&s.csrf)))
        .into_response())
}

/// Counter prefix of anonymised questions the bot did not understand.
const KEPT: &str = "unknown-question/";
/// Counter prefix marking a question as reviewed (kept or not), so it is not offered again.
const REVIEWED: &str = "unknown-reviewed/";
/// Message keys of the bot's "I did not understand".
const NOT_UNDERSTOOD: &[&str] =
    &[engine::msg::NOT_UNDERSTOOD, engine::msg::NOT_UNDERSTOOD_AGAIN, engine::msg::OUT_OF_SCOPE];

pub struct Unreviewed {
    conversation: String,
    seq: u64,
    text: String,
}

/// Resident questions the bot answered with "I do not understand", not yet
/// reviewed. They come from the transcripts, so they vanish with retention
/// unless a supporter keeps an anonymised copy.
fn unreviewed(ctx: &Shared, max: usize) -> Result<Vec<Unreviewed>, ApiError> {
    let store = ctx.engine.store();
    let reviewed: std::collections::HashSet<String> = store
        .counters(REVIEWED)
        .map_err(engine::Error::from)?
        .into_iter()
        .map(|(k, _)| k[REVIEWED.len()..].to_string())
        .collect();
    let mut out = Vec::new();
    for id in store.conversation_ids().map_err(engine::Error::from)? {
        let messages = store.messages(&id).map_err(engine::Error::from)?;
        for pair in messages.windows(2) {
            let (q, a) = (&pair[0], &pair[1]);
            let Some(text) = q.text.as_deref().filter(|_| q.from == engine::Sender::Resident)
            else {
                continue;
            };
            if !a.replies.iter().any(|r| NOT_UNDERSTOOD.contains(&r.key.as_str()))
                || reviewed.contains(&format!("{id}/{}", q.seq))
            {
                continue;
            }
            out.push(Unreviewed {
                conversation: id.clone(),
                seq: q.seq,
                text: text.chars().take(300).collect(),
            });
            if out.len() >= max {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// `POST /console/stats/review`: keep an anonymised question, or let it go.
pub async fn review(
    State(ctx): State<Shared>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    if let Err(d) = crate::console::stats_post(&ctx, &headers, &form) {
        return Ok(d.respond(&ctx, &headers));
    }
    let ui = Ui::new(&ctx, &headers);
    let invalid = |id: &str| {
        let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        Ok(refuse(&ui, &headers, status, "invalid_request", ui.raw(id), "/console/stats#nu"))
    };
    let conversation = form.get("conversation").cloned().unwrap_or_default();
    let Some(seq) = form.get("seq").and_then(|s| s.parse::<u64>().ok()) else {
        return invalid("console-error-invalid");
    };
    let keep = form.get("action").map(String::as_str) == Some("keep");
    // One line, trimmed: a counter key, shown in charts and CSV (escaped there).
    let text: String = form
        .get("text")
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    if keep && form.get("anonymised").map(String::as_str) != Some("yes") {
        return invalid("console-error-not-anonymised");
    }
    if keep && text.is_empty() {
        return invalid("console-error-question-empty");
    }
    let c = ctx.clone();
    blocking(move || -> Result<(), ApiError> {
        let store = c.engine.store();
        if keep {
            store.count(&format!("{KEPT}{text}"), 1).map_err(engine::Error::from)?;
        }
        store.count(&format!("{REVIEWED}{conversation}/{seq}"), 1).map_err(engine::Error::from)?;
        Ok(())
    })
    .await??;
    Ok(axum::response::Redirect::to("/console/stats#nu").into_response())
}

/// One CSV field: quoted when needed, and never read as a formula by a
/// spreadsheet (a leading `=`, `+`, `-` or `@` gets a quote mark first).
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `GET /console/stats.csv`: the same figures, one row per number.
pub async fn csv(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Err(d) = crate::console::stats_session(&ctx, &headers) {
        return Ok(d.respond(&ctx, &headers));
    }
    let f = figures(&ctx).await?;
    let mut out = String::from("metric,week,key,value\n");
    let mut row = |metric: &str, week: &str, key: &str, n: u64| {
        out.push_str(&format!(
            "{},{},{},{n}\n",
            csv_field(metric),
            csv_field(week),
            csv_field(key)
        ));
    };
    for (week, topics) in &f.topics {
        for (t, n) in topics {
            row("questions_per_topic", week, t, *n);
        }
    }
    row("answered_by_bot", "", "", f.bot);
    row("escalated", "", "", f.escalated);
    for (k, n) in &f.escalations {
        row("escalation_reason", "", k, *n);
    }
    for (s, (y, n)) in &f.feedback {
        row("feedback_yes", "", s, *y);
        row("feedback_no", "", s, *n);
    }
    for (k, n) in &f.outcomes {
        row("outcome", "", k, *n);
    }
    for (k, n) in &f.actions {
        row("triage_action", "", k, *n);
    }
    row("not_understood", "", "", f.not_understood);
    for (q, n) in &f.kept {
        row("not_understood_question", "", q, *n);
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"wegwijs-cijfers.csv\""),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
