package dev.strata.eval.yaml;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * lm-eval's {@code exact_match} (HF evaluate's): each of {@code regexes_to_ignore} is deleted from
 * prediction and reference alike (Python {@code re.sub}), then optional lower-casing, removal of
 * {@code string.punctuation} and of digits, then plain string equality. Nothing else is stripped.
 */
record ExactMatch(List<Pattern> regexesToIgnore, boolean ignoreCase, boolean ignorePunctuation, boolean ignoreNumbers) {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    static final ExactMatch PLAIN = new ExactMatch(List.of(), false, false, false);

    boolean matches(String prediction, String reference) {
        return normalize(prediction).equals(normalize(reference));
    }

    String normalize(String s) {
        for (Pattern p : regexesToIgnore) s = p.matcher(s).replaceAll("");
        if (ignoreCase) s = s.toLowerCase(Locale.ROOT);
        if (ignorePunctuation) s = remove(s, PUNCTUATION);
        if (ignoreNumbers) s = remove(s, "0123456789");
        return s;
    }

    private static String remove(String s, String chars) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) < 0) b.append(s.charAt(i));
        return b.toString();
    }
}
