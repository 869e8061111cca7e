package dev.strata.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether the client of a non-streaming request has gone, asked by the waiting request thread (never the decode
 * thread) every 20 ms at most. Nothing is written until the answer is ready, so the only sign is end-of-stream on
 * the socket: a non-blocking read finds it. Bytes read instead (an HTTP/1.1 pipelined request) are handed back to
 * Jetty's connection and probing stops.
 */
final class ClientProbe implements BooleanSupplier {
    private static final long INTERVAL_NANOS = 20_000_000;

    private final EndPoint endPoint;
    private final Connection.UpgradeTo connection;
    private final ByteBuffer buf = BufferUtil.allocate(4096);
    private boolean gone;
    private boolean sawData;
    private long nextCheck;

    private ClientProbe(EndPoint endPoint, Connection.UpgradeTo connection) {
        this.endPoint = endPoint;
        this.connection = connection;
    }

    static BooleanSupplier of(Context ctx) {
        ServletContextRequest base = ServletContextRequest.getServletContextRequest(ctx.req());
        if (base == null) return () -> false;
        Connection connection = base.getConnectionMetaData().getConnection();
        // Jetty 12's HTTP/1.1 connection takes bytes back through UpgradeTo; HTTP/2 streams have no socket of their own
        if (!(connection instanceof Connection.UpgradeTo upgradeTo)) return () -> false;
        return new ClientProbe(connection.getEndPoint(), upgradeTo);
    }

    @Override
    public boolean getAsBoolean() {
        if (gone || sawData) return gone;
        long now = System.nanoTime();
        if (now < nextCheck) return false;
        nextCheck = now + INTERVAL_NANOS;
        if (!endPoint.isOpen() || endPoint.isInputShutdown()) return gone = true;
        try {
            int n = endPoint.fill(buf);
            if (n < 0) gone = true;
            else if (n > 0) {
                sawData = true;
                connection.onUpgradeTo(buf);
            }
        } catch (IOException e) {
            gone = true;
        }
        return gone;
    }
}
