package dev.strata.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak test of docs/reliability.md, against a running `strata serve` on loopback (scripts/soak.sh starts one):
 * 32 clients mixing streaming requests (some hung up at a random event), non-streaming ones (some abandoned),
 * oversized and chunked-oversized bodies and malformed JSON. It counts answers by status, checks each finished
 * stream has exactly one id and one [DONE], polls /health, and compares the server's RSS after an idle period
 * with its level after warm-up. Exit status 1 when any check fails.
 *
 * <p>Usage: SoakRunner PORT SERVER_PID WARMUP_SECONDS SOAK_SECONDS IDLE_SECONDS
 */
public final class SoakRunner {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private final int port;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private SoakRunner(int port) {
        this.port = port;
    }

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int warmup = Integer.parseInt(args[2]), soak = Integer.parseInt(args[3]), idle = Integer.parseInt(args[4]);
        SoakRunner r = new SoakRunner(port);
        Thread[] clients = new Thread[32];
        for (int i = 0; i < clients.length; i++) {
            long seed = i;
            clients[i] = Thread.ofPlatform().name("soak-" + i).start(() -> r.client(new Random(seed)));
        }
        Thread.sleep(warmup * 1000L);
        long rssWarm = rss(pid);
        System.out.printf("warm-up done: RSS %.1f MiB%n", rssWarm / 1048576.0);
        r.counts.clear();
        long healthChecks = 0, healthFailures = 0, peak = rssWarm;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(soak);
        while (System.nanoTime() < end) {
            Thread.sleep(2000);
            healthChecks++;
            RawHttp.Response h = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
            if (h.status() != 200) healthFailures++;
            peak = Math.max(peak, rss(pid));
        }
        r.running = false;
        for (Thread t : clients) t.join(60_000);
        Thread.sleep(idle * 1000L);
        long rssIdle = rss(pid);
        RawHttp.Response health = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
        Map<String, Long> sorted = new TreeMap<>();
        r.counts.forEach((k, v) -> sorted.put(k, v.get()));
        sorted.forEach((k, v) -> System.out.printf("%-40s %d%n", k, v));
        long bad5xx = sorted.getOrDefault("status 500", 0L) + sorted.getOrDefault("status 502", 0L) + sorted.getOrDefault("status 504", 0L)
                + sorted.getOrDefault("503 without Retry-After", 0L) + sorted.getOrDefault("no answer", 0L);
        long lost = sorted.getOrDefault("stream lost", 0L), duplicated = sorted.getOrDefault("stream duplicated", 0L);
        double change = (rssIdle - rssWarm) * 100.0 / rssWarm;
        System.out.printf("5xx other than 503+Retry-After (or no answer): %d%nlost streams: %d, duplicated streams: %d%n", bad5xx, lost, duplicated);
        System.out.printf("/health: %d of %d checks failed during the soak, final status %d%n", healthFailures, healthChecks, health.status());
        System.out.printf("RSS: %.1f MiB after warm-up, peak %.1f MiB, %.1f MiB after %d s idle (%+.1f %%)%n",
                rssWarm / 1048576.0, peak / 1048576.0, rssIdle / 1048576.0, idle, change);
        boolean ok = bad5xx == 0 && lost == 0 && duplicated == 0 && healthFailures == 0 && health.status() == 200 && change <= 20;
        System.out.println(ok ? "SOAK PASSED" : "SOAK FAILED");
        System.exit(ok ? 0 : 1);
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    private void client(Random rnd) {
        while (running) {
            try {
                int pick = rnd.nextInt(100);
                if (pick < 60) stream(rnd);
                else if (pick < 70) plain(rnd);
                else if (pick < 78) oversized();
                else if (pick < 83) chunkedOversized();
                else malformed(rnd);
            } catch (IOException e) {
                count("client i/o error");
            } catch (Exception e) {
                count("client error " + e.getClass().getSimpleName());
            }
        }
    }

    private static String completion(Random rnd, boolean stream) {
        int maxTokens = 8 + rnd.nextInt(56);
        return rnd.nextBoolean()
                ? "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story " + rnd.nextInt(1000) + "\"}],\"max_tokens\":" + maxTokens
                        + ",\"stream\":" + stream + "}"
                : "{\"prompt\":\"Once upon a time " + rnd.nextInt(1000) + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream + "}";
    }

    private static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private void status(RawHttp.Response r) throws InterruptedException {
        if (r.status() < 0) {
            count("no answer");
            return;
        }
        count("status " + r.status());
        if (r.status() == 503) {
            if (!r.head().toLowerCase().contains("retry-after:")) count("503 without Retry-After");
            Thread.sleep(500);
        }
    }

    private void stream(Random rnd) throws Exception {
        String body = completion(rnd, true);
        String path = body.contains("messages") ? "/v1/chat/completions" : "/v1/completions";
        int hangUpAfter = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(6) : -1;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(120_000);
            s.getOutputStream().write(post(path, body).getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            if (hangUpAfter > 0) {
                byte[] buf = new byte[256];
                int events = 0;
                for (int n; events < hangUpAfter && (n = in.read(buf)) > 0; ) events += count(new String(buf, 0, n, StandardCharsets.UTF_8), "data: ");
                count("stream hung up by client");
                return;
            }
            RawHttp.Response r = RawHttp.parse(readAll(in));
            status(r);
            if (r.status() != 200) return;
            int done = count(r.body(), "data: [DONE]");
            Matcher m = ID.matcher(r.body());
            java.util.Set<String> ids = new java.util.HashSet<>();
            while (m.find()) ids.add(m.group(1));
            if (done == 0) count("stream lost");
            else if (done > 1 || ids.size() != 1 || !r.body().strip().endsWith("data: [DONE]")) count("stream duplicated");
            else count("stream complete");
        }
    }

    private void plain(Random rnd) throws Exception {
        String body = completion(rnd, false);
        String path = body.contains("messages") ? "/v1/chat/completions" : "/v1/completions";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(120_000);
            s.getOutputStream().write(post(path, body).getBytes(StandardCharsets.UTF_8));
            if (rnd.nextInt(3) == 0) {
                Thread.sleep(rnd.nextInt(200));
                count("non-streaming abandoned by client");
                return;
            }
            status(RawHttp.parse(readAll(s.getInputStream())));
        }
    }

    private void oversized() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9437184\r\n\r\n{\"prompt\":\""
                    .getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response r = RawHttp.parse(readAll(s.getInputStream()));
            status(r);
        }
    }

    private void chunkedOversized() throws Exception {
        status(RawHttp.chunkedFlood(port, "/v1/chat/completions", 10L << 20, 30_000));
    }

    private void malformed(Random rnd) throws Exception {
        String[] bodies = {"{\"prompt\":", "[1,2,3]", "{\"messages\":\"hi\"}", "{\"prompt\":\"x\",\"max_tokens\":-5}", "\u0000\u0001garbage",
                "{\"prompt\":\"x\",\"layers\":\"" + "dup:0-0,".repeat(500) + "\"}", "{\"prompt\":\"x\",\"temperature\":\"hot\"}"};
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(post("/v1/completions", bodies[rnd.nextInt(bodies.length)]).getBytes(StandardCharsets.UTF_8));
            status(RawHttp.parse(readAll(s.getInputStream())));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) n++;
        return n;
    }
}
