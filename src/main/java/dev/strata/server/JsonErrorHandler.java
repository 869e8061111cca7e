package dev.strata.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a bad URI such as /../x, a malformed request line) as OpenAI-style JSON, not HTML. One
 * class serves the server and the servlet context: Jetty 12's servlet ErrorHandler extends the core one.
 */
final class JsonErrorHandler extends ErrorHandler {
    static String body(int status, String message) {
        ObjectNode body = JsonFields.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error");
        error.putNull("param").putNull("code");
        return body.toString();
    }

    private static String describe(int status, String reason) {
        return "HTTP " + status + (reason == null || reason.isBlank() ? "" : ": " + reason);
    }

    /** Every error status gets the JSON body, whatever the client accepts (Jetty's default looks at Accept). */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = response.getStatus();
        String message = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            code = http.getCode();
            response.setStatus(code);
            if (message == null) message = http.getReason();
        }
        if (HttpStatus.hasNoBody(code)) {
            callback.succeeded();
            return true;
        }
        byte[] bytes = body(code, describe(code, message == null ? HttpStatus.getMessage(code) : message)).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
