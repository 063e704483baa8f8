package org.salotto.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /ready} answers 503 while the server drains, so that a load balancer sends no new people here; otherwise
 * the request goes on to {@link WebHandler}, which answers 200. {@code /health} stays 200: the process is alive.
 */
final class ReadinessHandler extends Handler.Abstract {
    private final BooleanSupplier draining;

    ReadinessHandler(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!draining.getAsBoolean() || !Request.getPathInContext(request).equals("/ready")) return false;
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.write(true, ByteBuffer.wrap("draining\n".getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
