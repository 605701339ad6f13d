package dev.drover.scheduler.pipeline;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.StringLoader;

import dev.drover.platform.security.secrets.SecretReferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code {{ … }}} expressions in a task's config strings at registration time, so that a misspelt
 * parameter or an output read from a task that has not run yet is reported with its path instead of failing the
 * task at dispatch.
 *
 * <p>Only variable references are checked, by scanning each expression's tokens: the roots {@code params},
 * {@code tasks}, {@code run} and {@code attempt} are what the scheduler puts into the template context when it
 * dispatches an attempt; {@code secrets} must be a whole expression, {@code {{ secrets.NAME }}}, in a config value
 * that may hold one, because the executor fills it in ({@link SecretReferences}). Filters, tests and function calls
 * are left to Pebble, which parses each string here once to catch syntax errors.
 */
final class TemplateChecker {
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    /** Text Pebble does not evaluate: verbatim blocks (how a literal {{ is written) and comments. */
    private static final Pattern NOT_EVALUATED = Pattern.compile(
            "\\{%-?\\s*verbatim\\s*-?%}.*?\\{%-?\\s*endverbatim\\s*-?%}|\\{#.*?#}", Pattern.DOTALL);
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "is", "in", "contains", "equals",
            "true", "false", "null", "none", "instanceof");
    private static final List<String> ROOTS = List.of("params", "tasks", "run", "attempt", "secrets");
    private static final Set<String> RUN_FIELDS = Set.of("id", "pipeline", "logicalDate", "dataIntervalStart",
            "dataIntervalEnd");
    private static final Set<String> MAP_FIELDS = Set.of("item", "index");
    private static final List<String> OPERATORS = List.of("==", "!=", "<=", ">=", "..");
    /** Same settings as the renderer that resolves templates at dispatch, so both agree on what parses. */
    private static final PebbleEngine PEBBLE = new PebbleEngine.Builder()
            .loader(new StringLoader())
            .autoEscaping(false)
            .strictVariables(true)
            .newLineTrimming(false)
            .cacheActive(false)
            .build();

    /**
     * What a task's templates may refer to.
     *
     * @param taskId     the task whose config this is
     * @param parameters declared parameter names
     * @param tasks      all task ids, for messages
     * @param upstream   whether a task id is a direct or transitive dependency of {@code taskId}
     * @param mapped     whether the task has {@code mapOver}, so that its templates may use {@code map.item} and
     *                   {@code map.index}
     */
    record Scope(String taskId, Set<String> parameters, List<String> tasks, Predicate<String> upstream,
                 boolean mapped, String secretsElsewhere) {
        /** A task without {@code mapOver}. */
        Scope(String taskId, Set<String> parameters, List<String> tasks, Predicate<String> upstream) {
            this(taskId, parameters, tasks, upstream, false, null);
        }

        Scope(String taskId, Set<String> parameters, List<String> tasks, Predicate<String> upstream,
              boolean mapped) {
            this(taskId, parameters, tasks, upstream, mapped, null);
        }

        /**
         * This scope for a config value where secrets may ({@code null}) or may not be used; {@code elsewhere} says
         * where they may.
         */
        Scope secrets(String elsewhere) {
            return new Scope(taskId, parameters, tasks, upstream, mapped, elsewhere);
        }
    }

    private static final Pattern TAG = Pattern.compile("\\{%(.*?)%}", Pattern.DOTALL);
    private static final Pattern SECRETS_WORD = Pattern.compile("(?<![A-Za-z0-9_.])secrets(?![A-Za-z0-9_])");

    private enum Kind { IDENT, STRING, NUMBER, PUNCT }

    private record Token(Kind kind, String text, int start, int end) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        boolean isIdent(String name) {
            return kind == Kind.IDENT && text.equals(name);
        }
    }

    private TemplateChecker() {
    }

    /** Whether a string contains template syntax at all (plain strings are by far the common case). */
    static boolean isTemplate(String s) {
        return s.contains("{{") || s.contains("{%") || s.contains("{#");
    }

    static void check(String text, String path, Scope scope, List<SpecProblem> problems) {
        if (!isTemplate(text)) {
            return;
        }
        try {
            PEBBLE.getTemplate(text);
        } catch (PebbleException | IllegalArgumentException e) {
            String reason = e instanceof PebbleException pe ? pe.getPebbleMessage() : e.getMessage();
            problems.add(new SpecProblem(path, "template does not parse: " + reason + "; check that every {{ has a "
                    + "matching }} and the expression inside is valid, e.g. {{ params.name }}"));
            return;
        }
        // Variables bound by {% for %} or {% set %} look like unknown roots, so those are only reported when the
        // string has no tags; references to params and tasks are checked either way.
        String evaluated = NOT_EVALUATED.matcher(text).replaceAll(" ");
        boolean hasTags = evaluated.contains("{%");
        if (hasTags) {
            Matcher tag = TAG.matcher(evaluated);
            while (tag.find()) {
                if (SECRETS_WORD.matcher(tag.group(1)).find()) {
                    problems.add(new SpecProblem(path, "a secret can only be used as a whole expression, "
                            + "{{ secrets.NAME }}, not inside {% %}: its value is filled in on the executor, after "
                            + "every other template has been rendered"));
                    break;
                }
            }
        }
        Matcher m = EXPRESSION.matcher(evaluated);
        while (m.find()) {
            checkExpression(m.group(1).strip(), tokens(m.group(1)), path, scope, hasTags, problems);
        }
    }

    private static void checkExpression(String expr, List<Token> tokens, String path, Scope scope, boolean hasTags,
                                        List<SpecProblem> problems) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() != Kind.IDENT || !isVariable(tokens, i)) {
                continue;
            }
            List<Token> chain = new ArrayList<>();
            int j = i + 1;
            while (j < tokens.size()) {
                if (tokens.get(j).is(".") && j + 1 < tokens.size()
                        && (tokens.get(j + 1).kind() == Kind.IDENT || tokens.get(j + 1).kind() == Kind.NUMBER)) {
                    chain.add(tokens.get(j + 1));
                    j += 2;
                } else if (tokens.get(j).is("[") && j + 2 < tokens.size()
                        && tokens.get(j + 1).kind() == Kind.STRING && tokens.get(j + 2).is("]")) {
                    chain.add(tokens.get(j + 1));
                    j += 3;
                } else {
                    // A computed subscript such as params[name] cannot be checked statically; its inner
                    // expression is scanned by the outer loop.
                    break;
                }
            }
            j = checkReference(expr, t.text(), chain, tokens, j, path, scope, hasTags, problems);
            i = j - 1;
        }
    }

    /** Whether the identifier at {@code i} names a variable, as opposed to a member, filter, test or function. */
    private static boolean isVariable(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        Token prev = i > 0 ? tokens.get(i - 1) : null;
        Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        if (KEYWORDS.contains(t.text())) {
            return false;
        }
        if (prev != null && (prev.is(".") || prev.is("|") || prev.isIdent("is"))) {
            return false;
        }
        if (prev != null && prev.isIdent("not") && i > 1 && tokens.get(i - 2).isIdent("is")) {
            return false;
        }
        return next == null || !(next.is("(") || next.is("="));
    }

    /** Checks one reference; returns the index of the first token after it. */
    private static int checkReference(String expr, String root, List<Token> chain, List<Token> tokens, int next,
                                      String path, Scope scope, boolean hasTags, List<SpecProblem> problems) {
        String quoted = "`{{ " + expr + " }}`";
        switch (root) {
            case "params" -> {
                if (!chain.isEmpty() && !scope.parameters().contains(chain.get(0).text())) {
                    String name = chain.get(0).text();
                    problems.add(new SpecProblem(path, quoted + " uses parameter `" + name + "`, which is not "
                            + "declared; declare it under `parameters` or fix the name ("
                            + (scope.parameters().isEmpty() ? "this pipeline declares no parameters"
                            : "declared: " + String.join(", ", scope.parameters())) + ")"));
                }
            }
            case "tasks" -> {
                if (chain.isEmpty()) {
                    break;
                }
                Token first = chain.get(0);
                // `tasks.train-model.outputs` parses as `tasks.train - model.outputs`: say so instead of reporting
                // an unknown task `train` and an unknown variable `model`.
                if (first.kind() == Kind.IDENT && chain.size() == 1 && next + 1 < tokens.size()
                        && tokens.get(next).is("-") && tokens.get(next).start() == first.end()
                        && tokens.get(next + 1).start() == tokens.get(next).end()) {
                    StringBuilder id = new StringBuilder(first.text());
                    int k = next;
                    while (k + 1 < tokens.size() && tokens.get(k).is("-")
                            && tokens.get(k).start() == tokens.get(k - 1).end()
                            && tokens.get(k + 1).start() == tokens.get(k).end()
                            && tokens.get(k + 1).kind() != Kind.PUNCT && tokens.get(k + 1).kind() != Kind.STRING) {
                        id.append('-').append(tokens.get(k + 1).text());
                        k += 2;
                    }
                    problems.add(new SpecProblem(path, quoted + ": in an expression `-` means minus, so `tasks."
                            + id + "` does not name task `" + id + "`; write tasks['" + id + "'].outputs.NAME"));
                    return k;
                }
                String taskId = first.text();
                if (taskId.equals(scope.taskId())) {
                    problems.add(new SpecProblem(path, quoted + " reads outputs of task `" + taskId
                            + "` itself, which do not exist while it runs; read them in a downstream task"));
                } else if (!scope.tasks().contains(taskId)) {
                    problems.add(new SpecProblem(path, quoted + " refers to task `" + taskId + "`, which this "
                            + "pipeline does not have; known tasks: " + String.join(", ", scope.tasks())));
                } else if (!scope.upstream().test(taskId)) {
                    problems.add(new SpecProblem(path, quoted + " reads outputs of task `" + taskId + "`, which is "
                            + "not upstream of `" + scope.taskId() + "`, so its outputs may not exist yet; add `"
                            + taskId + "` to dependsOn of `" + scope.taskId() + "` (directly or through another "
                            + "task)"));
                } else if (chain.size() < 2 || !chain.get(1).text().equals("outputs")) {
                    problems.add(new SpecProblem(path, quoted + ": a task exposes only its outputs; write tasks."
                            + taskId + ".outputs.NAME"));
                }
            }
            case "run" -> {
                if (!chain.isEmpty() && !RUN_FIELDS.contains(chain.get(0).text())) {
                    problems.add(new SpecProblem(path, quoted + ": run has no `" + chain.get(0).text()
                            + "`; use run.id (the run id), run.pipeline (the pipeline id), run.logicalDate, "
                            + "run.dataIntervalStart or run.dataIntervalEnd"));
                }
            }
            case "secrets" -> {
                if (scope.secretsElsewhere() != null) {
                    problems.add(new SpecProblem(path, quoted + ": " + scope.secretsElsewhere()));
                } else if (!SecretReferences.isWholeReference(expr)) {
                    problems.add(new SpecProblem(path, quoted + ": a secret can only be used as a whole "
                            + "expression, {{ secrets.NAME }}, with no filter or operator: its value is filled in "
                            + "on the executor, after every other template has been rendered"));
                }
            }
            case "attempt" -> {
                if (!chain.isEmpty()) {
                    problems.add(new SpecProblem(path, quoted + ": attempt is a number (1 for the first attempt, 2 "
                            + "for the first retry) and has no fields; write {{ attempt }}"));
                }
            }
            case "map" -> {
                if (!scope.mapped()) {
                    if (hasTags) {
                        break; // may be a name bound by {% for %} or {% set %}, as for any unknown root
                    }
                    problems.add(new SpecProblem(path, quoted + ": `map` exists only in a task with `mapOver` (it "
                            + "is the element an instance runs); add mapOver to `" + scope.taskId() + "`, or use "
                            + "params or tasks instead"));
                } else if (chain.isEmpty() || !MAP_FIELDS.contains(chain.get(0).text())) {
                    problems.add(new SpecProblem(path, quoted + ": use map.item (this instance's element) or "
                            + "map.index (its position in the list, from 0)"));
                } else if (chain.get(0).text().equals("index") && chain.size() > 1) {
                    problems.add(new SpecProblem(path, quoted + ": map.index is a number and has no fields; write "
                            + "{{ map.index }}"));
                }
            }
            default -> {
                if (!hasTags) {
                    problems.add(new SpecProblem(path, quoted + " uses unknown variable `" + root + "`; templates "
                            + "can use " + String.join(", ", ROOTS) + ", e.g. {{ params.NAME }}, "
                            + "{{ tasks.TASK.outputs.NAME }}, {{ run.id }}, {{ secrets.NAME }}"));
                }
            }
        }
        return next;
    }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                        j++;
                    }
                    value.append(s.charAt(j));
                    j++;
                }
                out.add(new Token(Kind.STRING, value.toString(), i, Math.min(j + 1, s.length())));
                i = j + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.IDENT, s.substring(i, j), i, j));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < s.length() && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j + 1 < s.length() && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                }
                out.add(new Token(Kind.NUMBER, s.substring(i, j), i, j));
                i = j;
            } else {
                int start = i;
                String op = OPERATORS.stream().filter(o -> s.startsWith(o, start)).findFirst()
                        .orElse(String.valueOf(c));
                out.add(new Token(Kind.PUNCT, op, i, i + op.length()));
                i += op.length();
            }
        }
        return out;
    }
}
