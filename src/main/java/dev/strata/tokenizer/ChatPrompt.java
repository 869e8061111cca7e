package dev.strata.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation rendered by its chat template and tokenized so that the template's own markers are special
 * tokens while message content stays text: a user who types {@code <|im_end|>} cannot close their own turn.
 * With parseSpecialInContent the whole rendering is parsed for special tokens, as llama.cpp does.
 */
public final class ChatPrompt {
    private static final char OPEN = '\uE000', CLOSE = '\uE001';

    private ChatPrompt() {}

    public static int[] tokens(ChatTemplate template, Tokenizer tokenizer, List<ChatMessage> messages, boolean addGenerationPrompt,
                               boolean parseSpecialInContent) {
        return tokens(template, tokenizer, ChatTemplate.toTemplateMessages(messages), Map.of(), addGenerationPrompt, parseSpecialInContent);
    }

    /** Messages as the template sees them (maps with role, content and, for tool use, tool_calls and the like). */
    public static int[] tokens(ChatTemplate template, Tokenizer tokenizer, List<Map<String, Object>> messages, Map<String, Object> variables,
                               boolean addGenerationPrompt, boolean parseSpecialInContent) {
        String rendered = template.renderMaps(messages, addGenerationPrompt, variables);
        if (parseSpecialInContent) return tokenizer.encode(rendered, false, true);
        return tokenizer.encode(rendered, false, true, contentRanges(template, messages, variables, addGenerationPrompt, rendered));
    }

    private static String content(Map<String, Object> message) {
        return message.get("content") instanceof String s ? s : null;
    }

    /**
     * Where each message's content lies in the rendering. Rendering once more with numbered placeholders gives the
     * template's own text between contents; when the template used the contents verbatim, that text interleaved
     * with the contents is the rendering and the ranges are exact. Otherwise (a template that trims or rewrites
     * content) each content is searched for in order.
     */
    static List<int[]> contentRanges(ChatTemplate template, List<Map<String, Object>> messages, Map<String, Object> variables,
                                     boolean addGenerationPrompt, String rendered) {
        List<Map<String, Object>> marked = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>(messages.get(i));
            if (content(m) != null) m.put("content", OPEN + Integer.toString(i) + CLOSE);
            marked.add(m);
        }
        String skeleton;
        try {
            skeleton = template.renderMaps(marked, addGenerationPrompt, variables);
        } catch (RuntimeException e) {
            return searched(messages, rendered);
        }
        List<int[]> ranges = new ArrayList<>();
        StringBuilder rebuilt = new StringBuilder(rendered.length());
        int at = 0;
        for (int open; (open = skeleton.indexOf(OPEN, at)) >= 0; ) {
            int close = skeleton.indexOf(CLOSE, open);
            if (close < 0) return searched(messages, rendered);
            int index;
            try {
                index = Integer.parseInt(skeleton.substring(open + 1, close));
            } catch (NumberFormatException e) {
                return searched(messages, rendered);
            }
            if (index < 0 || index >= messages.size() || content(messages.get(index)) == null) return searched(messages, rendered);
            rebuilt.append(skeleton, at, open);
            String content = content(messages.get(index));
            ranges.add(new int[] {rebuilt.length(), rebuilt.length() + content.length()});
            rebuilt.append(content);
            at = close + 1;
        }
        rebuilt.append(skeleton, at, skeleton.length());
        return rebuilt.toString().equals(rendered) ? ranges : searched(messages, rendered);
    }

    private static List<int[]> searched(List<Map<String, Object>> messages, String rendered) {
        List<int[]> ranges = new ArrayList<>();
        int from = 0;
        for (Map<String, Object> m : messages) {
            String content = content(m) == null ? "" : content(m).strip();
            if (content.isEmpty()) continue;
            int at = rendered.indexOf(content, from);
            if (at < 0) continue;
            ranges.add(new int[] {at, at + content.length()});
            from = at + content.length();
        }
        return ranges;
    }
}
