package dev.strata.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Jinja2 features that Jinjava 2.7 lacks or implements differently from HF's renderer. */
final class ChatTemplateExtensions {
    private ChatTemplateExtensions() {}

    /** {@code tojson} with Python's separators and {@code indent=} support; Jinjava's drops both. */
    static final class ToJsonFilter implements Filter {
        @Override
        public String getName() { return "tojson"; }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            int indent = args.length > 0 ? Integer.parseInt(args[0]) : 0;
            return ChatTemplateJson.toJson(var, indent);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
            return ChatTemplateJson.toJson(var, indent instanceof Number n ? n.intValue() : 0);
        }
    }

    /** Jinja2's {@code items} filter: a mapping's (key, value) pairs; Jinjava has none. */
    static final class ItemsFilter implements Filter {
        @Override
        public String getName() { return "items"; }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<List<Object>> pairs = new ArrayList<>();
            if (var instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) pairs.add(List.of(e.getKey(), e.getValue() == null ? "" : e.getValue()));
            }
            return pairs;
        }
    }

    /** Jinja2 3.x {@code indent(width=4, first=False, blank=False)}; Jinjava only knows {@code indentfirst}. */
    static final class IndentFilter implements Filter {
        @Override
        public String getName() { return "indent"; }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object width = kwargs.getOrDefault("width", args.length > 0 ? args[0] : 4L);
            boolean first = truthy(kwargs.getOrDefault("first", kwargs.getOrDefault("indentfirst", args.length > 1 ? args[1] : false)));
            boolean blank = truthy(kwargs.getOrDefault("blank", args.length > 2 ? args[2] : false));
            String indentation = width instanceof Number n ? " ".repeat(n.intValue())
                    : width.toString().chars().allMatch(Character::isDigit) ? " ".repeat(Integer.parseInt(width.toString()))
                    : width.toString();
            String[] lines = (String.valueOf(var) + "\n").split("\n", -1);
            int count = lines.length - 1; // the appended newline mirrors Jinja2's splitlines() quirk
            StringBuilder out = new StringBuilder(lines[0]);
            for (int i = 1; i < count; i++) {
                out.append('\n');
                if (blank || !lines[i].isEmpty()) out.append(indentation);
                out.append(lines[i]);
            }
            return first ? indentation + out : out.toString();
        }

        private static boolean truthy(Object o) {
            return o instanceof Boolean b ? b : o != null && Boolean.parseBoolean(o.toString());
        }
    }

    /** {@code {% filter name(args) %}...{% endfilter %}}: renders the body, then applies the filter expression. */
    static final class FilterBlockTag implements Tag {
        private static final String BODY_VARIABLE = "__strata_filter_body";

        @Override
        public String getName() { return "filter"; }

        @Override
        public String getEndTagName() { return "endfilter"; }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder body = new StringBuilder();
            for (Node child : tagNode.getChildren()) body.append(child.render(interpreter).getValue());
            String filterExpression = tagNode.getHelpers().trim();
            if (filterExpression.isEmpty()) throw new StrataException("chat template: {% filter %} needs a filter name");
            try (JinjavaInterpreter.InterpreterScopeClosable ignored = interpreter.enterScope()) {
                interpreter.getContext().put(BODY_VARIABLE, body.toString());
                Object filtered = interpreter.resolveELExpression(BODY_VARIABLE + "|" + filterExpression, tagNode.getLineNumber());
                return filtered == null ? "" : filtered.toString();
            }
        }
    }

    /**
     * {@code {% break %}} (Jinja2's loopcontrols extension) parses, but Jinjava's for-loop cannot be
     * exited early, so reaching it fails the render with a clear message instead of looping on silently.
     */
    static final class BreakTag implements Tag {
        @Override
        public String getName() { return "break"; }

        @Override
        public String getEndTagName() { return null; }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            throw new StrataException("chat template uses {% break %} at line " + tagNode.getLineNumber()
                    + ", which Strata's template engine does not support");
        }
    }
}
