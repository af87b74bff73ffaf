import Foundation
import Hummingbird
import Service
import TestSupport
import Testing

/// The API key check holds for every `/api` route, whatever the spelling of the request target:
/// the routes come from the service's own registration, so a route added later is covered too.
@Suite("API guard", .serialized)
struct APIGuardTests {
  /// Routes that are open on purpose. Adding another open route must be a decision made here.
  static let openPaths: Set<String> = [
    "/", "/videos", "/dashboard", "/models", "/static/:file", "/openapi.json", "/healthz",
    "/readyz",
    "/metrics",
  ]

  /// Ways to spell `path` that a router may resolve to the same route.
  static func spellings(_ path: String, port: Int) -> [String] {
    let tail = path.dropFirst("/api/".count)
    var variants = [
      path, "/" + path, "/api//" + tail, path + "/", path + "//", "/api/./" + tail,
      "/api/v1/../v1/" + tail.dropFirst(3), "/%61pi/" + tail, "/api%2F" + tail,
      "/API/" + tail, path + "?x=1", path + "/?x=1", "http://127.0.0.1:\(port)" + path,
      "http://127.0.0.1:\(port)/" + path,
      "///api///" + tail.replacingOccurrences(of: "/", with: "//"),
    ]
    variants.append(path.replacingOccurrences(of: "/", with: "//"))
    return variants
  }

  @Test("the route list: every /api route needs a key; only the known pages are open")
  func routeList() throws {
    let harness = try Harness()
    defer { harness.directory.cleanup() }
    let routes = harness.service.routes()
    #expect(routes.count >= 14)
    for route in routes {
      #expect(route.requiresKey == route.path.hasPrefix("/api/"), "\(route)")
      #expect(route.methods.contains("OPTIONS"), "\(route)")
    }
    #expect(Set(routes.filter { !$0.requiresKey }.map(\.path)) == Self.openPaths)
    // The OpenAPI document describes every /api route, and no route that does not exist.
    let document =
      try JSONSerialization.jsonObject(
        with: Data(
          contentsOf: SharedData.repositoryRoot.appendingPathComponent(
            "Sources/Service/Public/openapi.json"))) as? [String: Any]
    let documented = Set(((document?["paths"] as? [String: Any]) ?? [:]).keys)
    let apiPaths = Set(
      routes.filter(\.requiresKey).map {
        $0.path.replacingOccurrences(of: ":id", with: "{id}")
      })
    #expect(apiPaths.isSubset(of: documented), "\(apiPaths.subtracting(documented))")
  }

  @Test("with a key set, no spelling of any /api route and method gets past the guard")
  func everySpelling() async throws {
    let harness = try Harness()
    defer { harness.directory.cleanup() }
    let routes = harness.service.routes().filter(\.requiresKey)
    try await LiveServerTests.withServer(harness.service) { port, _ in
      // The server has migrated the new database; from now on /api needs the key.
      let (key, _) = try await APIKeys.create(name: "t", in: harness.sqlite, now: 1)
      // One stored record that a bypassing DELETE could remove.
      let stored = try await RawHTTP.offPool {
        try RawHTTP.status(
          port: port, method: "POST", target: "/api/v1/analyze?tag=kept",
          headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "image/jpeg")],
          body: RouteTests.jpeg)
      }
      #expect(stored == 200)
      let id = try #require(
        try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5).first?.id)

      var checked = 0
      var notFound = 0
      for route in routes {
        let path = route.path.replacingOccurrences(of: ":id", with: "\(id)")
        for target in Self.spellings(path, port: port) {
          for method in ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
            let status = try await RawHTTP.offPool {
              try RawHTTP.status(
                port: port, method: method, target: target,
                headers: [("Content-Type", "image/jpeg")],
                body: method == "POST" ? RouteTests.jpeg : [])
            }
            checked += 1
            if target == path {
              #expect(status == 401, "\(method) \(target) answered \(status)")
            } else {
              #expect([400, 401, 404].contains(status), "\(method) \(target) answered \(status)")
              if status == 404 { notFound += 1 }
            }
          }
        }
      }
      #expect(checked >= routes.count * 16 * 8)
      #expect(notFound < checked)
      // Nothing was stored or deleted without the key.
      let records = try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 10)
      #expect(records.map(\.id) == [id])
    }
  }

  @Test("OPTIONS answers 204 with Allow; HEAD on a POST-only route is 405")
  func optionsAndHead() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let options = try await client.execute(uri: "/api/v1/analyses", method: .options)
      #expect(options.status == .noContent)
      #expect(options.headers[.allow] == "GET, HEAD, OPTIONS")
      let page = try await client.execute(uri: "/healthz", method: .options)
      #expect(page.status == .noContent)
      let head = try await client.execute(uri: "/api/v1/analyze", method: .head)
      #expect(head.status == .methodNotAllowed)
      #expect(head.headers[.allow] == "OPTIONS, POST")
    }
  }
}
