import Synchronization

/// The service's Prometheus metrics, written in the text exposition format (version 0.0.4) at
/// `/metrics`: requests, a latency histogram, faces analysed, errors by kind.
public final class ServiceMetrics: Sendable {
  /// Upper bounds of the latency histogram's buckets, in seconds.
  static let latencyBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

  private struct Histogram {
    var counts = [Int](repeating: 0, count: ServiceMetrics.latencyBounds.count)
    var count = 0
    var sum = 0.0
  }

  private struct State {
    var requests: [String: Int] = [:]  // key: label set text
    var latency: [String: Histogram] = [:]  // key: route
    var faces: [String: Int] = [:]  // key: model
    var images: [String: Int] = [:]  // key: model
    var errors: [String: Int] = [:]  // key: problem kind
  }

  private let state = Mutex(State())
  /// The server's connection counts (nil: not reported).
  let connections: ConnectionGate?

  public init(connections: ConnectionGate? = nil) { self.connections = connections }

  func recordRequest(method: String, route: String, status: Int, seconds: Double) {
    let key =
      "method=\"\(Self.escape(method))\",route=\"\(Self.escape(route))\",status=\"\(status)\""
    state.withLock { s in
      s.requests[key, default: 0] += 1
      var h = s.latency[route] ?? Histogram()
      for (i, bound) in Self.latencyBounds.enumerated() where seconds <= bound { h.counts[i] += 1 }
      h.count += 1
      h.sum += seconds
      s.latency[route] = h
    }
  }

  func recordAnalysis(model: String, faces: Int) {
    state.withLock { s in
      s.images[model, default: 0] += 1
      s.faces[model, default: 0] += faces
    }
  }

  func recordError(kind: String) {
    state.withLock { $0.errors[kind, default: 0] += 1 }
  }

  /// The exposition text; series are sorted so the output is stable.
  public func render() -> String {
    let s = state.withLock { $0 }
    var out = ""
    out += "# HELP emocl_http_requests_total HTTP requests answered.\n"
    out += "# TYPE emocl_http_requests_total counter\n"
    for (labels, n) in s.requests.sorted(by: { $0.key < $1.key }) {
      out += "emocl_http_requests_total{\(labels)} \(n)\n"
    }
    out += "# HELP emocl_http_request_duration_seconds Time to answer a request.\n"
    out += "# TYPE emocl_http_request_duration_seconds histogram\n"
    for (route, h) in s.latency.sorted(by: { $0.key < $1.key }) {
      let r = "route=\"\(Self.escape(route))\""
      for (i, bound) in Self.latencyBounds.enumerated() {
        out += "emocl_http_request_duration_seconds_bucket{\(r),le=\"\(bound)\"} \(h.counts[i])\n"
      }
      out += "emocl_http_request_duration_seconds_bucket{\(r),le=\"+Inf\"} \(h.count)\n"
      out += "emocl_http_request_duration_seconds_sum{\(r)} \(h.sum)\n"
      out += "emocl_http_request_duration_seconds_count{\(r)} \(h.count)\n"
    }
    out += "# HELP emocl_images_analyzed_total Images analysed.\n"
    out += "# TYPE emocl_images_analyzed_total counter\n"
    for (model, n) in s.images.sorted(by: { $0.key < $1.key }) {
      out += "emocl_images_analyzed_total{model=\"\(Self.escape(model))\"} \(n)\n"
    }
    out += "# HELP emocl_faces_analyzed_total Faces analysed.\n"
    out += "# TYPE emocl_faces_analyzed_total counter\n"
    for (model, n) in s.faces.sorted(by: { $0.key < $1.key }) {
      out += "emocl_faces_analyzed_total{model=\"\(Self.escape(model))\"} \(n)\n"
    }
    out += "# HELP emocl_errors_total Error responses, by problem kind.\n"
    out += "# TYPE emocl_errors_total counter\n"
    for (kind, n) in s.errors.sorted(by: { $0.key < $1.key }) {
      out += "emocl_errors_total{kind=\"\(Self.escape(kind))\"} \(n)\n"
    }
    if let connections {
      let counts = connections.counts
      out += "# HELP emocl_connections_open Connections open now.\n"
      out += "# TYPE emocl_connections_open gauge\n"
      out += "emocl_connections_open \(counts.open)\n"
      out += "# HELP emocl_connections_refused_total Connections refused over a cap, by cap.\n"
      out += "# TYPE emocl_connections_refused_total counter\n"
      for reason in ["client", "server"] {
        out +=
          "emocl_connections_refused_total{reason=\"\(reason)\"} \(counts.refused[reason] ?? 0)\n"
      }
    }
    return out
  }

  static func escape(_ value: String) -> String {
    var out = ""
    for c in value {
      switch c {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      default: out.append(c)
      }
    }
    return out
  }
}
