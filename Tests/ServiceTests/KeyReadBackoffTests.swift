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
    let harness = try Harness(configure: { $0.keyRetryAfterFailure = .seconds(600) })
    try await harness.test { client in
      harness.store.setDown(true)
      for _ in 0..<20 {
        let r = try await client.execute(uri: "/api/v1/models", method: .get)
        try RouteTests.expectProblem(r, .serviceUnavailable, kind: "database-unavailable")
      }
      #expect(harness.store.keyReadCount == 1)
    }
  }

  @Test("once the back-off has passed, the keys are read again and /api answers")
  func recovers() async throws {
    let harness = try Harness(configure: { $0.keyRetryAfterFailure = .milliseconds(200) })
    try await harness.test { client in
      harness.store.setDown(true)
      let down = try await client.execute(uri: "/api/v1/models", method: .get)
      try RouteTests.expectProblem(down, .serviceUnavailable, kind: "database-unavailable")
      harness.store.setDown(false)
      try await Task.sleep(for: .milliseconds(400))
      #expect(try await client.execute(uri: "/api/v1/models", method: .get).status == .ok)
      #expect(harness.store.keyReadCount == 2)
    }
  }
}
