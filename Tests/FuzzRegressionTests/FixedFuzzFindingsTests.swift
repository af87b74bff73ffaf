import Service
import Testing

/// The bugs fuzzing found, pinned at the API they were fixed in (their inputs are also replayed
/// from `Tests/FuzzCorpus/*/regression-*` by `FuzzCorpusTests`).
@Suite struct FixedFuzzFindingsTests {
  /// `format` computed `micros - seconds * 1_000_000`, which overflowed (a trap) near Int64.min.
  @Test func formatTakesEveryInt64() {
    #expect(RFC3339.format(micros: .min).hasSuffix("Z"))
    #expect(RFC3339.format(micros: .max).hasSuffix("Z"))
    #expect(RFC3339.format(micros: -1) == "1969-12-31T23:59:59.999999Z")
  }

  /// An offset moved 0000-01-01 / 9999-12-31 outside four-digit years: `parse` accepted an
  /// instant that `format` writes as `00-1-12-31T23:59:00Z`, which parses to nothing.
  @Test(arguments: ["0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
  func parseRefusesInstantsFormatCannotWrite(_ text: String) {
    #expect(RFC3339.parse(text) == nil)
  }

  @Test func parseKeepsTheEdgesOfTheRange() {
    #expect(RFC3339.parse("0000-01-01T00:00:00Z") == RFC3339.formattableRange.lowerBound)
    #expect(RFC3339.parse("9999-12-31T23:59:59.999999Z") == RFC3339.formattableRange.upperBound - 1)
  }

  /// Ports 0 and above 65535 were accepted and only failed when connecting.
  @Test(arguments: ["postgres://u:pw@host:0/db", "postgres://u:pw@host:99999/db"])
  func databaseURLRefusesPortsOutOfRange(_ text: String) {
    #expect(throws: ConfigurationError.self) { try DatabaseURL.parse(text) }
  }

  @Test func databaseURLKeepsValidPorts() throws {
    #expect(
      try DatabaseURL.parse("postgres://u@h:65535/db").description == "postgres://u@h:65535/db")
    #expect(try DatabaseURL.parse("postgres://u@h/db").description == "postgres://u@h:5432/db")
  }
}
