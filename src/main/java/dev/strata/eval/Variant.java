package dev.strata.eval;

import dev.strata.StrataException;
import dev.strata.tools.quantize.LayerTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What runs, as data: a layer path (null = the model's own), experts per token (0 = the model's),
 * a kernel set (null = the run's) and an attention mode ("full" until sparse attention lands).
 *
 * <p>Textual form, as {@code --variants} takes it: variants separated by {@code ;}, each made of
 * terms joined by {@code +}. A term is {@code base} (changes nothing), {@code experts=K},
 * {@code kernels=NAME}, {@code attention=MODE}, {@code layers=SPEC}, or a bare layer-path spec
 * such as {@code dup:3-5}, {@code skip:2} or {@code 0-3,2-3} (several path terms are joined with
 * commas), or {@code quant:LAYERS=TYPE}: those layers' weights requantized in memory to TYPE
 * ({@code quant:2=Q4_0}, {@code quant:0-1=Q8_0}, {@code quant:*=Q4_K}; several quant terms apply in
 * order, see {@link LayerTypes}). Example:
 * {@code base;dup:3-5;skip:2;experts=1;dup:1-2+experts=1;kernels=scalar;quant:*=Q4_0}.
 *
 * <p>{@link #canonical()} lists only what differs from the defaults, in a fixed order, so a field
 * added later leaves existing variants' names and hashes unchanged.
 */
public record Variant(String layers, int expertsPerToken, String kernels, String attention, String quant) {
    public static final String FULL_ATTENTION = "full";
    public static final Variant BASE = new Variant(null, 0, null, FULL_ATTENTION);

    public Variant {
        layers = layers == null || layers.isBlank() ? null : layers.replaceAll("\\s+", "");
        kernels = kernels == null || kernels.isBlank() ? null : kernels.strip();
        attention = attention == null || attention.isBlank() ? FULL_ATTENTION : attention.strip();
        if (expertsPerToken < 0) throw new StrataException("experts per token must be 1 or more, got " + expertsPerToken);
        quant = quant == null || quant.isBlank() ? null : LayerTypes.parse(quant).canonical();
    }

    /** A variant that keeps the source's weight types. */
    public Variant(String layers, int expertsPerToken, String kernels, String attention) {
        this(layers, expertsPerToken, kernels, attention, null);
    }

    /** The per-layer weight types, or null for the source's. */
    public LayerTypes layerTypes() {
        return quant == null ? null : LayerTypes.parse(quant);
    }

    /** Parses a {@code ;}-separated list; duplicates (by canonical form) are an error, since they would pair an item with itself. */
    public static List<Variant> parseList(String text) {
        if (text == null || text.isBlank()) throw new StrataException("--variants is empty");
        List<Variant> out = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (String part : text.split(";", -1)) {
            Variant v = parse(part);
            if (!seen.add(v.canonical())) throw new StrataException("variant '" + v.canonical() + "' is listed twice in --variants");
            out.add(v);
        }
        return out;
    }

    public static Variant parse(String text) {
        if (text == null || text.isBlank()) throw new StrataException("empty variant in --variants (two ';' in a row?)");
        List<String> path = new ArrayList<>(), quant = new ArrayList<>();
        int experts = 0;
        String kernels = null, attention = null;
        for (String raw : text.split("\\+", -1)) {
            String term = raw.strip();
            if (term.isEmpty()) throw new StrataException("empty term in variant '" + text.strip() + "'");
            if (term.equals("base")) continue;
            if (term.startsWith("quant:")) {
                quant.add(term.substring("quant:".length()));
                continue;
            }
            int eq = term.indexOf('=');
            if (eq < 0) {
                path.add(term);
                continue;
            }
            String key = term.substring(0, eq).strip(), value = term.substring(eq + 1).strip();
            if (value.isEmpty()) throw new StrataException("'" + key + "=' needs a value in variant '" + text.strip() + "'");
            switch (key) {
                case "experts" -> experts = positive(value, text);
                case "kernels" -> kernels = value;
                case "attention" -> attention = value;
                case "layers" -> path.add(value);
                default -> throw new StrataException("unknown variant setting '" + key + "' in '" + text.strip()
                        + "' (use experts=, kernels=, attention=, layers=, quant:LAYERS=TYPE or a layer path such as dup:3-5)");
            }
        }
        return new Variant(path.isEmpty() ? null : String.join(",", path), experts, kernels, attention,
                quant.isEmpty() ? null : String.join(",", quant));
    }

    private static int positive(String value, String text) {
        try {
            int k = Integer.parseInt(value);
            if (k >= 1) return k;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StrataException("experts= needs a positive whole number, got '" + value + "' in variant '" + text.strip() + "'");
    }

    /** The stable name: "base" or the non-default settings joined by '+', e.g. {@code dup:1-2+experts=1}. */
    public String canonical() {
        List<String> terms = new ArrayList<>();
        if (layers != null) terms.add(layers);
        if (expertsPerToken != 0) terms.add("experts=" + expertsPerToken);
        if (kernels != null) terms.add("kernels=" + kernels);
        if (!attention.equals(FULL_ATTENTION)) terms.add("attention=" + attention);
        if (quant != null) for (String entry : quant.split(",")) terms.add("quant:" + entry);
        return terms.isEmpty() ? "base" : String.join("+", terms);
    }

    /** The first 12 hex digits of SHA-256 over the canonical form: short enough for tables and file names. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kernel set this variant runs with, given the run's default. */
    public String kernelsOr(String runDefault) {
        return kernels != null ? kernels : runDefault;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
