package dev.drover.registry.mlflow;

import dev.drover.registry.mlflow.FilterCondition.Comparator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses the subset of MLflow's search filter grammar the registry serves: comparisons joined by {@code AND}.
 *
 * <pre>
 *   filter     := comparison ( AND comparison )*
 *   comparison := identifier comparator value
 *   identifier := attribute | attribute.attribute | (tag | tags).key      key: bare, `back-ticked` or "quoted"
 *   comparator := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE | IN | NOT IN
 *   value      := 'string' | "string" | integer | ( 'string', ... )
 * </pre>
 * Which attribute accepts which comparator follows MLflow ({@code SearchModelUtils}, {@code SearchModelVersionUtils}):
 * strings take {@code = != LIKE ILIKE} (and {@code IN}, {@code NOT IN} where MLflow allows lists: model names, run
 * ids), {@code version_number} takes the numeric comparators, tags take {@code = != LIKE ILIKE}. Keywords are
 * case-insensitive; a quote inside a string is doubled ({@code 'it''s'}). Everything else — {@code OR},
 * parentheses around comparisons, {@code IS NULL}, unknown attributes — is refused with
 * {@link MlflowErrorCode#INVALID_PARAMETER_VALUE} and a message that names the problem and its position.
 */
public final class SearchFilter {
    private static final Set<String> TAG_ENTITIES = Set.of("tag", "tags");
    private static final Set<String> ATTRIBUTE_ENTITIES = Set.of("attribute", "attributes", "attr");
    private static final Set<String> STRING_COMPARATORS = Set.of("=", "!=", "LIKE", "ILIKE");

    private final String filter;
    private final SearchTarget target;
    private final List<Token> tokens;
    private int next;

    private SearchFilter(String filter, SearchTarget target) {
        this.filter = filter;
        this.target = target;
        this.tokens = new Lexer(filter).tokens();
    }

    /** The comparisons of {@code filter} (none for a null or blank filter), or an exception naming the problem. */
    public static List<FilterCondition> parse(String filter, SearchTarget target) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new SearchFilter(filter, target).conditions();
    }

    private List<FilterCondition> conditions() {
        List<FilterCondition> out = new ArrayList<>();
        out.add(comparison());
        while (peek().kind != Kind.END) {
            Token t = take();
            if (t.isKeyword("OR")) {
                throw error("OR is not supported at position " + t.position + "; join comparisons with AND, or run "
                        + "one search per alternative (for a list of values use IN ('a', 'b'))");
            }
            if (!t.isKeyword("AND")) {
                throw error("expected AND or the end of the filter at position " + t.position + ", found '"
                        + t.text + "'");
            }
            out.add(comparison());
        }
        return out;
    }

    private FilterCondition comparison() {
        Token identifier = take();
        if (identifier.kind == Kind.LEFT_PARENTHESIS) {
            throw error("parentheses around comparisons are not supported (position " + identifier.position
                    + "); write comparisons joined by AND");
        }
        if (identifier.kind != Kind.IDENTIFIER) {
            throw error("expected an attribute or tags.<key> at position " + identifier.position + ", found "
                    + describe(identifier) + "; e.g. name = 'my-model'");
        }
        boolean tag;
        String key;
        if (identifier.entity == null) {
            tag = false;
            key = identifier.text;
        } else if (TAG_ENTITIES.contains(identifier.entity.toLowerCase(Locale.ROOT))) {
            tag = true;
            key = identifier.text;
        } else if (ATTRIBUTE_ENTITIES.contains(identifier.entity.toLowerCase(Locale.ROOT))) {
            tag = false;
            key = identifier.text;
        } else {
            throw error("invalid entity type '" + identifier.entity + "'; valid entity types are attribute, tag "
                    + "and tags (e.g. tags.team = 'fraud')");
        }
        if (!tag && !target.attributes().contains(key)) {
            throw error("invalid attribute key '" + key + "'; valid keys for " + target.description() + " are "
                    + new TreeSet<>(target.attributes()) + ", or tags.<key> for a tag");
        }
        if (tag && key.isEmpty()) {
            throw error("a tag key cannot be empty (position " + identifier.position + ")");
        }
        Comparator comparator = comparator(tag, key);
        List<String> values = comparator.isList() ? list(key) : List.of(value(tag, key, comparator));
        return new FilterCondition(tag, key, comparator, values);
    }

    private Comparator comparator(boolean tag, String key) {
        Token t = take();
        Comparator comparator;
        if (t.kind == Kind.OPERATOR) {
            comparator = switchOperator(t);
        } else if (t.isKeyword("LIKE")) {
            comparator = Comparator.LIKE;
        } else if (t.isKeyword("ILIKE")) {
            comparator = Comparator.ILIKE;
        } else if (t.isKeyword("IN")) {
            comparator = Comparator.IN;
        } else if (t.isKeyword("NOT") && peek().isKeyword("IN")) {
            take();
            comparator = Comparator.NOT_IN;
        } else if (t.isKeyword("IS")) {
            throw error("IS NULL and IS NOT NULL are not supported (position " + t.position + ")");
        } else {
            throw error("expected a comparator (=, !=, LIKE, ILIKE, IN …) after '" + key + "' at position "
                    + t.position + ", found " + describe(t));
        }
        Set<String> allowed = allowedComparators(tag, key);
        if (!allowed.contains(comparator.symbol())) {
            throw error("comparator '" + comparator.symbol() + "' is not supported for "
                    + (tag ? "tags" : "'" + key + "'") + "; use one of " + new TreeSet<>(allowed));
        }
        return comparator;
    }

    private Comparator switchOperator(Token t) {
        String op = t.text;
        if (op.equals("=") || op.equals("==")) {
            return Comparator.EQUALS;
        }
        if (op.equals("!=") || op.equals("<>")) {
            return Comparator.NOT_EQUALS;
        }
        if (op.equals("<")) {
            return Comparator.LESS;
        }
        if (op.equals("<=")) {
            return Comparator.LESS_OR_EQUAL;
        }
        if (op.equals(">")) {
            return Comparator.GREATER;
        }
        if (op.equals(">=")) {
            return Comparator.GREATER_OR_EQUAL;
        }
        throw error("unknown comparator '" + op + "' at position " + t.position);
    }

    private Set<String> allowedComparators(boolean tag, String key) {
        if (tag) {
            return STRING_COMPARATORS;
        }
        if (target.numericAttributes().contains(key)) {
            return Set.of("=", "!=", "<", "<=", ">", ">=");
        }
        if (target.listAttributes().contains(key)) {
            return Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");
        }
        return STRING_COMPARATORS;
    }

    private String value(boolean tag, String key, Comparator comparator) {
        Token t = take();
        boolean numeric = !tag && target.numericAttributes().contains(key);
        if (numeric) {
            if (t.kind == Kind.NUMBER || t.kind == Kind.STRING) {
                try {
                    return Long.toString(Long.parseLong(t.text.trim()));
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw error("'" + key + "' is compared with an integer, e.g. " + key + " " + comparator.symbol()
                    + " 3; found " + describe(t) + " at position " + t.position);
        }
        if (t.kind == Kind.STRING) {
            return t.text;
        }
        throw error("expected a quoted string value after '" + key + " " + comparator.symbol() + "' at position "
                + t.position + ", found " + describe(t) + " (e.g. " + (tag ? "tags." + key : key) + " "
                + comparator.symbol() + " 'value')");
    }

    private List<String> list(String key) {
        Token open = take();
        if (open.kind != Kind.LEFT_PARENTHESIS) {
            throw error("expected a parenthesised list of quoted strings after IN at position " + open.position
                    + ", e.g. " + key + " IN ('a', 'b')");
        }
        List<String> values = new ArrayList<>();
        while (true) {
            Token t = take();
            if (t.kind == Kind.RIGHT_PARENTHESIS && values.isEmpty()) {
                throw error("the list after IN is empty (position " + t.position + "); give at least one value");
            }
            if (t.kind != Kind.STRING) {
                throw error("expected a quoted string in the list at position " + t.position + ", found "
                        + describe(t));
            }
            values.add(t.text);
            Token after = take();
            if (after.kind == Kind.RIGHT_PARENTHESIS) {
                return values;
            }
            if (after.kind != Kind.COMMA) {
                throw error("expected ',' or ')' in the list at position " + after.position + ", found "
                        + describe(after));
            }
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind != Kind.END) {
            next++;
        }
        return t;
    }

    private static String describe(Token t) {
        return t.kind == Kind.END ? "the end of the filter" : "'" + t.text + "'";
    }

    private MlflowException error(String problem) {
        return MlflowException.invalidParameter("Invalid filter \"" + filter + "\": " + problem + ".");
    }

    private enum Kind { IDENTIFIER, STRING, NUMBER, OPERATOR, LEFT_PARENTHESIS, RIGHT_PARENTHESIS, COMMA, END }

    /** A token; for an identifier {@code entity.key}, {@code entity} is the part before the first dot. */
    private record Token(Kind kind, String entity, String text, int position, boolean quoted) {
        Token(Kind kind, String entity, String text, int position) {
            this(kind, entity, text, position, false);
        }

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENTIFIER && entity == null && !quoted && text.equalsIgnoreCase(keyword);
        }
    }

    /** Splits a filter into tokens; positions are 0-based character offsets. */
    private final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() {
            List<Token> out = new ArrayList<>();
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    out.add(new Token(Kind.END, null, "", i));
                    return out;
                }
                out.add(token());
            }
        }

        private Token token() {
            int start = i;
            char c = s.charAt(i);
            if (c == '(') {
                i++;
                return new Token(Kind.LEFT_PARENTHESIS, null, "(", start);
            }
            if (c == ')') {
                i++;
                return new Token(Kind.RIGHT_PARENTHESIS, null, ")", start);
            }
            if (c == ',') {
                i++;
                return new Token(Kind.COMMA, null, ",", start);
            }
            if (c == '\'' || c == '"') {
                // MLflow takes a double-quoted word as a value too (sqlparse reads it as an identifier it then
                // strips): "name = \"m\"" works like "name = 'm'".
                return new Token(Kind.STRING, null, quoted(c), start);
            }
            if (c == '`') {
                return new Token(Kind.IDENTIFIER, null, quoted('`'), start, true);
            }
            if ("=!<>".indexOf(c) >= 0) {
                while (i < s.length() && "=!<>".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
                return new Token(Kind.OPERATOR, null, s.substring(start, i), start);
            }
            if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                return new Token(Kind.NUMBER, null, s.substring(start, i), start);
            }
            if (Character.isLetter(c) || c == '_') {
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                String word = s.substring(start, i);
                if (i < s.length() && s.charAt(i) == '.') {
                    i++;
                    return new Token(Kind.IDENTIFIER, word, key(), start);
                }
                return new Token(Kind.IDENTIFIER, null, word, start);
            }
            throw error("unexpected character '" + c + "' at position " + start);
        }

        /** The key after {@code entity.}: quoted with ` or ", or bare (letters, digits, _ . - /). */
        private String key() {
            if (i < s.length() && (s.charAt(i) == '`' || s.charAt(i) == '"')) {
                return quoted(s.charAt(i));
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_.-/".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            return s.substring(start, i);
        }

        /** A quoted text starting at {@code i}; the quote doubled, or escaped with a backslash, stands for itself. */
        private String quoted(char quote) {
            int start = i;
            i++;
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    out.append(quote);
                    i += 2;
                } else if (c == quote && i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    out.append(quote);
                    i += 2;
                } else if (c == quote) {
                    i++;
                    return out.toString();
                } else {
                    out.append(c);
                    i++;
                }
            }
            throw error("the quote " + quote + " opened at position " + start + " is never closed");
        }
    }
}
