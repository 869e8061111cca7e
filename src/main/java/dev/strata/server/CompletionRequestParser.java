package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.StrataException;
import dev.strata.sample.SamplerConfig;
import dev.strata.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns an OpenAI-style JSON body into a {@link CompletionRequest}, refusing bad values with a 400. */
final class CompletionRequestParser {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final int MAX_STOP_STRINGS = 16;

    private final ModelNames names;
    private final int contextSize;
    private final int vocabSize;
    private final String defaultLayers;
    private final int defaultExpertsPerToken;
    private final Map<String, ServerConfig.NamedPlan> plans;

    CompletionRequestParser(ModelNames names, int contextSize, int vocabSize, String defaultLayers, int defaultExpertsPerToken) {
        this(names, contextSize, vocabSize, defaultLayers, defaultExpertsPerToken, Map.of());
    }

    CompletionRequestParser(ModelNames names, int contextSize, int vocabSize, String defaultLayers, int defaultExpertsPerToken,
                            Map<String, ServerConfig.NamedPlan> plans) {
        this.plans = plans;
        this.names = names;
        this.contextSize = contextSize;
        this.vocabSize = vocabSize;
        this.defaultLayers = defaultLayers;
        this.defaultExpertsPerToken = defaultExpertsPerToken;
    }

    CompletionRequest parse(JsonNode body, boolean chat) {
        RequestFields.check(body, chat);
        checkModel(JsonFields.string(body, "model"));
        List<ChatMessage> messages = chat ? messages(body) : null;
        String prompt = chat ? null : prompt(body);
        Long n = JsonFields.integer(body, "n");
        if (n != null && n != 1) throw ApiException.invalidRequest("Only n=1 is supported, got " + n, "n");
        Integer maxTokens = maxTokens(body);
        List<String> stop = JsonFields.stringOrArray(body, "stop", MAX_STOP_STRINGS);
        boolean stream = Boolean.TRUE.equals(JsonFields.bool(body, "stream"));
        boolean includeUsage = false;
        if (JsonFields.given(body, "stream_options")) {
            JsonNode options = body.get("stream_options");
            if (!options.isObject()) throw ApiException.invalidRequest("'stream_options' must be an object", "stream_options");
            includeUsage = Boolean.TRUE.equals(JsonFields.bool(options, "include_usage"));
        }
        String layers = JsonFields.string(body, "layers");
        Long experts = JsonFields.integer(body, "experts_per_token");
        if (experts != null && (experts < 0 || experts > 4096)) {
            throw ApiException.invalidRequest("'experts_per_token' must be >= 0, got " + experts, "experts_per_token");
        }
        boolean ignoreEos = Boolean.TRUE.equals(JsonFields.bool(body, "ignore_eos"));
        String planName = JsonFields.string(body, "plan");
        if (planName != null) {
            if (layers != null || experts != null) throw ApiException.invalidRequest("give 'plan' or 'layers'/'experts_per_token', not both", "plan");
            ServerConfig.NamedPlan plan = plans.get(planName);
            if (plan == null) throw ApiException.invalidRequest("no plan named '" + planName + "'" + (plans.isEmpty() ? " (the server was started without --plans)"
                    : " (loaded: " + String.join(", ", new java.util.TreeSet<>(plans.keySet())) + ")"), "plan");
            layers = plan.layers();
            experts = (long) plan.expertsPerToken();
            if (layers == null) layers = defaultLayers;
        }
        ApiOptions options = ApiOptions.parse(body, chat, vocabSize);
        return new CompletionRequest(messages, prompt, sampling(body), maxTokens, stop, stream, includeUsage,
                layers == null ? defaultLayers : layers, experts == null ? defaultExpertsPerToken : experts.intValue(), ignoreEos, options);
    }

    void checkModel(String requested) {
        if (requested != null && !requested.isEmpty() && !names.answersTo(requested)) throw ApiException.modelNotFound(requested);
    }

    private static List<ChatMessage> messages(JsonNode body) {
        if (!JsonFields.given(body, "messages")) throw ApiException.invalidRequest("'messages' is required", "messages");
        JsonNode array = body.get("messages");
        if (!array.isArray() || array.isEmpty()) throw ApiException.invalidRequest("'messages' must be a non-empty array", "messages");
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject()) throw ApiException.invalidRequest(param + " must be an object", param);
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiException.invalidRequest(param + ".role must be one of " + ROLES, param + ".role");
            }
            out.add(new ChatMessage(role.asText(), content(m.get("content"), param + ".content")));
        }
        return out;
    }

    /** A string, or an array of {"type": "text", "text": ...} parts joined together. */
    static String content(JsonNode content, String param) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.invalidRequest(param + " parts must be {\"type\": \"text\", \"text\": ...}", param);
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.invalidRequest(param + " must be a string or an array of text parts", param);
    }

    private static String prompt(JsonNode body) {
        if (!JsonFields.given(body, "prompt")) throw ApiException.invalidRequest("'prompt' is required", "prompt");
        JsonNode p = body.get("prompt");
        if (p.isTextual()) return p.asText();
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) return p.get(0).asText();
        throw ApiException.invalidRequest("'prompt' must be a string (or an array holding one string)", "prompt");
    }

    private Integer maxTokens(JsonNode body) {
        String name = JsonFields.given(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Long value = JsonFields.integer(body, name);
        if (value == null) return null;
        if (value < 1 || value > contextSize) {
            throw ApiException.invalidRequest("'" + name + "' must be 1.." + contextSize + " (the context size), got " + value, name);
        }
        return value.intValue();
    }

    private static SamplerConfig sampling(JsonNode body) {
        try {
            return checkedSampling(body);
        } catch (StrataException e) {
            throw ApiException.invalidRequest(e.getMessage(), null);
        }
    }

    private static SamplerConfig checkedSampling(JsonNode body) {
        SamplerConfig config = SamplerConfig.defaults();
        Double temperature = JsonFields.number(body, "temperature");
        if (temperature != null) {
            if (temperature < 0 || temperature > 2) throw ApiException.invalidRequest("'temperature' must be 0..2, got " + temperature, "temperature");
            config = config.withTemperature(temperature.floatValue());
        }
        Double topP = JsonFields.number(body, "top_p");
        if (topP != null) {
            if (topP <= 0 || topP > 1) throw ApiException.invalidRequest("'top_p' must be in (0, 1], got " + topP, "top_p");
            config = config.withTopP(topP.floatValue());
        }
        Long topK = JsonFields.integer(body, "top_k");
        if (topK != null) {
            if (topK < 0 || topK > Integer.MAX_VALUE) throw ApiException.invalidRequest("'top_k' must be >= 0, got " + topK, "top_k");
            config = config.withTopK(topK.intValue());
        }
        Double minP = JsonFields.number(body, "min_p");
        if (minP != null) {
            if (minP < 0 || minP > 1) throw ApiException.invalidRequest("'min_p' must be 0..1, got " + minP, "min_p");
            config = config.withMinP(minP.floatValue());
        }
        Long seed = JsonFields.integer(body, "seed");
        if (seed != null) config = config.withSeed(seed);
        Double repeatPenalty = JsonFields.number(body, "repeat_penalty");
        Long repeatLastN = JsonFields.integer(body, "repeat_last_n");
        if (repeatPenalty != null || repeatLastN != null) {
            if (repeatPenalty != null && !(repeatPenalty > 0)) throw ApiException.invalidRequest("'repeat_penalty' must be > 0", "repeat_penalty");
            if (repeatLastN != null && (repeatLastN < -1 || repeatLastN > Integer.MAX_VALUE)) {
                throw ApiException.invalidRequest("'repeat_last_n' must be >= -1", "repeat_last_n");
            }
            config = config.withRepeatPenalty(repeatPenalty != null ? repeatPenalty.floatValue() : config.repeatPenalty(),
                    repeatLastN != null ? repeatLastN.intValue() : config.repeatLastN());
        }
        return config;
    }
}
