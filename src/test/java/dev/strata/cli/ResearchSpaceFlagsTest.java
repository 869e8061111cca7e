package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quant and train spaces' flags: misuse is one line on stderr and exit 1, before anything trains or loads. */
class ResearchSpaceFlagsTest {
    @TempDir Path temp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--train-grid lr=0                                        | need --space train",
        "--space train                                            | --train-grid is empty",
        "--space train --train-grid lr=0                          | needs --train-steps N or --train-budget TIME",
        "--space train --train-grid width=3 --train-steps 5       | unknown train setting 'width'",
        "--space train --train-grid lr=0 --train-steps 5 --candidates base | not --candidates",
        "--space train --train-grid lr=0 --train-steps 5 -m x.gguf | drop -m",
        "--space quant,train                                      | stands alone",
        "--space quant --quant-types Q3_K                         | unknown or unsupported type 'Q3_K'",
    })
    void misuseIsAOneLineError(String args, String message) {
        String[] argv = ("research --out " + temp.resolve("r") + " " + args.strip()).split("\\s+");
        CliTest.Result r = CliTest.run(argv);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
