package io.tocsin.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The board's server-sent event stream ({@code GET /board/events}): an {@code incident} event with
 * the incident id each time the incident-events topic changed one, and a comment every 15 s so
 * proxies keep the stream open and gone clients are noticed. Writes are asynchronous (no thread per
 * client); a client that falls far behind gets one {@code reload} event instead of the backlog.
 */
final class BoardEvents implements AutoCloseable {

    static final int MAX_CLIENTS = 256;
    static final int MAX_QUEUED = 256;

    private final BoardState state;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Consumer<String> listener = this::changed;
    private final ScheduledExecutorService pings =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "board-sse-ping");
                        t.setDaemon(true);
                        return t;
                    });

    BoardEvents(BoardState state) {
        this.state = state;
    }

    void start() {
        state.listen(listener);
        pings.scheduleAtFixedRate(
                () -> clients.forEach(c -> c.offer(": ping\n\n")), 15, 15, TimeUnit.SECONDS);
    }

    int clients() {
        return clients.size();
    }

    private void changed(String incidentId) {
        // Ids are Tocsin's own (no newlines), but a data line must never carry one.
        String id = incidentId.replace('\n', ' ').replace('\r', ' ');
        String chunk = "event: incident\ndata: " + id + "\n\n";
        clients.forEach(c -> c.offer(chunk));
    }

    void attach(Request request, Response response, Callback callback) {
        if (clients.size() >= MAX_CLIENTS) {
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.write(
                    true,
                    Board.utf8("too many board event streams (" + MAX_CLIENTS + ")\n"),
                    callback);
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
        Client c = new Client(response, callback);
        clients.add(c);
        // The first write commits the headers; retry tells EventSource when to reconnect.
        c.offer("retry: 2000\n: connected\n\n");
    }

    /** One stream: queued chunks written one at a time, each after the previous completed. */
    private final class Client {
        private final Response response;
        private final Callback done;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private boolean writing;
        private boolean closed;

        Client(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        synchronized void offer(String chunk) {
            if (closed) {
                return;
            }
            if (queue.size() >= MAX_QUEUED) {
                queue.clear();
                queue.add("event: reload\ndata: behind\n\n");
            } else {
                queue.add(chunk);
            }
            pump();
        }

        private void pump() {
            if (writing || closed) {
                return;
            }
            String next = queue.poll();
            if (next == null) {
                return;
            }
            writing = true;
            response.write(
                    false,
                    java.nio.ByteBuffer.wrap(next.getBytes(StandardCharsets.UTF_8)),
                    Callback.from(this::written, this::failed));
        }

        private synchronized void written() {
            writing = false;
            pump();
        }

        private void failed(Throwable t) {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            clients.remove(this);
            done.failed(t);
        }

        void end() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            clients.remove(this);
            try {
                response.write(true, java.nio.ByteBuffer.allocate(0), done);
            } catch (RuntimeException e) {
                // a write still pending at shutdown: end the stream as failed
                done.failed(e);
            }
        }
    }

    @Override
    public void close() {
        state.unlisten(listener);
        pings.shutdownNow();
        clients.forEach(Client::end);
    }
}
