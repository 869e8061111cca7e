package dev.strata.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariantTest {
    @Test
    void parsesTheIssuesExample() {
        List<Variant> v = Variant.parseList("base;dup:3-5;skip:2;experts=1;dup:1-2+experts=1;kernels=scalar");
        assertEquals(List.of(Variant.BASE, new Variant("dup:3-5", 0, null, null), new Variant("skip:2", 0, null, null),
                new Variant(null, 1, null, null), new Variant("dup:1-2", 1, null, null), new Variant(null, 0, "scalar", null)), v);
        assertEquals(List.of("base", "dup:3-5", "skip:2", "experts=1", "dup:1-2+experts=1", "kernels=scalar"),
                v.stream().map(Variant::canonical).toList());
    }

    /** The canonical form does not depend on term order, spacing or spelled-out defaults, and round-trips. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "experts=1 + dup:1-2         | dup:1-2+experts=1",
        "layers=dup:1-2+experts=1    | dup:1-2+experts=1",
        "dup:1-2 + skip:4            | dup:1-2,skip:4",
        "base+attention=full         | base",
        "kernels=panama+0-3, 2-3     | 0-3,2-3+kernels=panama",
        "attention=window64+skip:1   | skip:1+attention=window64",
    })
    void canonicalFormIsStable(String text, String canonical) {
        Variant v = Variant.parse(text);
        assertEquals(canonical, v.canonical());
        assertEquals(v, Variant.parse(v.canonical()));
    }

    /** Hashes against SHA-256 computed outside Java (Python hashlib) over the canonical strings. */
    @Test
    void hashIsTheShortSha256OfTheCanonicalForm() {
        assertEquals("cae662172fd4", Variant.BASE.hash());
        assertEquals("587c7003da98", Variant.parse("dup:3-5").hash());
        assertEquals("b61303fbca56", Variant.parse("experts=1+dup:1-2").hash());
        assertEquals("d562a86082e8", Variant.parse("kernels=scalar").hash());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "base;;skip:1          | empty variant",
        "experts=0             | positive whole number",
        "experts=two           | positive whole number",
        "speed=fast            | unknown variant setting 'speed'",
        "dup:1+                | empty term",
        "base;skip:1;base      | listed twice",
        "kernels=              | needs a value",
    })
    void badTextGivesOneLineErrors(String text, String message) {
        StrataException e = assertThrows(StrataException.class, () -> Variant.parseList(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
