package dev.strata.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Resolves Python's str and dict methods that HF templates call ({@code content.startswith('x')},
 * {@code s.split('</think>')}, {@code d.get(k, default)}). Jinjava would otherwise call the Java
 * method of the same name, which is missing or, for {@code split}, has regex semantics.
 * It is placed before Jinjava's own resolver and only claims the calls it handles.
 */
public final class ChatTemplatePythonMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) return null;
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof String s) {
            result = stringMethod(s, method.toString(), args);
        } else if (base instanceof Map<?, ?> map && method.toString().equals("get") && args.length == 2) {
            result = map.containsKey(args[0]) ? map.get(args[0]) : args[1];
        } else {
            return null;
        }
        if (result == NOT_HANDLED) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object stringMethod(String s, String name, Object[] args) {
        return switch (name) {
            case "strip" -> args.length == 0 ? s.strip() : stripChars(s, str(args[0]), true, true);
            case "lstrip" -> args.length == 0 ? s.stripLeading() : stripChars(s, str(args[0]), true, false);
            case "rstrip" -> args.length == 0 ? s.stripTrailing() : stripChars(s, str(args[0]), false, true);
            case "startswith" -> matchesAny(args[0], s::startsWith);
            case "endswith" -> matchesAny(args[0], s::endsWith);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "split" -> split(s, args.length > 0 ? args[0] : null, args.length > 1 ? ((Number) args[1]).intValue() : -1);
            case "replace" -> replace(s, str(args[0]), str(args[1]), args.length > 2 ? ((Number) args[2]).intValue() : -1);
            case "find" -> (long) s.indexOf(str(args[0]));
            case "count" -> count(s, str(args[0]));
            case "join" -> join(s, args[0]);
            case "isspace" -> !s.isEmpty() && s.isBlank();
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            default -> NOT_HANDLED;
        };
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static boolean matchesAny(Object prefixes, java.util.function.Predicate<String> test) {
        if (prefixes instanceof Collection<?> options) {
            for (Object option : options) if (test.test(str(option))) return true;
            return false;
        }
        return test.test(str(prefixes));
    }

    private static String stripChars(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && chars.indexOf(s.charAt(start)) >= 0) start++;
        while (right && end > start && chars.indexOf(s.charAt(end - 1)) >= 0) end--;
        return s.substring(start, end);
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousIsLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousIsLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousIsLetter = Character.isLetter(c);
        }
        return out.toString();
    }

    /** Python str.split: no separator splits on whitespace runs; a separator splits literally, keeping empty parts. */
    private static List<String> split(String s, Object separator, int maxSplit) {
        List<String> parts = new ArrayList<>();
        if (separator == null) {
            for (String part : s.strip().split("\\s+", maxSplit < 0 ? 0 : maxSplit + 1)) {
                if (!part.isEmpty()) parts.add(part);
            }
            return parts;
        }
        String sep = separator.toString();
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        int from = 0;
        int index;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (index = s.indexOf(sep, from)) >= 0) {
            parts.add(s.substring(from, index));
            from = index + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static String replace(String s, String old, String replacement, int maxCount) {
        if (maxCount < 0) return s.replace(old, replacement);
        StringBuilder out = new StringBuilder();
        int from = 0;
        int index;
        int done = 0;
        while (done < maxCount && !old.isEmpty() && (index = s.indexOf(old, from)) >= 0) {
            out.append(s, from, index).append(replacement);
            from = index + old.length();
            done++;
        }
        return out.append(s.substring(from)).toString();
    }

    private static long count(String s, String needle) {
        if (needle.isEmpty()) return s.length() + 1L;
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
        return n;
    }

    private static String join(String separator, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> iterable) for (Object item : iterable) parts.add(str(item));
        return String.join(separator, parts);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) { return null; }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) { return null; }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) { return true; }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) { return null; }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) { return null; }
}
