//! Chart data exports on the test clock: the CSV equals the charts; In
//! Progress → Download → expired (file deleted); past the time limit → Timed
//! Out; a job cut short by quitting → Timed Out at the next start; the
//! expiry setting; the history's last 5, one's own only.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Duration;
use tenant_desk_core::analytics::{AnalyticsRange, ExportState, RangePreset};
use tenant_desk_core::authz::Role;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn exports_dir(h: &Harness) -> PathBuf {
    h.dir.path().join("exports")
}

fn files(h: &Harness) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(exports_dir(h))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// (chart, date, series, measure) → value, from a CSV export.
fn parse(text: &str) -> BTreeMap<(String, String, String, String), String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ["chart", "date", "series", "measure", "value"]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            ((r[0].into(), r[1].into(), r[2].into(), r[3].into()), r[4].into())
        })
        .collect()
}

#[test]
fn the_csv_holds_the_numbers_of_the_charts() {
    let h = Harness::new();
    h.set_up_with_demo_conversations();
    let admin = h.actor_of(ADMIN_EMAIL);
    let range = AnalyticsRange::preset(RangePreset::Last30Days);
    let export = h.desk.start_chart_export(&admin, &range).unwrap();
    assert_eq!(export.state, ExportState::InProgress);
    assert_eq!(h.desk.run_chart_export(export.id).unwrap(), ExportState::Download);
    let charts = h.desk.analytics(&admin, &range).unwrap();

    let file = h.desk.chart_export_file(&admin, export.id).unwrap();
    assert_eq!(file.file_name, format!("tenant-desk-chart-data-{}-to-{}.csv", charts.from, charts.to));
    let rows = parse(&file.contents);
    let get = |chart: &str, date: &str, series: &str, measure: &str| {
        rows.get(&(chart.into(), date.into(), series.into(), measure.into()))
            .unwrap_or_else(|| panic!("no row {chart} {date} {series} {measure}"))
            .clone()
    };
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut expected_rows = 0;
    for (i, day) in charts.days.iter().enumerate() {
        for series in &charts.conversations_by_channel {
            assert_eq!(get("conversations", day, &series.channel, "count"), series.counts[i].to_string());
        }
        assert_eq!(get("billable_sessions", day, "", "count"), charts.billable_sessions[i].to_string());
        for (chart, d) in [("first_response", &charts.first_response[i]), ("resolution", &charts.resolution[i])] {
            assert_eq!(get(chart, day, "", "count"), d.count.to_string());
            assert_eq!(get(chart, day, "", "median_seconds"), opt(d.median_seconds));
            assert_eq!(get(chart, day, "", "p90_seconds"), opt(d.p90_seconds));
        }
        assert_eq!(get("status", day, "open", "count"), charts.open[i].to_string());
        assert_eq!(get("status", day, "resolved", "count"), charts.resolved[i].to_string());
        expected_rows += charts.conversations_by_channel.len() + 1 + 3 + 3 + 2;
    }
    for load in charts.operator_load.as_ref().unwrap() {
        assert_eq!(get("operator_load", "", &load.name, "conversations"), load.conversations.to_string());
        assert_eq!(get("operator_load", "", &load.name, "resolved"), load.resolved.to_string());
        expected_rows += 3;
    }
    assert_eq!(rows.len(), expected_rows, "nothing else in the file");
    assert!(charts.totals.conversations > 100, "the demo data is in the range");

    // An operator's export holds their own work only, like their charts.
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let own = h.desk.start_chart_export(&operator, &range).unwrap();
    h.desk.run_chart_export(own.id).unwrap();
    let rows = parse(&h.desk.chart_export_file(&operator, own.id).unwrap().contents);
    let own_charts = h.desk.analytics(&operator, &range).unwrap();
    let total: i64 = rows.iter().filter(|(k, _)| k.0 == "status").map(|(_, v)| v.parse::<i64>().unwrap()).sum();
    assert_eq!(total, own_charts.totals.conversations);
    assert!(total < charts.totals.conversations);
    assert!(!rows.keys().any(|k| k.0 == "operator_load"));
    // Nobody downloads another person's export.
    assert_eq!(h.desk.chart_export_file(&admin, own.id).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn an_export_goes_in_progress_then_download_then_expires() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let export = h.desk.start_chart_export(&admin, &AnalyticsRange::preset(RangePreset::Last7Days)).unwrap();
    let history = h.desk.chart_exports(&admin).unwrap();
    assert_eq!(history.exports[0].state, ExportState::InProgress);
    assert_eq!(history.exports[0].message, "The export job is still running.");
    assert_eq!(history.expiry_hours, 24);
    assert!(history.can_set_expiry);

    h.clock.advance(Duration::seconds(3));
    assert_eq!(h.desk.run_chart_export(export.id).unwrap(), ExportState::Download);
    let done = h.desk.chart_exports(&admin).unwrap().exports[0].clone();
    assert_eq!(done.state, ExportState::Download);
    assert_eq!(done.started_at, "2026-03-01T09:00:00.000Z");
    assert_eq!(done.expires_at.as_deref(), Some("2026-03-02T09:00:03.000Z"));
    assert_eq!(done.file_name, "tenant-desk-chart-data-2026-02-23-to-2026-03-01.csv");
    assert_eq!(files(&h), [format!("chart-data-{}.csv", export.id)]);
    // Running it again changes nothing.
    assert_eq!(h.desk.run_chart_export(export.id).unwrap(), ExportState::Download);

    h.clock.advance(Duration::hours(23));
    assert_eq!(h.desk.chart_exports(&admin).unwrap().exports[0].state, ExportState::Download);
    h.clock.advance(Duration::hours(1));
    let expired = h.desk.chart_exports(&admin).unwrap().exports[0].clone();
    assert_eq!(expired.state, ExportState::Expired);
    assert_eq!(expired.message, "This export expired and its file was deleted.");
    assert!(files(&h).is_empty(), "the file is deleted");
    let refused = h.desk.chart_export_file(&admin, export.id).unwrap_err();
    assert_eq!(refused.message, "This export expired and its file was deleted.");
}

#[test]
fn the_sweep_deletes_expired_files_without_anyone_looking() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let export = h.desk.start_chart_export(&admin, &AnalyticsRange::preset(RangePreset::Last7Days)).unwrap();
    h.desk.run_chart_export(export.id).unwrap();
    h.clock.advance(Duration::hours(25));
    assert_eq!(h.desk.sweep_chart_exports().unwrap(), 1);
    assert!(files(&h).is_empty());
    assert_eq!(h.desk.sweep_chart_exports().unwrap(), 0);
}

#[test]
fn a_job_past_its_time_limit_is_timed_out() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let range = AnalyticsRange::preset(RangePreset::Last30Days);

    // The worker only got to it after the limit.
    let late = h.desk.start_chart_export(&admin, &range).unwrap();
    h.clock.advance(Duration::minutes(10));
    assert_eq!(h.desk.run_chart_export(late.id).unwrap(), ExportState::TimedOut);
    let row = h.desk.chart_exports(&admin).unwrap().exports[0].clone();
    assert_eq!(row.state, ExportState::TimedOut);
    assert_eq!(
        row.message,
        "The export did not complete within the allowed time; try again with a smaller date range."
    );

    // A job that never finishes: the history times it out once the limit passed.
    let stuck = h.desk.start_chart_export(&admin, &range).unwrap();
    h.clock.advance(Duration::minutes(9));
    assert_eq!(h.desk.chart_exports(&admin).unwrap().exports[0].state, ExportState::InProgress);
    h.clock.advance(Duration::minutes(1));
    assert_eq!(h.desk.chart_exports(&admin).unwrap().exports[0].state, ExportState::TimedOut);
    // Its worker, arriving later, writes nothing.
    assert_eq!(h.desk.run_chart_export(stuck.id).unwrap(), ExportState::TimedOut);
    assert!(files(&h).is_empty());
    assert_eq!(h.desk.chart_export_file(&admin, stuck.id).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn a_job_cut_short_by_quitting_is_timed_out_at_the_next_start() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let export = h.desk.start_chart_export(&admin, &AnalyticsRange::preset(RangePreset::Last7Days)).unwrap();
    // The app quit while the file was being written.
    std::fs::create_dir_all(exports_dir(&h)).unwrap();
    std::fs::write(exports_dir(&h).join(format!("chart-data-{}.csv.part", export.id)), "chart,date").unwrap();

    let desk = h.reopen();
    assert_eq!(desk.recover_chart_exports().unwrap(), 1);
    let admin = {
        let (token, _) = sign_in(&desk, ADMIN_EMAIL, PASSWORD).unwrap();
        desk.actor(&token).unwrap()
    };
    assert_eq!(desk.chart_exports(&admin).unwrap().exports[0].state, ExportState::TimedOut);
    assert!(files(&h).is_empty(), "the partial file is gone");
    assert_eq!(desk.recover_chart_exports().unwrap(), 0);
}

#[test]
fn the_expiry_is_a_tenant_setting_of_administrators() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let refused = h.desk.set_chart_export_expiry(&admin, 0).unwrap_err();
    assert_eq!(refused.fields["expiry_hours"], "Enter a number of hours from 1 to 720.");
    assert_eq!(h.desk.set_chart_export_expiry(&admin, 721).unwrap_err().code, ErrorCode::Validation);
    h.desk.set_chart_export_expiry(&admin, 2).unwrap();
    assert_eq!(h.audit("analytics.export_expiry_change").len(), 1);

    let export = h.desk.start_chart_export(&admin, &AnalyticsRange::preset(RangePreset::Last7Days)).unwrap();
    h.desk.run_chart_export(export.id).unwrap();
    let history = h.desk.chart_exports(&admin).unwrap();
    assert_eq!(history.expiry_hours, 2);
    assert_eq!(history.exports[0].expires_at.as_deref(), Some("2026-03-01T11:00:00.000Z"));
    h.clock.advance(Duration::hours(2));
    assert_eq!(h.desk.chart_exports(&admin).unwrap().exports[0].state, ExportState::Expired);

    let operator = h.actor_of(member_email(Role::TenantOperator));
    assert!(!h.desk.chart_exports(&operator).unwrap().can_set_expiry);
    assert_eq!(h.desk.set_chart_export_expiry(&operator, 5).unwrap_err().code, ErrorCode::NotAllowed);
}

#[test]
fn the_history_shows_ones_own_last_five() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(h.desk.start_chart_export(&admin, &AnalyticsRange::preset(RangePreset::Last7Days)).unwrap().id);
        h.clock.advance(Duration::seconds(1));
    }
    let shown: Vec<i64> = h.desk.chart_exports(&admin).unwrap().exports.iter().map(|e| e.id).collect();
    ids.reverse();
    assert_eq!(shown, ids[..5]);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    assert!(h.desk.chart_exports(&operator).unwrap().exports.is_empty());
}
