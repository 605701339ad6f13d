package dev.drover.scheduler.expression;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.parser.CelParser;
import dev.cel.parser.CelParserFactory;
import dev.cel.parser.CelStandardMacro;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds which keys of a map variable a CEL expression names, e.g. {@code train} and {@code data-prep} in
 * {@code tasks.train.outputs.auc > 0.8 && has(tasks['data-prep'])}, so that registration can check them against what
 * will be there (a task's {@code when} may only read the outputs of its upstream tasks).
 *
 * <p>Keys written as field selections ({@code v.k}, {@code has(v.k)}), as constant indexes ({@code v['k']}) and as
 * constant membership tests ({@code 'k' in v}) are found; a key computed at run time ({@code v[params.name]}) is not,
 * and fails at evaluation instead if it is missing.
 */
public final class References {
    private static final CelParser PARSER = CelParserFactory.standardCelParserBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).build();
    private static final String INDEX = "_[_]";
    private static final String IN = "@in";

    private References() {
    }

    /**
     * The keys of {@code variable} that {@code expression} names, in order of appearance; empty when the expression
     * does not parse ({@link dev.drover.platform.expression.Expressions#problem} reports that).
     */
    public static Set<String> keysOf(String expression, String variable) {
        Set<String> keys = new LinkedHashSet<>();
        CelAbstractSyntaxTree ast;
        try {
            ast = PARSER.parse(expression).getAst();
        } catch (CelValidationException e) {
            return keys;
        }
        CelNavigableAst.fromAst(ast).getRoot().allNodes().map(CelNavigableExpr::expr).forEach(e -> {
            if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && isIdent(e.select().operand(), variable)) {
                keys.add(e.select().field());
            } else if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
                List<CelExpr> args = e.call().args();
                String fn = e.call().function();
                if (fn.equals(INDEX) && args.size() == 2 && isIdent(args.get(0), variable)) {
                    stringConstant(args.get(1)).ifPresent(keys::add);
                } else if (fn.equals(IN) && args.size() == 2 && isIdent(args.get(1), variable)) {
                    stringConstant(args.get(0)).ifPresent(keys::add);
                }
            }
        });
        return keys;
    }

    private static boolean isIdent(CelExpr e, String name) {
        return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(name);
    }

    private static java.util.Optional<String> stringConstant(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return java.util.Optional.of(e.constant().stringValue());
        }
        return java.util.Optional.empty();
    }
}
