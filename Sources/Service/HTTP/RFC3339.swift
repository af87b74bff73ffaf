/// RFC 3339 timestamps ⇄ microseconds since 1970-01-01T00:00:00Z (the unit storage uses).
public enum RFC3339 {
  static let microsPerSecond: Int64 = 1_000_000
  static let secondsPerDay: Int64 = 86_400

  /// `2026-11-27T08:30:00Z`, with `.ffffff` when there is a sub-second part; always UTC.
  public static func format(micros: Int64) -> String {
    let seconds = floorDiv(micros, microsPerSecond)
    // Not `micros - seconds * microsPerSecond`: that product overflows near Int64.min.
    let remainder = micros % microsPerSecond
    let fraction = remainder < 0 ? remainder + microsPerSecond : remainder
    let days = floorDiv(seconds, secondsPerDay)
    let secondOfDay = seconds - days * secondsPerDay
    let (year, month, day) = civil(fromDays: days)
    var text =
      "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
      + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
    if fraction != 0 { text += ".\(pad(fraction, 6))" }
    return text + "Z"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; digits past microseconds are dropped.
  /// Returns nil for anything else, including out-of-range fields and instants outside
  /// `formattableRange`.
  public static func parse(_ text: String) -> Int64? {
    let c = Array(text.utf8)
    var i = 0
    func number(_ digits: Int) -> Int64? {
      guard i + digits <= c.count else { return nil }
      var value: Int64 = 0
      for k in 0..<digits {
        let d = c[i + k]
        guard d >= 0x30, d <= 0x39 else { return nil }
        value = value * 10 + Int64(d - 0x30)
      }
      i += digits
      return value
    }
    func expect(_ options: String) -> Bool {
      guard i < c.count, options.utf8.contains(c[i]) else { return false }
      i += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"),
      let day = number(2), expect("Tt "), let hour = number(2), expect(":"),
      let minute = number(2), expect(":"), let second = number(2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
      hour < 24, minute < 60, second < 60
    else { return nil }
    var micros: Int64 = 0
    if i < c.count, c[i] == 0x2E {
      i += 1
      var digits = 0
      while i < c.count, c[i] >= 0x30, c[i] <= 0x39 {
        if digits < 6 { micros = micros * 10 + Int64(c[i] - 0x30) }
        digits += 1
        i += 1
      }
      guard digits > 0 else { return nil }
      for _ in digits..<max(digits, 6) { micros *= 10 }
    }
    var offsetSeconds: Int64 = 0
    if expect("Zz") {
    } else if i < c.count, c[i] == 0x2B || c[i] == 0x2D {
      let sign: Int64 = c[i] == 0x2D ? -1 : 1
      i += 1
      guard let oh = number(2), expect(":"), let om = number(2), oh < 24, om < 60 else {
        return nil
      }
      offsetSeconds = sign * (oh * 3600 + om * 60)
    } else {
      return nil
    }
    guard i == c.count else { return nil }
    let dayNumber = Self.days(fromCivil: year, month, day)
    let seconds = dayNumber * secondsPerDay + hour * 3600 + minute * 60 + second - offsetSeconds
    let instant = seconds * microsPerSecond + micros
    // An offset can move 0000-01-01 or 9999-12-31 out of the years four digits hold, where
    // `format` could not write the instant back.
    return formattableRange.contains(instant) ? instant : nil
  }

  /// 0000-01-01T00:00:00Z up to 10000-01-01T00:00:00Z in microseconds: the instants `parse` accepts
  /// and `format` writes as RFC 3339 (four-digit years).
  public static let formattableRange: Range<Int64> =
    -62_167_219_200_000_000..<253_402_300_800_000_000

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  static func pad(_ value: Int64, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }

  static func isLeap(_ year: Int64) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
  static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The proleptic Gregorian date `days` after 1970-01-01.
  static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
