//! Opening hours as editors write them ("ma-vr 09:00-17:00", "24/7"), and
//! whether a place is open at a given moment.

/// One line of a timetable: the days it covers and one time span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoursLine {
    /// Monday = 0 .. Sunday = 6.
    pub days: [bool; 7],
    /// Minutes after midnight; `close` is exclusive.
    pub open: u16,
    pub close: u16,
}

const DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];

fn day(s: &str) -> Result<usize, String> {
    DAYS.iter().position(|d| *d == s).ok_or_else(|| format!("unknown day `{s}`; use ma di wo do vr za zo"))
}

fn time(s: &str) -> Result<u16, String> {
    let (h, m) = s.split_once(':').ok_or_else(|| format!("time `{s}` must look like 09:00"))?;
    let h: u16 = h.parse().map_err(|_| format!("time `{s}` must look like 09:00"))?;
    let m: u16 = m.parse().map_err(|_| format!("time `{s}` must look like 09:00"))?;
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(format!("time `{s}` does not exist"));
    }
    Ok(h * 60 + m)
}

/// Parse one timetable line.
pub fn parse_line(line: &str) -> Result<HoursLine, String> {
    let t = line.trim().to_lowercase();
    if t == "24/7" {
        return Ok(HoursLine { days: [true; 7], open: 0, close: 24 * 60 });
    }
    let (days_part, span) = t.split_once(' ').ok_or("write days and times, like \"ma-vr 09:00-17:00\"")?;
    let mut days = [false; 7];
    for part in days_part.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                if a > b {
                    return Err(format!("day range `{part}` runs backwards"));
                }
                days[a..=b].iter_mut().for_each(|d| *d = true);
            }
            None => days[day(part)?] = true,
        }
    }
    let (o, c) = span.trim().split_once('-').ok_or("write a time span, like 09:00-17:00")?;
    let (open, close) = (time(o.trim())?, time(c.trim())?);
    if open >= close {
        return Err(format!("closes ({c}) before it opens ({o})"));
    }
    Ok(HoursLine { days, open, close })
}

/// Whether any line covers `weekday` (Monday = 0) at `minute` after midnight.
/// Lines that do not parse count as closed; `kb check` reports them.
pub fn is_open(lines: &[String], weekday: usize, minute: u16) -> bool {
    lines
        .iter()
        .filter_map(|l| parse_line(l).ok())
        .any(|h| h.days.get(weekday).copied().unwrap_or(false) && h.open <= minute && minute < h.close)
}

/// The local time in the Netherlands as (weekday with Monday = 0, minute of day).
pub fn now_in_netherlands() -> (usize, u16) {
    let now = jiff::Zoned::now().with_time_zone(amsterdam());
    let weekday = now.weekday().to_monday_zero_offset() as usize;
    (weekday, now.hour() as u16 * 60 + now.minute() as u16)
}

/// The Dutch calendar date (`YYYY-MM-DD`) of a Unix time.
pub fn date_in_netherlands(ts: i64) -> String {
    match jiff::Timestamp::from_second(ts) {
        Ok(t) => t.to_zoned(amsterdam()).date().to_string(),
        Err(_) => String::new(),
    }
}

fn amsterdam() -> jiff::tz::TimeZone {
    // The system database is the source of truth; without it, fall back to the
    // fixed CET offset rather than fail (an hour off in summer beats no answer).
    jiff::tz::TimeZone::get("Europe/Amsterdam")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(1)))
}
