import Foundation
import Hummingbird
import NIOCore

/// Refuses a request body larger than `VTNLimits.bodyBytes` with 413 and a problem body,
/// before any of it is decoded: by its Content-Length when it gives one, else while it is
/// read.
struct VTNBodyLimit<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = VTNLimits.bodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { return Self.tooLarge(limit) }
        var request = request
        do { _ = try await request.collectBody(upTo: limit) } catch let e as HTTPError where e.status == .contentTooLarge {
            return Self.tooLarge(limit)
        }
        return try await next(request, context)
    }

    static func tooLarge(_ limit: Int) -> Response {
        let body = #"{"type": "about:blank", "title": "Content Too Large", "status": 413, "detail": "a request body holds at most \#(limit) bytes"}"#
        return Response(status: .contentTooLarge, headers: [.contentType: "application/json", .connection: "close"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
