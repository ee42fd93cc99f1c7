package io.velo.sql.parser;

import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Expr.LiteralKind;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.Statement;
import io.velo.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hand-written recursive-descent parser for the Velo dialect (SPEC §3). Keywords are soft: only the
 * words in {@link #RESERVED} cannot be bare column names or implicit aliases, so type names and words
 * like {@code timestamp}, {@code key}, {@code value}, {@code name} work as column names.
 */
public final class Parser {
    static final Set<String> RESERVED = Set.of(
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "WINDOW", "EMIT", "WITH",
            "AS", "AND", "OR", "NOT", "JOIN", "ON", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "UNION",
            "CASE", "WHEN", "THEN", "ELSE", "END", "IN", "IS", "NULL", "BETWEEN", "LIKE", "DISTINCT", "INTO",
            "EXISTS", "TRUE", "FALSE", "WITHIN", "PRIMARY", "CREATE", "INSERT", "OVER");

    /** Real nesting (parentheses, subqueries, NOT, unary minus, wraps) is recursion: it is bounded. */
    static final int MAX_DEPTH = 200;

    private final List<Token> tokens;
    private int p;
    private int depth;

    private Parser(String sql) {
        this.tokens = Lexer.tokenize(sql);
    }

    /** Parses a script of {@code ;}-separated statements. */
    public static List<Statement> parseScript(String sql) {
        Parser parser = new Parser(sql);
        List<Statement> out = new ArrayList<>();
        while (true) {
            while (parser.accept(TokenType.SEMICOLON)) {
                // empty statements are fine
            }
            if (parser.peek().type() == TokenType.EOF) {
                return out;
            }
            out.add(parser.statement());
            if (parser.peek().type() != TokenType.EOF) {
                parser.expect(TokenType.SEMICOLON, "';' after the statement");
            }
        }
    }

    public static Expr parseExpression(String sql) {
        Parser parser = new Parser(sql);
        Expr e = parser.expr();
        parser.expect(TokenType.EOF, "end of expression");
        return e;
    }

    // ------------------------------------------------------------------ token helpers

    private Token peek() {
        return tokens.get(p);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(p);
        if (t.type() != TokenType.EOF) {
            p++;
        }
        return t;
    }

    private boolean accept(TokenType type) {
        if (peek().type() == type) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            next();
            return true;
        }
        return false;
    }

    private boolean atWord(String word) {
        return peek().isWord(word);
    }

    private Token expect(TokenType type, String what) {
        if (peek().type() != type) {
            throw error(peek(), "expected " + what + " but found " + peek().describe());
        }
        return next();
    }

    private Token expectWord(String word) {
        if (!peek().isWord(word)) {
            throw error(peek(), "expected " + word + " but found " + peek().describe());
        }
        return next();
    }

    private static SqlException error(Token t, String message) {
        return new SqlException(t.pos(), message);
    }

    private boolean isReserved(Token t) {
        return t.type() == TokenType.IDENT && RESERVED.contains(t.text().toUpperCase(Locale.ROOT));
    }

    /** An identifier: a non-reserved word or a quoted name. Unquoted names keep their spelling. */
    private String identifier(String what) {
        Token t = peek();
        if (t.type() == TokenType.QUOTED_IDENT || (t.type() == TokenType.IDENT && !isReserved(t))) {
            next();
            return t.text();
        }
        throw error(t, "expected " + what + " but found " + t.describe()
                + (isReserved(t) ? " (a reserved word: quote it as \"" + t.text() + "\" to use it as a name)" : ""));
    }

    /** A possibly dotted name such as {@code schema.topic_name}; keeps the dots. */
    private String qualifiedName(String what) {
        StringBuilder sb = new StringBuilder(identifier(what));
        while (peek().type() == TokenType.DOT && (peek(1).type() == TokenType.IDENT || peek(1).type() == TokenType.QUOTED_IDENT)) {
            next();
            sb.append('.').append(identifier(what));
        }
        return sb.toString();
    }

    private boolean atIdentifier() {
        Token t = peek();
        return t.type() == TokenType.QUOTED_IDENT || (t.type() == TokenType.IDENT && !isReserved(t));
    }

    // ------------------------------------------------------------------ statements

    private Statement statement() {
        Token t = peek();
        if (t.isWord("CREATE")) {
            return create();
        }
        if (t.isWord("INSERT")) {
            next();
            expectWord("INTO");
            Pos sinkPos = peek().pos();
            String sink = qualifiedName("sink name");
            Query q = query();
            return new Statement.InsertInto(t.pos(), sink, sinkPos, q, withClause());
        }
        if (t.isWord("SELECT")) {
            return selectStatement();
        }
        if (t.isWord("SHOW") || t.isWord("LIST")) {
            next();
            Token what = next();
            String w = what.text().toUpperCase(Locale.ROOT);
            if (!Set.of("STREAMS", "TABLES", "JOBS", "FUNCTIONS", "TOPICS", "QUERIES", "PROPERTIES").contains(w)) {
                throw error(what, "expected STREAMS, TABLES, JOBS, FUNCTIONS, TOPICS, QUERIES or PROPERTIES after SHOW");
            }
            return new Statement.Show(t.pos(), w);
        }
        if (t.isWord("DESCRIBE") || t.isWord("DESC")) {
            next();
            return new Statement.Describe(t.pos(), qualifiedName("a stream or table name"));
        }
        if (t.isWord("EXPLAIN")) {
            next();
            acceptWord("PLAN");
            return new Statement.Explain(t.pos(), statement());
        }
        if (t.isWord("START") || t.isWord("STOP") || t.isWord("PAUSE") || t.isWord("RESUME")) {
            next();
            String verb = t.text().toUpperCase(Locale.ROOT);
            expectWord("JOB");
            String name = identifier("job name");
            if (!verb.equals("START")) {
                return new Statement.JobCommand(t.pos(), verb, name, null, List.of());
            }
            expectWord("AS");
            Query q = query();
            return new Statement.JobCommand(t.pos(), verb, name, q, withClause());
        }
        throw error(t, "expected a statement (CREATE, INSERT, SELECT, SHOW, DESCRIBE, EXPLAIN, START/STOP/PAUSE/RESUME JOB) but found " + t.describe());
    }

    private Statement selectStatement() {
        Token start = peek();
        Query q = query();
        String into = null;
        Pos intoPos = null;
        // SELECT … INTO sink FROM … is parsed inside query(); SELECT … FROM … INTO sink here.
        if (pendingInto != null) {
            into = pendingInto;
            intoPos = pendingIntoPos;
            pendingInto = null;
        }
        if (atWord("INTO")) {
            next();
            intoPos = peek().pos();
            into = qualifiedName("sink name");
            if (q.emit() == null && (atWord("EMIT"))) {
                q = withEmit(q, emitClause());
            }
        }
        List<Statement.Property> with = withClause();
        return new Statement.Select(start.pos(), q, into, intoPos, with);
    }

    /** {@code SELECT … INTO sink FROM …}: the sink named between the items and FROM, for the statement. */
    private String pendingInto;
    private Pos pendingIntoPos;

    private static Query withEmit(Query q, Query.Emit emit) {
        return new Query(q.pos(), q.distinct(), q.items(), q.from(), q.joins(), q.where(), q.groupBy(), q.window(),
                q.having(), q.orderBy(), q.limit(), emit, q.unionAll());
    }

    private Statement create() {
        Token start = next();
        if (acceptWord("OR")) {
            expectWord("REPLACE");
        }
        boolean table;
        if (acceptWord("STREAM")) {
            table = false;
        } else if (acceptWord("TABLE")) {
            table = true;
        } else {
            throw error(peek(), "expected STREAM or TABLE after CREATE but found " + peek().describe());
        }
        if (atWord("IF")) {
            next();
            expectWord("NOT");
            expectWord("EXISTS");
        }
        Pos namePos = peek().pos();
        String name = qualifiedName(table ? "table name" : "stream name");
        List<Statement.ColumnDef> columns = List.of();
        if (peek().type() == TokenType.LPAREN) {
            columns = columnDefs();
        }
        List<Statement.Property> with = new ArrayList<>(withClause());
        if (acceptWord("AS")) {
            if (!atWord("SELECT")) {
                throw error(peek(), "expected SELECT after AS but found " + peek().describe());
            }
            Query q = query();
            with.addAll(withClause());
            return new Statement.CreateAs(start.pos(), table, name, namePos, columns, q, with);
        }
        if (columns.isEmpty()) {
            throw error(peek(), "expected AS SELECT … or a column list (name type, …) for " + name);
        }
        return new Statement.CreateSource(start.pos(), table, name, namePos, columns, with);
    }

    private List<Statement.ColumnDef> columnDefs() {
        expect(TokenType.LPAREN, "'('");
        List<Statement.ColumnDef> cols = new ArrayList<>();
        do {
            Pos pos = peek().pos();
            String name = identifier("column name");
            DataType type = type();
            boolean pk = false;
            if (acceptWord("PRIMARY")) {
                expectWord("KEY");
                pk = true;
            } else if (atWord("KEY")) {
                next();
                pk = true;
            }
            if (acceptWord("NOT")) {
                expectWord("NULL");
            }
            cols.add(new Statement.ColumnDef(pos, name, type, pk));
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN, "')' or ',' in the column list");
        return cols;
    }

    private List<Statement.Property> withClause() {
        if (!atWord("WITH")) {
            return List.of();
        }
        next();
        expect(TokenType.LPAREN, "'(' after WITH");
        List<Statement.Property> props = new ArrayList<>();
        if (peek().type() != TokenType.RPAREN) {
            do {
                Token k = next();
                String key;
                if (k.type() == TokenType.STRING || k.type() == TokenType.QUOTED_IDENT) {
                    key = k.text();
                } else if (k.type() == TokenType.IDENT) {
                    StringBuilder sb = new StringBuilder(k.text());
                    while (accept(TokenType.DOT)) {
                        sb.append('.').append(next().text());
                    }
                    key = sb.toString();
                } else {
                    throw error(k, "expected a property name like 'batch.size' but found " + k.describe());
                }
                expect(TokenType.EQ, "'=' after property '" + key + "'");
                Token v = next();
                String value;
                switch (v.type()) {
                    case STRING: case INTEGER: case DECIMAL: case DURATION: case IDENT: case QUOTED_IDENT:
                        value = v.text();
                        break;
                    case MINUS:
                        Token num = expect(TokenType.INTEGER, "a number");
                        value = "-" + num.text();
                        break;
                    default:
                        throw error(v, "expected a property value for '" + key + "' but found " + v.describe());
                }
                props.add(new Statement.Property(k.pos(), key, v.pos(), value));
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RPAREN, "')' or ',' in WITH (…)");
        return props;
    }

    // ------------------------------------------------------------------ types

    DataType type() {
        Token t = peek();
        String name = identifierOrWord("a type name").toUpperCase(Locale.ROOT);
        switch (name) {
            case "BIGINT": case "INTEGER": case "INT": case "SMALLINT": case "TINYINT": case "LONG":
                return DataType.BIGINT;
            case "DOUBLE": case "FLOAT": case "REAL":
                acceptWord("PRECISION");
                return DataType.DOUBLE;
            case "DECIMAL": case "NUMERIC": case "DEC": {
                if (accept(TokenType.LPAREN)) {
                    int precision = smallInt("precision");
                    int scale = 0;
                    if (accept(TokenType.COMMA)) {
                        scale = smallInt("scale");
                    }
                    expect(TokenType.RPAREN, "')'");
                    if (precision < 1 || precision > DataType.MAX_PRECISION) {
                        throw error(t, "DECIMAL precision must be between 1 and 38, got " + precision);
                    }
                    if (scale > precision) {
                        throw error(t, "DECIMAL scale " + scale + " exceeds precision " + precision);
                    }
                    return DataType.decimal(precision, scale);
                }
                return DataType.DECIMAL;
            }
            case "SCALED_INTEGER": {
                int scale = 4;
                if (accept(TokenType.LPAREN)) {
                    scale = smallInt("scale");
                    expect(TokenType.RPAREN, "')'");
                }
                if (scale > 18) {
                    throw error(t, "SCALED_INTEGER scale must be at most 18, got " + scale);
                }
                return DataType.decimal(18, scale);
            }
            case "STRING": case "VARCHAR": case "TEXT": case "CHAR":
                if (accept(TokenType.LPAREN)) {
                    smallInt("length");
                    expect(TokenType.RPAREN, "')'");
                }
                return DataType.STRING;
            case "BOOLEAN": case "BOOL":
                return DataType.BOOLEAN;
            case "TIMESTAMP":
                if (accept(TokenType.LPAREN)) {
                    smallInt("precision");
                    expect(TokenType.RPAREN, "')'");
                }
                return DataType.TIMESTAMP;
            case "DATE":
                return DataType.DATE;
            case "ARRAY": {
                expect(TokenType.LT, "'<' after ARRAY");
                DataType e = type();
                expect(TokenType.GT, "'>' closing ARRAY<…>");
                return DataType.array(e);
            }
            case "MAP": {
                expect(TokenType.LT, "'<' after MAP");
                DataType k = type();
                expect(TokenType.COMMA, "',' in MAP<key, value>");
                DataType v = type();
                expect(TokenType.GT, "'>' closing MAP<…>");
                return DataType.map(k, v);
            }
            default:
                throw error(t, "unknown type '" + t.text() + "' (expected BIGINT, INTEGER, DOUBLE, DECIMAL(p,s), STRING, VARCHAR, BOOLEAN, TIMESTAMP, DATE, ARRAY<t> or MAP<k,v>)");
        }
    }

    private String identifierOrWord(String what) {
        Token t = peek();
        if (t.type() == TokenType.IDENT || t.type() == TokenType.QUOTED_IDENT) {
            next();
            return t.text();
        }
        throw error(t, "expected " + what + " but found " + t.describe());
    }

    private int smallInt(String what) {
        Token t = expect(TokenType.INTEGER, what);
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw error(t, what + " is too large: " + t.text());
        }
    }

    // ------------------------------------------------------------------ queries

    Query query() {
        if (++depth > MAX_DEPTH) {
            throw error(peek(), "query nested too deeply");
        }
        try {
            Query q = queryBody();
            List<Query> branches = new ArrayList<>();
            while (atWord("UNION")) {
                Token u = next();
                if (!acceptWord("ALL")) {
                    throw error(u, "UNION without ALL (a distinct union) is not supported: a stream never ends, "
                            + "so removing duplicates would keep every row seen; write UNION ALL");
                }
                if (atWord("ALL")) {
                    throw error(peek(), "expected SELECT after UNION ALL but found " + peek().describe());
                }
                branches.add(queryBody());
            }
            return branches.isEmpty() ? q : q.withUnionAll(branches);
        } finally {
            depth--;
        }
    }

    private Query queryBody() {
        Token start = expectWord("SELECT");
        boolean distinct = acceptWord("DISTINCT");
        if (!distinct) {
            acceptWord("ALL");
        }
        List<Query.SelectItem> items = new ArrayList<>();
        do {
            items.add(selectItem());
        } while (accept(TokenType.COMMA));
        if (atWord("INTO")) {
            next();
            pendingIntoPos = peek().pos();
            pendingInto = qualifiedName("sink name");
        }
        Query.FromItem from = null;
        List<Query.Join> joins = new ArrayList<>();
        Expr where = null;
        List<Expr> groupBy = List.of();
        Query.WindowSpec window = null;
        Expr having = null;
        List<Expr.OrderItem> orderBy = List.of();
        Long limit = null;
        Query.Emit emit = null;
        if (acceptWord("FROM")) {
            from = fromItem();
            while (true) {
                Query.Join j = join();
                if (j == null) {
                    break;
                }
                joins.add(j);
            }
        }
        if (atWord("WINDOW")) {
            window = windowClause();
        }
        if (acceptWord("WHERE")) {
            where = expr();
        }
        if (window == null && atWord("WINDOW")) {
            window = windowClause();
        }
        if (atWord("GROUP")) {
            next();
            expectWord("BY");
            groupBy = new ArrayList<>();
            do {
                groupBy.add(expr());
            } while (accept(TokenType.COMMA));
        }
        if (window == null && atWord("WINDOW")) {
            window = windowClause();
        }
        if (acceptWord("HAVING")) {
            having = expr();
        }
        if (window == null && atWord("WINDOW")) {
            window = windowClause();
        }
        if (atWord("ORDER")) {
            next();
            expectWord("BY");
            orderBy = orderItems();
        }
        if (atWord("LIMIT")) {
            Token l = next();
            Token n = expect(TokenType.INTEGER, "a row count after LIMIT");
            try {
                limit = Long.parseLong(n.text());
            } catch (NumberFormatException e) {
                throw error(l, "LIMIT is too large: " + n.text());
            }
        }
        if (atWord("EMIT")) {
            emit = emitClause();
        }
        return new Query(start.pos(), distinct, items, from, joins, where, groupBy, window, having, orderBy, limit, emit);
    }

    private Query.Emit emitClause() {
        expectWord("EMIT");
        if (acceptWord("CHANGES")) {
            return Query.Emit.CHANGES;
        }
        if (acceptWord("FINAL")) {
            return Query.Emit.FINAL;
        }
        throw error(peek(), "expected CHANGES or FINAL after EMIT but found " + peek().describe());
    }

    private List<Expr.OrderItem> orderItems() {
        List<Expr.OrderItem> items = new ArrayList<>();
        do {
            Expr e = expr();
            boolean desc = false;
            if (acceptWord("DESC")) {
                desc = true;
            } else {
                acceptWord("ASC");
            }
            if (acceptWord("NULLS")) {
                if (!acceptWord("FIRST") && !acceptWord("LAST")) {
                    throw error(peek(), "expected FIRST or LAST after NULLS");
                }
            }
            items.add(new Expr.OrderItem(e, desc));
        } while (accept(TokenType.COMMA));
        return items;
    }

    private Query.SelectItem selectItem() {
        Token t = peek();
        if (t.type() == TokenType.STAR) {
            next();
            return new Query.SelectItem(t.pos(), null, null, false, true, null);
        }
        if ((t.type() == TokenType.IDENT || t.type() == TokenType.QUOTED_IDENT) && peek(1).type() == TokenType.DOT
                && peek(2).type() == TokenType.STAR) {
            next();
            next();
            next();
            return new Query.SelectItem(t.pos(), null, null, false, true, t.text());
        }
        Expr e = expr();
        String alias = null;
        if (acceptWord("AS")) {
            alias = identifier("an alias after AS");
        } else if (atIdentifier() && !atWord("KEY")) {
            alias = identifier("alias");
        }
        boolean pk = false;
        if (acceptWord("PRIMARY")) {
            expectWord("KEY");
            pk = true;
        }
        return new Query.SelectItem(t.pos(), e, alias, pk, false, null);
    }

    private Query.FromItem fromItem() {
        Token t = peek();
        if (t.type() == TokenType.LPAREN && peek(1).isWord("SELECT")) {
            next();
            Query sub = query();
            expect(TokenType.RPAREN, "')' closing the subquery");
            String alias = null;
            if (acceptWord("AS") || atIdentifier()) {
                alias = identifier("an alias for the subquery");
            }
            return new Query.FromItem(t.pos(), null, alias, sub);
        }
        String name = qualifiedName("a source name after FROM");
        String alias = null;
        if (acceptWord("AS")) {
            alias = identifier("alias");
        } else if (atIdentifier() && !atWord("WINDOW") && !atWord("TUMBLING")) {
            alias = identifier("alias");
        }
        return new Query.FromItem(t.pos(), name, alias, null);
    }

    private Query.Join join() {
        Token t = peek();
        Query.JoinType type;
        if (t.isWord("JOIN")) {
            type = Query.JoinType.INNER;
        } else if (t.isWord("INNER")) {
            next();
            type = Query.JoinType.INNER;
        } else if (t.isWord("LEFT") || t.isWord("RIGHT") || t.isWord("FULL")) {
            next();
            type = Query.JoinType.valueOf(t.text().toUpperCase(Locale.ROOT));
            acceptWord("OUTER");
        } else if (t.isWord("CROSS")) {
            throw error(t, "CROSS JOIN is not supported in streaming queries; join on a key");
        } else {
            return null;
        }
        expectWord("JOIN");
        Query.FromItem right = fromItem();
        Long within = null;
        if (acceptWord("WITHIN")) {
            within = durationArg();
        }
        expectWord("ON");
        Expr on = expr();
        if (acceptWord("WITHIN")) {
            within = durationArg();
        }
        return new Query.Join(t.pos(), type, right, on, within);
    }

    private Query.WindowSpec windowClause() {
        Token w = expectWord("WINDOW");
        Token kindTok = next();
        String k = kindTok.text().toUpperCase(Locale.ROOT);
        Query.WindowKind kind;
        switch (k) {
            case "TUMBLING": case "TUMBLE": kind = Query.WindowKind.TUMBLING; break;
            case "SLIDING": case "HOPPING": case "HOP": kind = Query.WindowKind.SLIDING; break;
            case "SESSION": kind = Query.WindowKind.SESSION; break;
            default:
                throw error(kindTok, "expected TUMBLING, SLIDING or SESSION after WINDOW but found " + kindTok.describe());
        }
        expect(TokenType.LPAREN, "'(' after " + k);
        List<Object> args = new ArrayList<>(); // Expr (time column) or Long (millis)
        do {
            if (atDuration()) {
                args.add(durationArg());
            } else if (peek().isWord("SIZE") || peek().isWord("ADVANCE") || peek().isWord("GAP")) {
                next();
                acceptWord("BY");
                args.add(durationArg());
            } else {
                args.add(expr());
            }
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN, "')' closing the window");
        Expr col = null;
        List<Long> durations = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Expr) {
                if (col != null || !durations.isEmpty()) {
                    throw error(w, k + " takes an optional time column first, then durations");
                }
                col = (Expr) a;
            } else {
                long d = (Long) a;
                if (d <= 0) {
                    throw error(kindTok, "window durations must be positive");
                }
                durations.add(d);
            }
        }
        int need = kind == Query.WindowKind.SLIDING ? 2 : 1;
        if (durations.size() != need) {
            throw error(kindTok, k + " takes " + (need == 2 ? "a size and an advance" : "one duration")
                    + " (e.g. " + (kind == Query.WindowKind.SLIDING ? "SLIDING(1m, 10s)" : kind == Query.WindowKind.SESSION ? "SESSION(30s)" : "TUMBLING(5s)")
                    + "), got " + durations.size());
        }
        long size = durations.get(0);
        long advance = kind == Query.WindowKind.SLIDING ? durations.get(1) : size;
        if (kind == Query.WindowKind.SLIDING && (advance > size)) {
            throw error(kindTok, "SLIDING advance must not exceed the window size");
        }
        return new Query.WindowSpec(w.pos(), kind, col, kind == Query.WindowKind.SESSION ? 0 : size, advance,
                kind == Query.WindowKind.SESSION ? size : 0);
    }

    private boolean atDuration() {
        Token t = peek();
        return t.type() == TokenType.DURATION || t.type() == TokenType.INTEGER || t.type() == TokenType.STRING
                || (t.isWord("INTERVAL") && (peek(1).type() == TokenType.STRING || peek(1).type() == TokenType.INTEGER));
    }

    /** 5s, 500ms, '5s', INTERVAL '5' SECOND, or a bare integer of milliseconds. */
    private long durationArg() {
        Token t = peek();
        if (t.type() == TokenType.DURATION || t.type() == TokenType.STRING) {
            next();
            try {
                return Durations.parseMillis(t.text());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw error(t, e.getMessage());
            }
        }
        if (t.type() == TokenType.INTEGER) {
            next();
            return Long.parseLong(t.text());
        }
        if (t.isWord("INTERVAL")) {
            Expr.Literal lit = interval();
            return (Long) lit.value();
        }
        throw error(t, "expected a duration such as 5s, 500ms or INTERVAL '5' SECOND but found " + t.describe());
    }

    private Expr.Literal interval() {
        Token start = expectWord("INTERVAL");
        Token v = next();
        String amount;
        if (v.type() == TokenType.STRING || v.type() == TokenType.INTEGER) {
            amount = v.text().trim();
        } else {
            throw error(v, "expected an amount after INTERVAL, like INTERVAL '5' SECOND");
        }
        long millis;
        try {
            if (amount.matches("\\d+")) {
                Token unit = next();
                long per = unit.type() == TokenType.IDENT ? Durations.unitMillis(unit.text()) : -1;
                if (per < 0) {
                    throw error(unit, "expected a time unit (MILLISECOND, SECOND, MINUTE, HOUR, DAY) but found " + unit.describe());
                }
                millis = Math.multiplyExact(Long.parseLong(amount), per);
            } else {
                millis = Durations.parseMillis(amount.replace(" ", ""));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw error(v, "bad interval: " + e.getMessage());
        }
        return new Expr.Literal(start.pos(), LiteralKind.INTERVAL, millis);
    }

    // ------------------------------------------------------------------ expressions

    public Expr expr() {
        if (++depth > MAX_DEPTH) {
            throw error(peek(), "expression nested too deeply");
        }
        try {
            return or();
        } finally {
            depth--;
        }
    }

    private Expr or() {
        Expr left = and();
        while (atWord("OR")) {
            Token op = next();
            left = new Expr.Binary(op.pos(), "OR", left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (atWord("AND")) {
            Token op = next();
            left = new Expr.Binary(op.pos(), "AND", left, not());
        }
        return left;
    }

    private Expr not() {
        if (atWord("NOT") && !peek(1).isWord("EXISTS")) {
            Token op = next();
            if (++depth > MAX_DEPTH) {
                throw error(op, "expression nested too deeply");
            }
            try {
                return new Expr.Unary(op.pos(), "NOT", not());
            } finally {
                depth--;
            }
        }
        return predicate();
    }

    /**
     * Comparisons, IS, BETWEEN, IN and LIKE wrap what precedes them ({@code x IS NULL IS NULL},
     * {@code a = b = c}); unlike the chains that walkers take with a loop, each wrap is a level of
     * nesting, so it counts against the nesting limit.
     */
    private Expr predicate() {
        int entered = depth;
        try {
            return predicateWraps();
        } finally {
            depth = entered;
        }
    }

    private void nest(Token t) {
        if (++depth > MAX_DEPTH) {
            throw error(t, "expression nested too deeply");
        }
    }

    private Expr predicateWraps() {
        Expr left = additive();
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case EQ: case NE: case LT: case LE: case GT: case GE: {
                    next();
                    nest(t);
                    String op = t.type() == TokenType.NE ? "<>" : t.type() == TokenType.EQ ? "=" : t.text();
                    left = new Expr.Binary(t.pos(), op, left, additive());
                    continue;
                }
                default:
                    break;
            }
            if (t.isWord("IS")) {
                next();
                nest(t);
                boolean neg = acceptWord("NOT");
                if (acceptWord("NULL")) {
                    left = new Expr.IsNull(t.pos(), left, neg);
                    continue;
                }
                if (atWord("TRUE") || atWord("FALSE")) {
                    boolean b = next().isWord("TRUE");
                    Expr cmp = new Expr.Binary(t.pos(), "IS_BOOL", left, new Expr.Literal(t.pos(), LiteralKind.BOOLEAN, b));
                    left = neg ? new Expr.Unary(t.pos(), "NOT", cmp) : cmp;
                    continue;
                }
                if (acceptWord("DISTINCT")) {
                    expectWord("FROM");
                    Expr right = additive();
                    Expr d = new Expr.Binary(t.pos(), "IS_DISTINCT", left, right);
                    left = neg ? new Expr.Unary(t.pos(), "NOT", d) : d;
                    continue;
                }
                throw error(peek(), "expected NULL, TRUE, FALSE or DISTINCT FROM after IS but found " + peek().describe());
            }
            boolean neg = false;
            if (t.isWord("NOT") && (peek(1).isWord("BETWEEN") || peek(1).isWord("IN") || peek(1).isWord("LIKE"))) {
                next();
                neg = true;
                t = peek();
            }
            if (t.isWord("BETWEEN")) {
                next();
                nest(t);
                Expr low = additive();
                expectWord("AND");
                Expr high = additive();
                left = new Expr.Between(t.pos(), left, low, high, neg);
                continue;
            }
            if (t.isWord("IN")) {
                next();
                nest(t);
                expect(TokenType.LPAREN, "'(' after IN");
                if (atWord("SELECT")) {
                    Query q = query();
                    expect(TokenType.RPAREN, "')' closing the subquery");
                    left = new Expr.InSubquery(t.pos(), left, q, neg);
                } else {
                    List<Expr> list = new ArrayList<>();
                    do {
                        list.add(expr());
                    } while (accept(TokenType.COMMA));
                    expect(TokenType.RPAREN, "')' closing the IN list");
                    left = new Expr.InList(t.pos(), left, list, neg);
                }
                continue;
            }
            if (t.isWord("LIKE")) {
                next();
                nest(t);
                left = new Expr.Like(t.pos(), left, additive(), neg);
                continue;
            }
            if (neg) {
                throw error(t, "expected BETWEEN, IN or LIKE after NOT");
            }
            return left;
        }
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (true) {
            Token t = peek();
            if (t.type() == TokenType.PLUS || t.type() == TokenType.MINUS || t.type() == TokenType.CONCAT) {
                next();
                left = new Expr.Binary(t.pos(), t.text(), left, multiplicative());
            } else {
                return left;
            }
        }
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (true) {
            Token t = peek();
            if (t.type() == TokenType.STAR || t.type() == TokenType.SLASH || t.type() == TokenType.PERCENT) {
                next();
                left = new Expr.Binary(t.pos(), t.text(), left, unary());
            } else {
                return left;
            }
        }
    }

    private Expr unary() {
        Token t = peek();
        if (t.type() == TokenType.MINUS || t.type() == TokenType.PLUS) {
            next();
            if (++depth > MAX_DEPTH) {
                throw error(t, "expression nested too deeply");
            }
            try {
                Expr operand = unary();
                if (t.type() == TokenType.PLUS) {
                    return operand;
                }
                if (operand instanceof Expr.Literal lit) {
                    Expr folded = negateLiteral(t, lit);
                    if (folded != null) {
                        return folded;
                    }
                }
                return new Expr.Unary(t.pos(), "-", operand);
            } finally {
                depth--;
            }
        }
        return postfix(primary());
    }

    private static Expr negateLiteral(Token minus, Expr.Literal lit) {
        switch (lit.kind()) {
            case INTEGER: {
                long v = (Long) lit.value();
                return new Expr.Literal(minus.pos(), LiteralKind.INTEGER, -v);
            }
            case DECIMAL:
                return new Expr.Literal(minus.pos(), LiteralKind.DECIMAL, "-" + lit.value());
            case DOUBLE:
                return new Expr.Literal(minus.pos(), LiteralKind.DOUBLE, -(Double) lit.value());
            default:
                return null;
        }
    }

    private Expr postfix(Expr e) {
        int entered = depth;
        try {
            while (peek().type() == TokenType.COLON_COLON) {
                Token t = next();
                nest(t);
                e = new Expr.Cast(t.pos(), e, type());
            }
            return e;
        } finally {
            depth = entered;
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.type()) {
            case INTEGER: {
                next();
                try {
                    return new Expr.Literal(t.pos(), LiteralKind.INTEGER, Long.parseLong(t.text()));
                } catch (NumberFormatException e) {
                    return new Expr.Literal(t.pos(), LiteralKind.DECIMAL, t.text());
                }
            }
            case DECIMAL:
                next();
                if (t.text().contains("e") || t.text().contains("E")) {
                    return new Expr.Literal(t.pos(), LiteralKind.DOUBLE, Double.parseDouble(t.text()));
                }
                return new Expr.Literal(t.pos(), LiteralKind.DECIMAL, t.text());
            case DURATION:
                next();
                return new Expr.Literal(t.pos(), LiteralKind.INTERVAL, Durations.parseMillis(t.text()));
            case STRING:
                next();
                return new Expr.Literal(t.pos(), LiteralKind.STRING, t.text());
            case LPAREN: {
                next();
                if (atWord("SELECT")) {
                    Query q = query();
                    expect(TokenType.RPAREN, "')' closing the subquery");
                    return new Expr.ScalarSubquery(t.pos(), q);
                }
                Expr e = expr();
                expect(TokenType.RPAREN, "')'");
                return e;
            }
            case QUOTED_IDENT:
                return columnRef();
            case IDENT:
                return wordPrimary(t);
            default:
                throw error(t, "expected an expression but found " + t.describe());
        }
    }

    private Expr wordPrimary(Token t) {
        String w = t.text().toUpperCase(Locale.ROOT);
        switch (w) {
            case "NULL":
                next();
                return new Expr.Literal(t.pos(), LiteralKind.NULL, null);
            case "TRUE": case "FALSE":
                next();
                return new Expr.Literal(t.pos(), LiteralKind.BOOLEAN, w.equals("TRUE"));
            case "CASE":
                return caseExpr();
            case "EXISTS": {
                next();
                expect(TokenType.LPAREN, "'(' after EXISTS");
                Query q = query();
                expect(TokenType.RPAREN, "')' closing the subquery");
                return new Expr.Exists(t.pos(), q, false);
            }
            case "NOT":
                if (peek(1).isWord("EXISTS")) {
                    next();
                    next();
                    expect(TokenType.LPAREN, "'(' after EXISTS");
                    Query q = query();
                    expect(TokenType.RPAREN, "')' closing the subquery");
                    return new Expr.Exists(t.pos(), q, true);
                }
                break;
            case "INTERVAL":
                if (peek(1).type() == TokenType.STRING || peek(1).type() == TokenType.INTEGER) {
                    return interval();
                }
                break;
            case "TIMESTAMP": case "DATE":
                if (peek(1).type() == TokenType.STRING) {
                    next();
                    Token s = next();
                    boolean date = w.equals("DATE");
                    // a typed literal is checked like any literal: a malformed one is a syntax error, not a failure per record
                    if ((date ? io.velo.types.Values.parseDate(s.text()) : io.velo.types.Values.parseTimestamp(s.text())) == Long.MIN_VALUE) {
                        throw new SqlException(s.pos(), "'" + s.text() + "' is not a valid " + w + " literal (expected "
                                + (date ? "YYYY-MM-DD" : "ISO-8601 like 2024-01-31 09:30:00 or 2024-01-31T09:30:00Z") + ")");
                    }
                    return new Expr.Cast(t.pos(), new Expr.Literal(s.pos(), LiteralKind.STRING, s.text()),
                            date ? DataType.DATE : DataType.TIMESTAMP);
                }
                break;
            case "CURRENT_TIMESTAMP": case "CURRENT_DATE":
                if (peek(1).type() != TokenType.LPAREN) {
                    next();
                    return new Expr.Call(t.pos(), w, List.of(), false, false, null);
                }
                break;
            default:
                break;
        }
        if (peek(1).type() == TokenType.LPAREN && (!isReserved(t) || w.equals("LEFT") || w.equals("RIGHT"))) {
            return call();
        }
        if (isReserved(t)) {
            throw error(t, "expected an expression but found reserved word " + t.describe());
        }
        return columnRef();
    }

    private Expr columnRef() {
        Token t = next();
        if (peek().type() == TokenType.DOT && (peek(1).type() == TokenType.IDENT || peek(1).type() == TokenType.QUOTED_IDENT)) {
            next();
            Token col = next();
            return new Expr.ColumnRef(t.pos(), t.text(), col.text());
        }
        return new Expr.ColumnRef(t.pos(), null, t.text());
    }

    private Expr caseExpr() {
        Token start = expectWord("CASE");
        Expr operand = null;
        if (!atWord("WHEN")) {
            operand = expr();
        }
        List<Expr.When> whens = new ArrayList<>();
        while (acceptWord("WHEN")) {
            Expr cond = expr();
            expectWord("THEN");
            whens.add(new Expr.When(cond, expr()));
        }
        if (whens.isEmpty()) {
            throw error(peek(), "expected WHEN in CASE but found " + peek().describe());
        }
        Expr otherwise = null;
        if (acceptWord("ELSE")) {
            otherwise = expr();
        }
        expectWord("END");
        return new Expr.Case(start.pos(), operand, whens, otherwise);
    }

    private Expr call() {
        Token nameTok = next();
        String name = nameTok.text().toUpperCase(Locale.ROOT);
        expect(TokenType.LPAREN, "'('");
        Pos pos = nameTok.pos();
        List<Expr> args = new ArrayList<>();
        boolean distinct = false;
        boolean star = false;
        switch (name) {
            case "CAST": case "TRY_CAST": {
                Expr v = expr();
                expectWord("AS");
                DataType type = type();
                expect(TokenType.RPAREN, "')' closing CAST");
                return new Expr.Cast(pos, v, type);
            }
            case "EXTRACT": {
                Token part = next();
                if (part.type() != TokenType.IDENT && part.type() != TokenType.STRING) {
                    throw error(part, "expected a date part (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, …) in EXTRACT");
                }
                expectWord("FROM");
                Expr v = expr();
                expect(TokenType.RPAREN, "')' closing EXTRACT");
                return new Expr.Call(pos, name, List.of(new Expr.Literal(part.pos(), LiteralKind.STRING,
                        part.text().toUpperCase(Locale.ROOT)), v), false, false, null);
            }
            case "POSITION": {
                Expr needle = additive();
                if (acceptWord("IN")) {
                    Expr hay = expr();
                    expect(TokenType.RPAREN, "')' closing POSITION");
                    return new Expr.Call(pos, name, List.of(needle, hay), false, false, null);
                }
                args.add(needle);
                while (accept(TokenType.COMMA)) {
                    args.add(expr());
                }
                expect(TokenType.RPAREN, "')'");
                return new Expr.Call(pos, name, args, false, false, overClause());
            }
            case "SUBSTRING": case "SUBSTR": {
                Expr v = expr();
                args.add(v);
                if (acceptWord("FROM")) {
                    args.add(expr());
                    if (acceptWord("FOR")) {
                        args.add(expr());
                    }
                } else {
                    while (accept(TokenType.COMMA)) {
                        args.add(expr());
                    }
                }
                expect(TokenType.RPAREN, "')' closing SUBSTRING");
                return new Expr.Call(pos, "SUBSTRING", args, false, false, null);
            }
            case "TRIM": {
                String mode = "BOTH";
                if (atWord("BOTH") || atWord("LEADING") || atWord("TRAILING")) {
                    mode = next().text().toUpperCase(Locale.ROOT);
                    Expr chars = null;
                    if (!atWord("FROM")) {
                        chars = expr();
                    }
                    expectWord("FROM");
                    Expr v = expr();
                    expect(TokenType.RPAREN, "')' closing TRIM");
                    String fn = mode.equals("LEADING") ? "LTRIM" : mode.equals("TRAILING") ? "RTRIM" : "TRIM";
                    return new Expr.Call(pos, fn, chars == null ? List.of(v) : List.of(v, chars), false, false, null);
                }
                break;
            }
            default:
                break;
        }
        if (peek().type() == TokenType.STAR) {
            next();
            star = true;
        } else if (peek().type() != TokenType.RPAREN) {
            if (acceptWord("DISTINCT")) {
                distinct = true;
            } else {
                acceptWord("ALL");
            }
            do {
                args.add(expr());
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RPAREN, "')' or ',' in the arguments of " + name);
        return new Expr.Call(pos, name, args, distinct, star, overClause());
    }

    private Expr.Over overClause() {
        if (!atWord("OVER")) {
            return null;
        }
        Token over = next();
        expect(TokenType.LPAREN, "'(' after OVER");
        List<Expr> partition = List.of();
        List<Expr.OrderItem> order = List.of();
        String unit = null;
        String fs = null;
        String fe = null;
        Long buffer = null;
        while (peek().type() != TokenType.RPAREN) {
            Token t = peek();
            if (t.isWord("PARTITION")) {
                next();
                expectWord("BY");
                partition = new ArrayList<>();
                do {
                    partition.add(expr());
                } while (accept(TokenType.COMMA));
            } else if (t.isWord("ORDER")) {
                next();
                expectWord("BY");
                order = orderItems();
            } else if ((t.isWord("ROWS") || t.isWord("RANGE")) && peek(1).isWord("WINDOW")) {
                next();
                next();
                expectWord("BUFFER");
                Token n = expect(TokenType.INTEGER, "a row count after BUFFER");
                buffer = Long.parseLong(n.text());
                expectWord("ROWS");
            } else if (t.isWord("ROWS") || t.isWord("RANGE")) {
                unit = next().text().toUpperCase(Locale.ROOT);
                if (acceptWord("BETWEEN")) {
                    fs = frameBound();
                    expectWord("AND");
                    fe = frameBound();
                } else {
                    fs = frameBound();
                    fe = "CURRENT ROW";
                }
            } else {
                throw error(t, "expected PARTITION BY, ORDER BY, ROWS or RANGE in OVER (…) but found " + t.describe());
            }
        }
        expect(TokenType.RPAREN, "')' closing OVER");
        return new Expr.Over(over.pos(), partition, order, unit, fs, fe, buffer);
    }

    private String frameBound() {
        if (acceptWord("UNBOUNDED")) {
            Token d = next();
            if (!d.isWord("PRECEDING") && !d.isWord("FOLLOWING")) {
                throw error(d, "expected PRECEDING or FOLLOWING");
            }
            return "UNBOUNDED " + d.text().toUpperCase(Locale.ROOT);
        }
        if (acceptWord("CURRENT")) {
            expectWord("ROW");
            return "CURRENT ROW";
        }
        String amount;
        if (atWord("INTERVAL")) {
            amount = interval().value() + "ms";
        } else if (peek().type() == TokenType.DURATION) {
            amount = Durations.parseMillis(next().text()) + "ms";
        } else {
            amount = expect(TokenType.INTEGER, "a frame bound (n PRECEDING, CURRENT ROW, UNBOUNDED …)").text();
        }
        Token d = next();
        if (!d.isWord("PRECEDING") && !d.isWord("FOLLOWING")) {
            throw error(d, "expected PRECEDING or FOLLOWING after " + amount);
        }
        return amount + " " + d.text().toUpperCase(Locale.ROOT);
    }
}
