package io.velo.exec.join;

/**
 * A table a query reads (a join's, a subquery's): the job's source loads its current contents as it
 * opens ({@link JoinedSource}), before the first stream record, and closes its feed at the end.
 */
public interface TableInput {
    /** Loads the table's current contents, once. */
    void bootstrap();

    /** Closes the table's feed (its consumer or file), once. */
    void close();
}
