package dev.strata.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What all tokenizers share: special-token splitting and piece rendering by token type. */
abstract class BaseTokenizer implements Tokenizer {
    private static final byte[] EMPTY = new byte[0];

    protected final Vocabulary vocab;
    private final SpecialTokenSplitter splitter;
    private final byte[][] pieces;

    BaseTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.pieces = new byte[vocab.size()][];
    }

    @Override
    public Vocabulary vocab() {
        return vocab;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        encodeFragments(splitter.split(text, parseSpecial), addSpecial, out);
        return out.toArray();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial, List<int[]> textOnly) {
        IntList out = new IntList(text.length() / 3 + 4);
        encodeFragments(splitter.split(text, parseSpecial, textOnly), addSpecial, out);
        return out.toArray();
    }

    /** Tokenizes the fragments in order, adding the model's special tokens when asked. */
    abstract void encodeFragments(List<Fragment> fragments, boolean addSpecial, IntList out);

    /** The bytes of a normal token's text (undoing the model's whitespace or byte escaping). */
    abstract byte[] normalPiece(String text);

    @Override
    public byte[] piece(int id, boolean renderSpecial) {
        if (id < 0 || id >= vocab.size()) throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocab.size());
        TokenType type = vocab.type(id);
        boolean special = vocab.isControl(id) || type == TokenType.UNKNOWN;
        if (special && !renderSpecial) return EMPTY;
        byte[] cached = pieces[id];
        if (cached == null) {
            cached = renderPiece(id, type, special);
            pieces[id] = cached;
        }
        return cached.clone();
    }

    private byte[] renderPiece(int id, TokenType type, boolean special) {
        String text = vocab.text(id);
        if (special || type == TokenType.USER_DEFINED) return text.getBytes(StandardCharsets.UTF_8);
        return switch (type) {
            case NORMAL -> normalPiece(text);
            case BYTE -> byteTokenValue(text);
            default -> EMPTY;
        };
    }

    /** A byte token {@code <0xNN>} stands for the byte NN; other texts in a byte slot stand for themselves. */
    private static byte[] byteTokenValue(String text) {
        boolean hex = text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")
                && Character.digit(text.charAt(3), 16) >= 0 && Character.digit(text.charAt(4), 16) >= 0;
        return hex ? new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)} : text.getBytes(StandardCharsets.UTF_8);
    }

    static String escapeSpaces(String text) {
        return text.replace(' ', '\u2581');
    }

    static byte[] unescapeSpaces(String text) {
        return text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }
}
