import Foundation
import Hummingbird
import HummingbirdTesting
import Service
import Testing

/// A database that is down is not asked for the API keys on every request.
@Suite("Key reads while the database is down")
struct KeyReadBackoffTests {
  @Test("after a failed key read, requests answer 503 at once without reading again")
  func backoff() async throws {
    let harness = try Harness()
    try await harness.test { client in
      harness.store.setDown(true)
      for _ in 0..<20 {
        let r = try await client.execute(uri: "/api/v1/models", method: .get)
        try RouteTests.expectProblem(r, .serviceUnavailable, kind: "database-unavailable")
      }
      #expect(harness.store.keyReadCount == 1)
      harness.store.setDown(false)
      // After the back-off (2 s) the keys are read again and /api answers.
      try await Task.sleep(for: .milliseconds(2100))
      #expect(try await client.execute(uri: "/api/v1/models", method: .get).status == .ok)
      #expect(harness.store.keyReadCount == 2)
    }
  }
}
