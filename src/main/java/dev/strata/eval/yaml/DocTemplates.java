package dev.strata.eval.yaml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.strata.StrataException;
import dev.strata.tokenizer.ChatTemplatePythonMethods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * lm-eval's {@code doc_to_text}, {@code doc_to_target} and {@code doc_to_choice}: a field name returns
 * the field, anything else is a Jinja template rendered with the doc's fields (jinja2 with
 * StrictUndefined and keep_trailing_newline, as lm-eval's {@code apply_template}); Python's string
 * methods ({@code answer.split('####')[-1].strip()}) work as in the chat templates.
 */
final class DocTemplates {
    private DocTemplates() {}

    private static final Jinjava JINJAVA = create();
    private static final ObjectMapper PY_LITERAL = new ObjectMapper(new YAMLFactory());

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new ChatTemplatePythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        LegacyOverrides python = LegacyOverrides.newBuilder()
                .withUsePyishObjectMapper(true)
                .withParseWhitespaceControlStrictly(true)
                .withUseNaturalOperatorPrecedence(true)
                .withKeepNullableLoopValues(true)
                .withEvaluateMapKeys(true)
                .withIterateOverMapKeys(true)
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withLegacyOverrides(python)
                .withElResolver(resolver)
                .build();
        return new Jinjava(config);
    }

    static String render(String template, Map<String, Object> doc) {
        RenderResult r;
        try {
            r = JINJAVA.renderForResult(template, doc);
        } catch (RuntimeException e) {
            throw new StrataException("template '" + abbreviate(template) + "' failed: " + e.getMessage(), e);
        }
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new StrataException("template '" + abbreviate(template) + "': " + e.getMessage());
            }
        }
        return r.getOutput();
    }

    /** doc_to_text: a field, or a rendered template. */
    static String text(Object spec, Map<String, Object> doc) {
        if (spec instanceof String s) return doc.containsKey(s) ? String.valueOf(doc.get(s)) : render(s, doc);
        throw new StrataException("doc_to_text must be a field name or a template, got " + spec);
    }

    /**
     * doc_to_target: a field (kept as is: an index stays an int), an int, or a rendered template that
     * becomes an int when it is all digits and the task has choices.
     */
    static Object target(Object spec, Map<String, Object> doc, boolean hasChoices) {
        if (spec instanceof Number || spec instanceof List<?>) return spec;
        if (!(spec instanceof String s)) throw new StrataException("doc_to_target must be a field name, an index or a template, got " + spec);
        if (doc.containsKey(s)) return doc.get(s);
        String out = render(s, doc);
        if (hasChoices && !out.isEmpty() && out.chars().allMatch(Character::isDigit)) return Integer.parseInt(out);
        if (out.length() >= 2 && out.startsWith("[") && out.endsWith("]")) {
            try {
                return PY_LITERAL.readValue(out, List.class);
            } catch (Exception e) {
                return out;
            }
        }
        return out;
    }

    /** doc_to_choice: a list, a mapping (its values), a list field, or a template rendering a list literal. */
    static List<String> choices(Object spec, Map<String, Object> doc) {
        Object list = spec;
        if (spec instanceof Map<?, ?> m) list = new ArrayList<>(m.values());
        else if (spec instanceof String s) {
            if (doc.containsKey(s)) list = doc.get(s);
            else {
                String out = render(s, doc);
                try {
                    list = PY_LITERAL.readValue(out, List.class);
                } catch (Exception e) {
                    throw new StrataException("doc_to_choice rendered '" + abbreviate(out) + "', which is not a list");
                }
            }
        }
        if (!(list instanceof List<?> l)) throw new StrataException("doc_to_choice must give a list, got " + list);
        return l.stream().map(String::valueOf).toList();
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
