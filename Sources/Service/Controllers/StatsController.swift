import Hummingbird

/// `GET /api/v1/stats`: faces and mean emotions per hour or day, as JSON or CSV; faces that fail
/// the quality limits are counted per bucket and, with `reliable_only=true`, left out of the means.
struct StatsController: Sendable {
  let store: any AnalysisStore

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/api/v1/stats", [.get: stats])
  }

  func stats(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let query = QueryParameters(request)
    let filter = try query.filter()
    let bucketName = try query.oneOf("bucket", ["hour", "day"], default: "hour")
    let format = try query.oneOf("format", ["json", "csv"], default: "json")
    let quality = try query.statsQuality()
    let bucket = StatsBucketSize(rawValue: bucketName)!
    let buckets = try await store.stats(filter, bucket: bucket, quality: quality)
    if format == "csv" {
      return CSVDocument(text: CSV.stats(buckets), filename: "stats.csv")
    }
    return Wire.Stats(
      bucket: bucketName, tag: filter.tag, from: filter.from, to: filter.to,
      quality: Wire.QualityLimits(quality), buckets: buckets.map(Wire.Bucket.init))
  }
}
