import Foundation
import Hummingbird
import HummingbirdTesting
import Service
import Testing

/// CSV exports cannot carry spreadsheet formulas (OWASP's CSV injection rule).
@Suite("CSV export")
struct CSVExportTests {
  @Test(
    "a tag a spreadsheet would run as a formula is exported with a leading quote",
    arguments: [
      ("=1+1", "'=1+1"), ("+SUM(A1:A2)", "'+SUM(A1:A2)"), ("-2+3", "'-2+3"),
      ("@cmd", "'@cmd"), ("\tx", "'\tx"),
      ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
      ("a,b", "\"a,b\""), ("plain", "plain"), ("1-2", "1-2"),
    ])
  func formulaTags(tag: String, cell: String) async throws {
    let harness = try Harness()
    try await harness.test { client in
      let encoded = try #require(
        tag.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
      let stored = try await RouteTests.post(
        client, "/api/v1/analyze?tag=\(encoded)", bytes: RouteTests.jpeg,
        contentType: "image/jpeg")
      #expect(stored.status == .ok, "\(stored.text)")
      let csv = try await client.execute(uri: "/api/v1/analyses?format=csv", method: .get)
      let rows = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
      #expect(rows.count >= 2)
      // id, created_at, then the tag cell.
      for row in rows.dropFirst() {
        let afterTime = row.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        #expect(afterTime.count == 3)
        #expect(afterTime[2].hasPrefix(cell + ","), "row: \(row)")
      }
    }
  }
}
