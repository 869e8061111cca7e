package dev.strata.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/** Jetty's own errors (a bad URI such as /../x, a malformed request line) as OpenAI-style JSON, not HTML. */
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

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, describe(status, reason)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        byte[] bytes = body(code, describe(code, message)).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
