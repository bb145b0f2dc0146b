package io.tocsin.gateway;

import io.tocsin.ingest.RejectReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the gateway's HTTP API (Jetty core handler): authentication, body limits, per-handler
 * metrics, and the answer written when the endpoint's future completes (after Kafka acknowledged),
 * so no thread waits on Kafka.
 */
final class GatewayHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    private static final String SILENCE_PATH = "/api/v2/silence/";

    private final AlertIngest alerts;
    private final RemoteWriteIngest remoteWrite;
    private final SilenceApi silences;
    private final StatusApi status;
    private final Board board;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final byte[] bearer;

    GatewayHandler(
            AlertIngest alerts,
            RemoteWriteIngest remoteWrite,
            SilenceApi silences,
            StatusApi status,
            Board board,
            GatewayMetrics metrics,
            int maxBodyBytes,
            String bearerToken) {
        this.alerts = alerts;
        this.remoteWrite = remoteWrite;
        this.silences = silences;
        this.status = status;
        this.board = board;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.bearer =
                bearerToken == null
                        ? null
                        : ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        String handler = handlerName(method, path);
        if (handler == null) {
            handler = Board.handlerName(method, path);
        }
        CompletableFuture<Reply> reply;
        try {
            if (handler != null && Board.streams(handler) && authorised(request)) {
                metrics.requests.labelValues(handler, "200").inc();
                board.stream(request, response, callback);
                return true;
            }
            if (handler == null) {
                reply = done(Reply.error(404, "no such endpoint: " + method + " " + path));
                handler = "other";
            } else if (needsAuth(handler) && !authorised(request)) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                reply = done(Reply.error(401, "a valid bearer token is required"));
            } else if (handler.startsWith("board")) {
                reply = board.route(handler, request, path);
            } else {
                reply = route(handler, request, path);
            }
        } catch (RequestTooLarge e) {
            metrics.rejected.labelValues("request", RejectReason.OVERSIZE.name()).inc();
            reply = done(Reply.error(413, e.getMessage()));
        } catch (IOException e) {
            reply = done(Reply.error(400, "cannot read the request body: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            reply = done(Reply.error(500, "internal error: " + e));
        }
        String name = handler;
        reply.whenComplete(
                (r, failure) -> {
                    Reply out = r;
                    if (failure != null) {
                        LOG.error("{} {} failed", method, path, failure);
                        out = Reply.error(500, "internal error: " + failure);
                    }
                    metrics.requests.labelValues(name, Integer.toString(out.status())).inc();
                    metrics.duration.labelValues(name).observe((System.nanoTime() - start) / 1e9);
                    write(response, out, callback);
                });
        return true;
    }

    /** The endpoint a request is for (the metric label), or null. */
    private static String handlerName(String method, String path) {
        return switch (method + " " + path) {
            case "POST /api/v2/alerts", "POST /api/v1/alerts" -> "alerts";
            case "POST /webhook", "POST /api/v2/webhook" -> "webhook";
            case "POST /api/v1/write" -> "remote_write";
            case "POST /api/v2/silences" -> "silences_post";
            case "GET /api/v2/silences" -> "silences_get";
            case "GET /api/v2/status" -> "status";
            case "GET /-/healthy", "HEAD /-/healthy" -> "healthy";
            case "GET /-/ready", "HEAD /-/ready" -> "ready";
            case "GET /metrics" -> "metrics";
            default -> {
                if (path.startsWith(SILENCE_PATH) && path.length() > SILENCE_PATH.length()) {
                    yield switch (method) {
                        case "GET" -> "silence_get";
                        case "DELETE" -> "silence_delete";
                        default -> null;
                    };
                }
                yield null;
            }
        };
    }

    private static boolean needsAuth(String handler) {
        return !handler.equals("healthy") && !handler.equals("ready");
    }

    private CompletableFuture<Reply> route(String handler, Request request, String path)
            throws IOException, RequestTooLarge {
        return switch (handler) {
            case "alerts" -> alerts.post(body(request), "v2", path);
            case "webhook" -> alerts.post(body(request), "webhook", path);
            case "remote_write" ->
                    remoteWrite.post(
                            body(request), request.getHeaders().get(HttpHeader.CONTENT_ENCODING));
            case "silences_post" -> silences.post(body(request));
            case "silences_get" ->
                    done(silences.list(values(Request.extractQueryParameters(request), "filter")));
            case "silence_get" -> done(silences.get(path.substring(SILENCE_PATH.length())));
            case "silence_delete" -> silences.expire(path.substring(SILENCE_PATH.length()));
            case "status" -> done(status.status());
            case "healthy" -> done(Reply.text(200, "OK\n"));
            case "ready" -> done(status.ready());
            case "metrics" -> done(status.metrics(request.getHeaders().get(HttpHeader.ACCEPT)));
            default -> throw new IllegalStateException(handler);
        };
    }

    private static List<String> values(org.eclipse.jetty.util.Fields fields, String name) {
        List<String> v = fields.getValues(name);
        return v == null ? List.of() : v;
    }

    /**
     * With a gateway token: that token, or (for the board) any board user's token or client
     * certificate. Without one, anyone (the board then lets only its users act).
     */
    private boolean authorised(Request request) {
        if (bearer == null) {
            return true;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (given != null
                && MessageDigest.isEqual(bearer, given.trim().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return Board.handlerName(request.getMethod(), request.getHttpURI().getPath()) != null
                && board.user(request) != null;
    }

    /** The request body, refused above the limit before and while it is read. */
    private byte[] body(Request request) throws IOException, RequestTooLarge {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw new RequestTooLarge(
                    "request body is " + declared + " bytes, limit is " + maxBodyBytes);
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] b = in.readNBytes(maxBodyBytes + 1);
            if (b.length > maxBodyBytes) {
                throw new RequestTooLarge(
                        "request body is over the limit of " + maxBodyBytes + " bytes");
            }
            return b;
        }
    }

    private static CompletableFuture<Reply> done(Reply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static void write(Response response, Reply r, Callback callback) {
        response.setStatus(r.status());
        if (r.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
            if (r.contentType().startsWith("text/html")) {
                // The board: nothing but its own scripts and styles, never framed.
                response.getHeaders()
                        .put(
                                "Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self';"
                                        + " img-src 'self' data:; frame-ancestors 'none';"
                                        + " form-action 'self'; base-uri 'none'");
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                response.getHeaders().put("Referrer-Policy", "same-origin");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            }
        }
        if (r.location() != null) {
            response.getHeaders().put(HttpHeader.LOCATION, r.location());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.body().length);
        response.write(true, ByteBuffer.wrap(r.body()), callback);
    }
}
