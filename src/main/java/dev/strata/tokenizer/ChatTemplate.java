package dev.strata.tokenizer;

import dev.strata.StrataException;
import dev.strata.gguf.GgufFile;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's Jinja chat template (HF {@code tokenizer_config.json} / GGUF {@code tokenizer.chat_template}),
 * rendered with the variables HF and llama.cpp provide: {@code messages}, {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, and the globals {@code raise_exception} and {@code strftime_now}.
 */
public final class ChatTemplate {
    /** llama.cpp's default when a model carries no template. */
    public static final String CHATML = """
            {%- for message in messages -%}
            {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
            {{- '<|im_start|>assistant\\n' -}}
            {%- endif -%}
            """;

    private final String source;
    private final String jinjavaSource;
    private final String sourceProblem;
    private final String bosToken;
    private final String eosToken;
    private final boolean fallback;
    private final Clock clock;

    public ChatTemplate(String source, String bosToken, String eosToken) {
        this(source, bosToken, eosToken, false, Clock.systemDefaultZone());
    }

    private ChatTemplate(String source, String bosToken, String eosToken, boolean fallback, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        // A template over the limits only fails when used: the model still loads for plain completion.
        this.sourceProblem = ChatTemplateLimits.problem(source);
        this.jinjavaSource = sourceProblem == null ? ChatTemplatePreprocessor.preprocess(source) : null;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.fallback = fallback;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads {@code tokenizer.chat_template}; a model without one gets ChatML, as in llama.cpp. */
    public static ChatTemplate fromGguf(GgufFile file, String bosText, String eosText) {
        String source = file.getString("tokenizer.chat_template", null);
        if (source == null || source.isBlank()) return new ChatTemplate(CHATML, bosText, eosText, true, Clock.systemDefaultZone());
        return new ChatTemplate(source, bosText, eosText);
    }

    /** The same template with {@code strftime_now} (today's date in Llama 3.2-style templates) read from {@code clock}. */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, bosToken, eosToken, fallback, clock);
    }

    /** True when the model had no template and ChatML is used instead. */
    public boolean isFallback() { return fallback; }

    public String source() { return source; }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * @param extraVariables further template variables (e.g. {@code date_string}, {@code tools}); they
     *     override the defaults
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraVariables) {
        return renderMaps(toTemplateMessages(messages), addGenerationPrompt, extraVariables);
    }

    /**
     * Renders messages given as the template sees them (maps with role, content and, for tool use,
     * tool_calls, tool_call_id or name).
     */
    public String renderMaps(List<Map<String, Object>> messages, boolean addGenerationPrompt, Map<String, Object> extraVariables) {
        if (sourceProblem != null) throw new StrataException(sourceProblem);
        Map<String, Object> variables = new HashMap<>();
        variables.put("messages", messages);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("bos_token", bosToken);
        variables.put("eos_token", eosToken);
        // In HF these globals are callables, so `strftime_now is defined` holds; Jinjava resolves the
        // calls through its function table, and the variables only make the definedness test agree.
        variables.put("raise_exception", "raise_exception");
        variables.put("strftime_now", "strftime_now");
        // llama.cpp's firefunction-v2 handler provides these two; the template concatenates them unguarded.
        variables.put("datetime", ChatTemplateFunctions.strftime(ZonedDateTime.now(clock), "%b %d %Y %H:%M:%S GMT"));
        variables.put("functions", "");
        variables.putAll(extraVariables);
        return ChatTemplateLimits.withinTimeLimit(() -> ChatTemplateEngine.render(jinjavaSource, variables, clock));
    }

    public static List<Map<String, Object>> toTemplateMessages(List<ChatMessage> messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            out.add(map);
        }
        return out;
    }
}
