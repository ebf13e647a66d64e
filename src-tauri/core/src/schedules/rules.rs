use super::Schedule;
use crate::error::FieldErrors;
use crate::timezones;

/// Field errors go under `schedule_zone` and `schedule.<index>` (the range's
/// position in `ranges`), so the editor shows each message beside its range.
pub fn check(schedule: &Schedule, errors: &mut FieldErrors) {
    errors.check("schedule_zone", timezones::check(&schedule.zone));
    for (i, r) in schedule.ranges.iter().enumerate() {
        let field = format!("schedule.{i}");
        if r.weekday > 6 {
            errors.add(&field, "Pick a day of the week.");
        } else if r.start_hour > 23 {
            errors.add(&field, "Start must be an hour from 0 to 23.");
        } else if r.end_hour > 24 {
            errors.add(&field, "End must be an hour from 1 to 24.");
        } else if r.end_hour <= r.start_hour {
            errors.add(&field, "End must be after start.");
        }
    }
    for (i, a) in schedule.ranges.iter().enumerate() {
        let overlapping = schedule.ranges.iter().enumerate().any(|(j, b)| {
            j < i && a.weekday == b.weekday && a.start_hour < b.end_hour && b.start_hour < a.end_hour
        });
        if overlapping {
            errors.add(&format!("schedule.{i}"), "This range overlaps another range of the same day.");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedules::HourRange;

    fn errors_of(ranges: Vec<(u8, u8, u8)>) -> std::collections::BTreeMap<String, String> {
        let schedule = Schedule {
            zone: "Europe/Berlin".into(),
            ranges: ranges.into_iter().map(|(weekday, start_hour, end_hour)| HourRange { weekday, start_hour, end_hour }).collect(),
        };
        let mut errors = FieldErrors::new();
        check(&schedule, &mut errors);
        errors.into_result().err().map(|e| e.fields).unwrap_or_default()
    }

    #[test]
    fn valid_ranges_pass_and_touching_ranges_do_not_overlap() {
        assert!(errors_of(vec![(0, 0, 24), (1, 8, 12), (1, 12, 16)]).is_empty());
    }

    #[test]
    fn each_broken_range_gets_its_own_message() {
        let e = errors_of(vec![(0, 9, 9), (0, 10, 25), (1, 8, 12), (1, 11, 14), (7, 1, 2), (2, 24, 24)]);
        assert_eq!(e["schedule.0"], "End must be after start.");
        assert_eq!(e["schedule.1"], "End must be an hour from 1 to 24.");
        assert!(!e.contains_key("schedule.2"));
        assert_eq!(e["schedule.3"], "This range overlaps another range of the same day.");
        assert_eq!(e["schedule.4"], "Pick a day of the week.");
        assert_eq!(e["schedule.5"], "Start must be an hour from 0 to 23.");
    }

    #[test]
    fn unknown_zone_is_refused() {
        let mut errors = FieldErrors::new();
        check(&Schedule { zone: "Mars/Olympus".into(), ranges: vec![] }, &mut errors);
        assert!(errors.into_result().is_err());
    }
}
