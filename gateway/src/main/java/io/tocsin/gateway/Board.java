package io.tocsin.gateway;

import io.tocsin.avro.Command;
import io.tocsin.avro.CommandType;
import io.tocsin.avro.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The incident board's HTTP side: pages, fragments for live refresh, the server-sent event stream
 * and the actions, which become Commands on the commands topic with the authenticated board user as
 * actor and role (the job applies its command rules to them, as to any command).
 */
final class Board implements AutoCloseable {

    static final String PREFIX = "/board";
    static final int MAX_FORM_BYTES = 16 * 1024;
    static final int MAX_NOTE = 4000;

    private final BoardState state;
    private final BoardPages pages;
    private final BoardFeed feed;
    private final BoardEvents events;
    private final BoardUsers users;
    private final BoardHistory history;
    private final KafkaWriter kafka;
    private final String commandsTopic;

    Board(
            BoardState state,
            BoardPages pages,
            BoardFeed feed,
            BoardUsers users,
            BoardHistory history,
            KafkaWriter kafka,
            String commandsTopic) {
        this.state = state;
        this.pages = pages;
        this.feed = feed;
        this.users = users;
        this.history = history;
        this.kafka = kafka;
        this.commandsTopic = commandsTopic;
        this.events = new BoardEvents(state);
    }

    void start() {
        feed.start();
        events.start();
    }

    BoardState state() {
        return state;
    }

    BoardUsers users() {
        return users;
    }

    /** The board user a request authenticates as, or null. */
    BoardUsers.User user(Request request) {
        X509Certificate[] certs = null;
        EndPoint.SslSessionData ssl =
                (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        if (ssl != null) {
            certs = ssl.peerCertificates();
        }
        return users.identify(request.getHeaders().get(HttpHeader.AUTHORIZATION), certs);
    }

    /** The handler name (metrics label) of a board path, or null when it is not the board's. */
    static String handlerName(String method, String path) {
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/") && get) {
            return "board_root";
        }
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        if (get) {
            return switch (rest) {
                case "", "/" -> "board";
                case "/fragment/open" -> "board_fragment";
                case "/events" -> "board_events";
                case "/search" -> "board_search";
                case "/static/board.css", "/static/board.js" -> "board_static";
                default ->
                        rest.startsWith("/incident/")
                                ? (rest.endsWith("/fragment")
                                        ? "board_incident_fragment"
                                        : "board_incident")
                                : null;
            };
        }
        if (method.equals("POST") && rest.startsWith("/incident/") && rest.endsWith("/action")) {
            return "board_action";
        }
        return null;
    }

    /** True when the request streams (answered by {@link #stream}, not by a Reply). */
    static boolean streams(String handler) {
        return handler.equals("board_events");
    }

    void stream(Request request, Response response, Callback callback) {
        events.attach(request, response, callback);
    }

    CompletableFuture<Reply> route(String handler, Request request, String path) {
        BoardUsers.User user = user(request);
        Fields query = Request.extractQueryParameters(request);
        return switch (handler) {
            case "board_root" -> done(redirect(PREFIX));
            case "board" -> done(pages.index(user));
            case "board_fragment" -> done(pages.openFragment());
            case "board_static" -> done(staticFile(path.substring(path.lastIndexOf('/') + 1)));
            case "board_incident" ->
                    done(pages.incident(id(path, ""), user, query.getValue("sent")));
            case "board_incident_fragment" ->
                    done(pages.incidentFragment(id(path, "/fragment"), user));
            case "board_search" -> search(query);
            case "board_action" -> action(request, id(path, "/action"), user);
            default -> throw new IllegalStateException(handler);
        };
    }

    private static String id(String path, String suffix) {
        String raw =
                path.substring((PREFIX + "/incident/").length(), path.length() - suffix.length());
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private CompletableFuture<Reply> search(Fields q) {
        BoardQuery query;
        try {
            query =
                    BoardQuery.parse(
                            q.getValue("service"),
                            q.getValue("alert"),
                            q.getValue("from"),
                            q.getValue("to"));
        } catch (IllegalArgumentException e) {
            return done(pages.errorPage(400, "search: " + e.getMessage()));
        }
        if (history == null || query.empty()) {
            return done(
                    pages.search(
                            query,
                            List.of(),
                            history == null
                                    ? "no ClickHouse configured (--clickhouse-url): only the"
                                            + " incidents the board holds are searched"
                                    : null));
        }
        return history.search(query)
                .handle(
                        (rows, failure) ->
                                failure == null
                                        ? pages.search(query, rows, null)
                                        : pages.search(
                                                query,
                                                List.of(),
                                                "history not available: " + rootMessage(failure)));
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private CompletableFuture<Reply> action(Request request, String id, BoardUsers.User user) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && site.equals("cross-site")) {
            return done(pages.errorPage(403, "board actions are not accepted from other sites"));
        }
        if (user == null) {
            return done(
                    pages.errorPage(
                            403,
                            "acting from the board needs a board user: sign in with a bearer token"
                                    + " or client certificate listed in the gateway's"
                                    + " --board-users file"));
        }
        boolean known = state.read(v -> v.get(id) != null);
        if (!known) {
            return done(pages.notFound("no incident " + id + " on the board"));
        }
        Map<String, String> form;
        try {
            form = form(request);
        } catch (IllegalArgumentException | IOException e) {
            return done(pages.errorPage(400, e.getMessage()));
        }
        Command c;
        try {
            c = command(id, user, form);
        } catch (IllegalArgumentException e) {
            return done(pages.errorPage(400, e.getMessage()));
        }
        byte[] value;
        try {
            value = Command.getEncoder().encode(c).array();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String location =
                PREFIX
                        + "/incident/"
                        + BoardPages.pathSegment(id)
                        + "?sent="
                        + BoardPages.pathSegment(c.getType().name() + " " + c.getCommandId());
        return kafka.send(commandsTopic, id.getBytes(StandardCharsets.UTF_8), value)
                .handle(
                        (md, failure) ->
                                failure == null
                                        ? redirect(location)
                                        : pages.errorPage(
                                                503,
                                                "the command was not written to Kafka ("
                                                        + rootMessage(failure)
                                                        + "); try again"));
    }

    /** The Command a board form asks for; the actor and role are the authenticated user's. */
    Command command(String id, BoardUsers.User user, Map<String, String> form) {
        String action = form.getOrDefault("action", "").trim().toLowerCase(Locale.ROOT);
        String reason = blankToNull(form.get("reason"));
        Command.Builder b =
                Command.newBuilder()
                        .setCommandId("board-" + UUID.randomUUID())
                        .setIncidentId(id)
                        .setActor(user.name())
                        .setRole(user.role())
                        .setReason(reason)
                        .setIssuedAt(Instant.ofEpochMilli(state.now()));
        switch (action) {
            case "acknowledge" -> b.setType(CommandType.ACKNOWLEDGE);
            case "note" -> {
                String note = blankToNull(form.get("note"));
                if (note == null) {
                    throw new IllegalArgumentException("note: write the note first");
                }
                if (note.length() > MAX_NOTE) {
                    throw new IllegalArgumentException(
                            "note: longer than " + MAX_NOTE + " characters");
                }
                b.setType(CommandType.ADD_NOTE).setNote(note);
            }
            case "downgrade" -> {
                String s = blankToNull(form.get("severity"));
                Severity to;
                try {
                    to = s == null ? null : Severity.valueOf(s.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    to = null;
                }
                if (to == null || to == Severity.UNKNOWN) {
                    throw new IllegalArgumentException(
                            "severity: choose the severity to downgrade to (SEV2, SEV3, SEV4)");
                }
                b.setType(CommandType.DOWNGRADE).setTargetSeverity(to);
            }
            case "approve" -> {
                String approves = blankToNull(form.get("approves"));
                if (approves == null) {
                    throw new IllegalArgumentException("approves: which request to approve");
                }
                b.setType(CommandType.APPROVE).setApprovesCommandId(approves);
            }
            default ->
                    throw new IllegalArgumentException(
                            "action: unknown action \""
                                    + (action.length() > 40 ? action.substring(0, 40) : action)
                                    + "\" (one of acknowledge, note, downgrade, approve)");
        }
        if (reason != null && reason.length() > MAX_NOTE) {
            throw new IllegalArgumentException("reason: longer than " + MAX_NOTE + " characters");
        }
        return b.build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** An application/x-www-form-urlencoded body (any field named actor or role is ignored). */
    private static Map<String, String> form(Request request) throws IOException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new IllegalArgumentException(
                    "expected a form (application/x-www-form-urlencoded), got " + type);
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            throw new IllegalArgumentException("form is over " + MAX_FORM_BYTES + " bytes");
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), "UTF-8");
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), "UTF-8");
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("form: badly encoded field");
            }
        }
        out.remove("actor");
        out.remove("role");
        return out;
    }

    private static Reply staticFile(String name) {
        try (InputStream in = Board.class.getResourceAsStream("/board/static/" + name)) {
            if (in == null) {
                return Reply.error(404, "no such file: " + name);
            }
            String type =
                    name.endsWith(".css")
                            ? "text/css; charset=utf-8"
                            : "text/javascript; charset=utf-8";
            return new Reply(200, type, in.readAllBytes());
        } catch (IOException e) {
            return Reply.error(500, "cannot read " + name + ": " + e.getMessage());
        }
    }

    static Reply redirect(String location) {
        return new Reply(
                303,
                "text/plain; charset=utf-8",
                ("see " + location + "\n").getBytes(StandardCharsets.UTF_8),
                location);
    }

    private static CompletableFuture<Reply> done(Reply r) {
        return CompletableFuture.completedFuture(r);
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        events.close();
        feed.close();
        if (history != null) {
            history.close();
        }
    }
}
