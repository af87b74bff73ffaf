import Foundation
import Hummingbird
import HummingbirdTesting
import Service
import Testing

/// Audience sessions: frames recorded with their offset, and the reaction curve over the
/// sessions of one stimulus (mean over viewers, 95% interval, viewer count).
@Suite("Audience sessions")
struct AudienceSessionTests {
  @Test("the curve: each viewer counts once per second; Student's t interval; one viewer has none")
  func curveMath() {
    // Second 0: viewers with means 0.2, 0.4, 0.6 for angry (viewer 1 has two faces, 0.1 and 0.3).
    func sums(_ session: Int64, _ second: Int, _ angry: [Double]) -> SessionSecondSums {
      let faces = angry.count
      let angrySum = angry.reduce(0, +)
      return SessionSecondSums(
        sessionID: session, second: second, faces: faces,
        sums: [angrySum] + [Double](repeating: (Double(faces) - angrySum) / 6, count: 6))
    }
    let curve = ReactionCurve.compute([
      sums(1, 0, [0.1, 0.3]), sums(2, 0, [0.4]), sums(3, 0, [0.6]), sums(2, 4, [0.9]),
    ])
    #expect(curve.map(\.second) == [0, 4] && curve.map(\.viewers) == [3, 1])
    #expect(abs(curve[0].mean[0] - 0.4) < 1e-12)
    // sd 0.2, se 0.2/√3, t(2) = 4.303: half-width 0.49688; the low end clamps at 0.
    let half = 4.303 * 0.2 / 3.0.squareRoot()
    #expect(curve[0].low?[0] == 0)
    #expect(abs((curve[0].high?[0] ?? 0) - (0.4 + half)) < 1e-9)
    #expect(curve[1].low == nil && curve[1].high == nil && abs(curve[1].mean[0] - 0.9) < 1e-12)
  }

  @Test("t quantiles: the table, and the expansion beyond it within 1e-3 of published values")
  func quantiles() {
    #expect(ReactionCurve.tQuantile975(degreesOfFreedom: 1) == 12.706)
    #expect(ReactionCurve.tQuantile975(degreesOfFreedom: 30) == 2.042)
    // Published: t(0.975; 40) = 2.021, 60: 2.000, 120: 1.980.
    for (df, value) in [(40, 2.021), (60, 2.000), (120, 1.980)] {
      #expect(abs(ReactionCurve.tQuantile975(degreesOfFreedom: df) - value) < 1e-3)
    }
  }

  @Test("sessions through the API: frames with offsets, reaction per second, CSV, bad input")
  func throughTheAPI() async throws {
    let setup = try VideoRouteTests.Setup()
    try await setup.test { client in
      var ids: [Int] = []
      for stimulus in ["ad-a", "ad-a", "ad-b"] {
        let created = try await client.execute(
          uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
          body: ByteBuffer(string: "{\"stimulus\": \"\(stimulus)\"}"))
        #expect(created.status == .created, "\(created.text)")
        ids.append(try #require(created.object["id"] as? Int))
      }
      // Viewer 1: frames at 0.2 s and 1.5 s; viewer 2: at 0.7 s; viewer 3 (ad-b): at 0.1 s.
      var stored: [(session: Int, second: Int, p: [Double])] = []
      for (session, offset, seed) in [
        (ids[0], 200, 1), (ids[0], 1500, 2), (ids[1], 700, 3),
        (ids[2], 100, 4),
      ] {
        let image = TestImages.jpeg(width: 64, height: 64, seed: UInt8(seed))
        let response = try await RouteTests.post(
          client, "/api/v1/analyze?detect=false&session=\(session)&offset_ms=\(offset)",
          bytes: image, contentType: "image/jpeg")
        #expect(response.status == .ok, "\(response.text)")
        let face = try #require((response.object["faces"] as? [[String: Any]])?.first)
        let emotions = try #require(face["emotions"] as? [String: Double])
        let p = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"].map {
          emotions[$0]!
        }
        stored.append((session, offset / 1000, p))
      }
      let reaction = try await client.execute(
        uri: "/api/v1/reactions?stimulus=ad-a", method: .get)
      #expect(reaction.status == .ok, "\(reaction.text)")
      #expect(reaction.object["sessions"] as? Int == 2)
      let seconds = try #require(reaction.object["seconds"] as? [[String: Any]])
      #expect(seconds.map { $0["second"] as? Int } == [0, 1])
      #expect(seconds.map { $0["viewers"] as? Int } == [2, 1])
      let mean0 = try #require(seconds[0]["mean"] as? [String: Double])
      let expectedHappy = (stored[0].p[3] + stored[2].p[3]) / 2
      #expect(abs(mean0["happy"]! - expectedHappy) < 2e-6)
      // To the millionth, as stored: no float noise in the digits.
      #expect(mean0.values.allSatisfy { ($0 * 1e6).rounded() / 1e6 == $0 })
      #expect(!reaction.text.contains("9999999") && !reaction.text.contains("0000001"))
      #expect(seconds[1]["low"] is NSNull)

      let csv = try await client.execute(
        uri: "/api/v1/reactions?stimulus=ad-a&format=csv", method: .get)
      let rows = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
      #expect(rows.count == 3 && rows[0].hasPrefix("second,viewers,mean_angry"))

      let list = try await client.execute(uri: "/api/v1/sessions?stimulus=ad-a", method: .get)
      let sessions = try #require(list.object["sessions"] as? [[String: Any]])
      #expect(sessions.map { $0["id"] as? Int } == [ids[1], ids[0]])
      #expect(sessions.map { $0["frames"] as? Int } == [1, 2])
      // One session alone counts its frames as the list does.
      for (id, frames) in [(ids[0], 2), (ids[1], 1)] {
        let one = try await client.execute(uri: "/api/v1/sessions/\(id)", method: .get)
        #expect(one.status == .ok, "\(one.text)")
        #expect(one.object["frames"] as? Int == frames)
        #expect(one.object["id"] as? Int == id)
      }

      // Bad input.
      let unknown = try await RouteTests.post(
        client, "/api/v1/analyze?session=999", bytes: TestImages.jpeg(width: 64, height: 64),
        contentType: "image/jpeg")
      try RouteTests.expectProblem(unknown, .notFound, kind: "not-found")
      // The session is checked before the image: an unknown session with an unreadable image
      // (or a batch) is still a 404, and nothing is analysed.
      let unknownFirst = try await RouteTests.post(
        client, "/api/v1/analyze?session=999", bytes: Array("not an image".utf8),
        contentType: "image/jpeg")
      try RouteTests.expectProblem(unknownFirst, .notFound, kind: "not-found")
      let unknownBatch = try await RouteTests.post(
        client, "/api/v1/analyze/batch?session=999", bytes: Array("x".utf8),
        contentType: "multipart/form-data; boundary=b")
      try RouteTests.expectProblem(unknownBatch, .notFound, kind: "not-found")
      for query in [
        "session=0", "offset_ms=5", "session=\(ids[0])&offset_ms=-1",
        "session=\(ids[0])&store=false", "session=\(ids[0])&offset_ms=99999999999",
      ] {
        let bad = try await RouteTests.post(
          client, "/api/v1/analyze?\(query)", bytes: TestImages.jpeg(width: 64, height: 64),
          contentType: "image/jpeg")
        try RouteTests.expectProblem(bad, .badRequest, kind: "bad-parameter")
      }
      for body in ["", "{}", "{\"stimulus\": \"\"}", "{\"stimulus\": 5}", "[1]", "not json"] {
        let bad = try await client.execute(
          uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
          body: ByteBuffer(string: body))
        try RouteTests.expectProblem(bad, .badRequest, kind: "bad-parameter")
      }
      let missing = try await client.execute(uri: "/api/v1/reactions", method: .get)
      try RouteTests.expectProblem(missing, .badRequest, kind: "bad-parameter")

      // A viewer withdraws: the session and its frames go; the other sessions stay.
      let before = try await client.execute(uri: "/api/v1/analyses?limit=100", method: .get)
      let analyses = try #require(before.object["analyses"] as? [[String: Any]])
      let deleted = try await client.execute(uri: "/api/v1/sessions/\(ids[0])", method: .delete)
      #expect(deleted.status == .noContent)
      let gone = try await client.execute(uri: "/api/v1/sessions/\(ids[0])", method: .get)
      try RouteTests.expectProblem(gone, .notFound, kind: "not-found")
      let again = try await client.execute(uri: "/api/v1/sessions/\(ids[0])", method: .delete)
      try RouteTests.expectProblem(again, .notFound, kind: "not-found")
      let after = try await client.execute(uri: "/api/v1/analyses?limit=100", method: .get)
      #expect((after.object["analyses"] as? [Any])?.count == analyses.count - 2)
      let left = try await client.execute(uri: "/api/v1/reactions?stimulus=ad-a", method: .get)
      #expect(left.object["sessions"] as? Int == 1)
      let seconds0 = try #require(left.object["seconds"] as? [[String: Any]])
      #expect(seconds0.map { $0["viewers"] as? Int } == [1])
    }
  }
}
