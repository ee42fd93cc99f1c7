package io.velo.harness.pipeline;

/**
 * What one run of a query produced: the row count, the cheap fold both sides pay inside the timed
 * section (the sum of one long per output row), and — only when asked for, outside the timed section
 * — the order-independent checksum over every output column. Late and failed records are counted so
 * the books can be compared too.
 */
public final class Answer {
    public long rows;
    public long fold;
    public long checksum;
    public long late;
    public long failed;

    /** True when both runs produced the same rows and fold (the timed runs are checked this way). */
    boolean sameFold(Answer o) {
        return rows == o.rows && fold == o.fold;
    }

    /** True when both full answers agree: rows, checksum over all columns, fold, late and failed. */
    boolean sameFull(Answer o) {
        return sameFold(o) && checksum == o.checksum && late == o.late && failed == o.failed;
    }

    @Override
    public String toString() {
        return rows + " rows, checksum " + checksum + ", fold " + fold + ", late " + late + ", failed " + failed;
    }
}
