/**
 * TypeScript source as a sequence of normalized tokens: comments and whitespace dropped, every identifier one token
 * kind and every literal another, so renaming variables, rewording strings or reformatting changes nothing.
 */
// The TypeScript tslab compiles cells with: a runtime dependency (the compiler package is only needed to build).
import * as ts from '@tslab/typescript-for-tslab';

/** Tokens as two parallel arrays (a cohort has millions of tokens: no object per token). */
export interface Tokens {
  /** each token's kind after abstraction: a SyntaxKind, with all identifiers and all literals folded into one each */
  readonly codes: Uint16Array;
  /** 1-based line of each token's start */
  readonly lines: Uint32Array;
}

// Read once: through a namespace import each `ts.SyntaxKind.X` is a property lookup, and this runs per token.
const {
  Identifier, PrivateIdentifier, OpenBraceToken, CloseBraceToken, TemplateHead, TemplateTail, SlashToken, SlashEqualsToken,
  EndOfFileToken, LastFutureReservedWord, LastKeyword,
} = ts.SyntaxKind;
const IDENTIFIER = Identifier;
const LITERAL = ts.SyntaxKind.StringLiteral;
const LITERALS = new Set([
  ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.BigIntLiteral, ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail,
]);
/** After these a `/` divides; elsewhere it starts a regular expression. */
const ENDS_OPERAND = new Set([
  ts.SyntaxKind.Identifier, ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword, ts.SyntaxKind.SuperKeyword, ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken, ...LITERALS,
]);

/** `from`, `of`, `type`, `get`… are keywords only in some places and names elsewhere: without a parser, names. */
const isContextualKeyword = (kind: ts.SyntaxKind): boolean => kind > LastFutureReservedWord && kind <= LastKeyword;

function abstracted(kind: ts.SyntaxKind): number {
  if (kind === Identifier || kind === PrivateIdentifier || isContextualKeyword(kind)) return IDENTIFIER;
  return LITERALS.has(kind) ? LITERAL : kind;
}

/** Start offsets of each line, for mapping token positions to line numbers. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let index = source.indexOf('\n'); index >= 0; index = source.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lineOf(starts: readonly number[], position: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= position) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/**
 * Scans `source` without parsing it (a learner's cell need not compile). The scanner alone cannot tell a template's
 * `}` from a block's, nor a regular expression from a division; a stack of open braces and the previous token decide.
 */
export function normalizedTokens(source: string): Tokens {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const starts = lineStarts(source);
  const braces: ('block' | 'template')[] = [];
  const codes: number[] = [];
  const lines: number[] = [];
  let previous: ts.SyntaxKind | undefined;
  for (let kind = scanner.scan(); kind !== EndOfFileToken; kind = scanner.scan()) {
    if (kind === CloseBraceToken && braces.at(-1) === 'template') {
      kind = scanner.reScanTemplateToken(false);
      if (kind === TemplateTail) braces.pop();
    } else if (kind === OpenBraceToken) braces.push('block');
    else if (kind === CloseBraceToken) braces.pop();
    else if (kind === TemplateHead) braces.push('template');
    else if ((kind === SlashToken || kind === SlashEqualsToken) && (previous === undefined || !ENDS_OPERAND.has(previous))) {
      kind = scanner.reScanSlashToken();
    }
    codes.push(abstracted(kind));
    lines.push(lineOf(starts, scanner.getTokenPos()));
    previous = kind;
  }
  return { codes: Uint16Array.from(codes), lines: Uint32Array.from(lines) };
}
