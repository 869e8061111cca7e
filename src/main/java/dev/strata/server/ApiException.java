package dev.strata.server;

/** An error answered to the client as OpenAI does: an HTTP status and {"error": {message, type, param, code}}. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(400, "invalid_request_error", message, param, null);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(400, "invalid_request_error", "The model '" + model + "' does not exist", "model", "model_not_found");
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "invalid_request_error", "Incorrect or missing API key: pass it as 'Authorization: Bearer KEY'",
                null, "invalid_api_key");
    }

    public static ApiException overloaded(String message) {
        return new ApiException(503, "server_error", message, null, "server_overloaded");
    }

    public static ApiException notFound(String path) {
        return new ApiException(404, "invalid_request_error", "Unknown endpoint: " + path, null, "not_found");
    }

    public int status() { return status; }
    public String type() { return type; }
    public String param() { return param; }
    public String code() { return code; }
}
