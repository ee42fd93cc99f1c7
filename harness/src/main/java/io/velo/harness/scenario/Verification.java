package io.velo.harness.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.scenario.Scenario.CheckType;
import java.math.BigDecimal;
import java.util.List;

/**
 * What {@link Oracle} found when it compared a run's output with what the scenario's check expects.
 *
 * @param recordsIn input records the oracle was told were sent
 * @param recordsOut output rows observed (malformed ones included)
 * @param expected for {@code ids}: ids expected in the output; for {@code totals}: matching input records
 * @param lost expected ids never seen ({@code ids} only)
 * @param duplicates extra copies of ids seen more than once ({@code ids} only): a row seen three times counts 2
 * @param unexpected rows whose id was not expected (filtered out, malformed input, never sent), each copy counted
 * @param malformedOutputs rows that are not JSON objects or lack a readable check column
 * @param mismatches totals whose output value differs from the exact input value
 * @param verified true exactly when {@code problems} is empty
 * @param problems human-readable findings, with example ids
 */
public record Verification(CheckType check, long recordsIn, long recordsOut, long expected, long lost, long duplicates,
                           long unexpected, long malformedOutputs, List<TotalMismatch> mismatches, boolean verified,
                           List<String> problems) {

    /** A total ({@code count} or a summed column) whose output differs from the input's exact value. */
    public record TotalMismatch(String name, BigDecimal expected, BigDecimal actual) {
        @Override
        public String toString() {
            return name + ": expected " + expected.toPlainString() + ", output " + actual.toPlainString();
        }
    }

    /** The fields the result file carries ({@code records_out}, {@code lost}, ...), plus the details. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("check", check.id());
        o.put("records_in", recordsIn);
        o.put("records_out", recordsOut);
        o.put("expected", expected);
        o.put("lost", lost);
        o.put("duplicates", duplicates);
        o.put("unexpected", unexpected);
        o.put("malformed_outputs", malformedOutputs);
        ArrayNode m = o.putArray("mismatches");
        for (TotalMismatch t : mismatches) {
            m.addObject().put("name", t.name()).put("expected", t.expected().toPlainString()).put("actual", t.actual().toPlainString());
        }
        o.put("verified", verified);
        ArrayNode p = o.putArray("problems");
        problems.forEach(p::add);
        return o;
    }
}
