/// `year()`, `month()`, `day_of_week()`, …: calendar fields of a Unix time in UTC.
enum DateFunctions {
    static func apply(_ name: String, _ seconds: Double) -> Double {
        guard seconds.isFinite, seconds.magnitude < 1e15 else { return .nan }
        let whole = Int64(seconds.rounded(.towardZero))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        switch name {
        case "year": return Double(year)
        case "month": return Double(month)
        case "day_of_month": return Double(day)
        case "day_of_week": return Double(((days + 4) % 7 + 7) % 7)
        case "day_of_year": return Double(days - daysFromCivil(year, 1, 1) + 1)
        case "days_in_month": return Double(daysIn(month: month, year: year))
        case "hour": return Double(secondOfDay / 3600)
        case "minute": return Double(secondOfDay % 3600 / 60)
        default: return .nan
        }
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`.
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
