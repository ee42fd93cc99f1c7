package io.velo.plan.logical;

import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import java.util.ArrayList;
import java.util.List;

/** The SELECT list: {@code *}, {@code alias.*} or expressions with their aliases (one aliased {@code _event_time} is the event time). */
public record Project(LogicalNode input, List<Query.SelectItem> items) implements LogicalNode {
    public Project {
        items = List.copyOf(items);
    }

    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Project(LogicalNode.only(inputs), items);
    }

    @Override
    public String describe() {
        List<String> desc = new ArrayList<>();
        for (Query.SelectItem it : items) {
            if (it.star()) {
                desc.add(it.starQualifier() == null ? "*" : it.starQualifier() + ".*");
            } else if (it.alias() != null && it.alias().equalsIgnoreCase("_event_time")) {
                desc.add(SqlPrinter.print(it.expr()) + " AS _event_time");
            } else {
                desc.add(SqlPrinter.print(it.expr()) + (it.alias() != null ? " AS " + it.alias() : ""));
            }
        }
        return "Project " + String.join(", ", desc);
    }
}
