import Foundation
import Hummingbird
import HummingbirdTesting
import Service
import Testing

/// A SQLite file deleted or replaced under a running server: no write goes to the lost file.
@Suite("SQLite file removed")
struct SQLiteFileRemovedTests {
  @Test("readyz is 503 and storing is refused once the database file is gone")
  func deleted() async throws {
    let harness = try Harness()
    try await harness.test { client in
      #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
      let path = harness.directory.url.appendingPathComponent("t.sqlite").path
      try FileManager.default.removeItem(atPath: path)
      let ready = try await client.execute(uri: "/readyz", method: .get)
      try RouteTests.expectProblem(ready, .serviceUnavailable, kind: "database-unavailable")
      #expect((ready.object["detail"] as? String)?.contains("deleted or replaced") == true)
      let stored = try await RouteTests.post(
        client, "/api/v1/analyze", bytes: RouteTests.jpeg, contentType: "image/jpeg")
      try RouteTests.expectProblem(stored, .serviceUnavailable, kind: "database-unavailable")
      // Nothing recreated the file behind the server's back.
      #expect(!FileManager.default.fileExists(atPath: path))
    }
  }
}
