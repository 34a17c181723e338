/**
 * Reading the TypeScript syntax tree: the expression inside parentheses and type assertions, and the name a
 * value gets from where it is assigned.
 */
import { ts } from 'ts-morph';

const { isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isExpressionWithTypeArguments, isIdentifier, isNonNullExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isSatisfiesExpression, isStringLiteral, isTypeAssertionExpression, isVariableDeclaration, SyntaxKind: SK } = ts;

/** The expression inside parentheses, type assertions and non-null assertions. */
export function stripOuter(n: ts.Expression): ts.Expression {
  // Iterative: nesting can be deep.
  for (;;) {
    if (
      isParenthesizedExpression(n) ||
      isAsExpression(n) ||
      isTypeAssertionExpression(n) ||
      isNonNullExpression(n) ||
      isSatisfiesExpression(n) ||
      isExpressionWithTypeArguments(n)
    )
      n = n.expression;
    else return n;
  }
}

/** The name a model gets from where it is constructed (variable, property), or undefined. */
export function assignedName(node: ts.Node): string | undefined {
  let n: ts.Node = node;
  let p = n.parent;
  for (let guard = 0; p && guard < 1000; guard++) {
    if (
      isParenthesizedExpression(p) ||
      isAsExpression(p) ||
      isTypeAssertionExpression(p) ||
      isNonNullExpression(p) ||
      isSatisfiesExpression(p) ||
      isAwaitExpression(p)
    ) {
      n = p;
      p = p.parent;
      continue;
    }
    // tf.tidy(() => tf.sequential(...)): the name is where the tidy result goes.
    if (isArrowFunction(p) && p.body === n && p.parent && isCallExpression(p.parent) && p.parent.arguments.includes(p)) {
      const callee = p.parent.expression;
      if (isPropertyAccessExpression(callee) && callee.name.text === 'tidy') {
        n = p.parent;
        p = n.parent;
        continue;
      }
    }
    break;
  }
  if (!p) return undefined;
  if (isVariableDeclaration(p) && p.initializer === n && isIdentifier(p.name)) return p.name.text;
  if (isBinaryExpression(p) && p.right === n && p.operatorToken.kind === SK.EqualsToken) {
    const l = p.left;
    if (isIdentifier(l)) return l.text;
    if (isPropertyAccessExpression(l)) return l.name.text;
  }
  if (isPropertyAssignment(p) && p.initializer === n && (isIdentifier(p.name) || isStringLiteral(p.name))) return p.name.text;
  if (isPropertyDeclaration(p) && p.initializer === n && isIdentifier(p.name)) return p.name.text;
  return undefined;
}
