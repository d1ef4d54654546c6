/*
 * Copyright 2026 The EKS Fleet Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * The SQL subset of AWS Config advanced queries:
 *
 *   SELECT property [, ...] | * | COUNT(*) | AGG(property) [AS alias]
 *   [ WHERE condition ]
 *   [ GROUP BY property [, ...] ]
 *   [ ORDER BY property [ASC|DESC] [, ...] ]
 *
 * Conditions: =, !=, <>, <, <=, >, >=, IN (...), NOT IN, BETWEEN x AND y,
 * LIKE 'pattern' (% and _), IS NULL / IS NOT NULL, AND, OR, NOT,
 * parentheses. No FROM (AWS has none), no JOIN, no DISTINCT, no
 * subqueries, no LIMIT clause (paging is the API's Limit): those are
 * refused with InvalidExpressionException, as AWS refuses them.
 */

export type Literal = string | number | boolean | null;

export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'not'; operand: Condition }
  | {
      type: 'compare';
      field: string;
      op: '=' | '!=' | '<' | '<=' | '>' | '>=';
      value: Literal;
    }
  | { type: 'in'; field: string; values: Literal[]; negated: boolean }
  | {
      type: 'between';
      field: string;
      low: Literal;
      high: Literal;
      negated: boolean;
    }
  | { type: 'like'; field: string; pattern: string; negated: boolean }
  | { type: 'null'; field: string; negated: boolean };

export type AggregateFunction = 'COUNT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

export type SelectItem =
  | { type: 'field'; field: string }
  | { type: 'all' }
  | {
      type: 'aggregate';
      fn: AggregateFunction;
      /** undefined for COUNT(*) */
      field?: string;
      /** The output name: the alias, or "COUNT(*)", "MAX(configuration.x)". */
      name: string;
    };

export interface Query {
  select: SelectItem[];
  where?: Condition;
  groupBy: string[];
  orderBy: Array<{ field: string; descending: boolean }>;
}

/** A query AWS would refuse; the service answers InvalidExpressionException. */
export class QuerySyntaxError extends Error {}

type Token =
  | { kind: 'word'; text: string; upper: string; pos: number }
  | { kind: 'string'; text: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'symbol'; text: string; pos: number }
  | { kind: 'end'; pos: number };

const FIELD_PART = /[A-Za-z0-9_]/;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const pos = i;
    if (c === "'" || c === '"') {
      // A quoted literal; the quote doubled inside it stands for itself.
      let text = '';
      i += 1;
      for (;;) {
        if (i >= expression.length) {
          throw new QuerySyntaxError(
            `Unterminated string starting at position ${pos + 1}`,
          );
        }
        if (expression[i] === c) {
          if (expression[i + 1] === c) {
            text += c;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += expression[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text, pos });
      continue;
    }
    if (
      /[0-9]/.test(c) ||
      (c === '-' && /[0-9]/.test(expression[i + 1] ?? ''))
    ) {
      const match = /^-?\d+(\.\d+)?/.exec(expression.slice(i))!;
      if (/[A-Za-z_]/.test(expression[i + match[0].length] ?? '')) {
        throw new QuerySyntaxError(
          `Unexpected '${expression.slice(
            i,
            i + match[0].length + 1,
          )}' at position ${pos + 1}`,
        );
      }
      tokens.push({ kind: 'number', value: Number(match[0]), pos });
      i += match[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (
        j < expression.length &&
        (FIELD_PART.test(expression[j]) || expression[j] === '.')
      ) {
        j += 1;
      }
      const text = expression.slice(i, j);
      tokens.push({ kind: 'word', text, upper: text.toUpperCase(), pos });
      i = j;
      continue;
    }
    const two = expression.slice(i, i + 2);
    if (['<=', '>=', '!=', '<>'].includes(two)) {
      tokens.push({ kind: 'symbol', text: two === '<>' ? '!=' : two, pos });
      i += 2;
      continue;
    }
    if ('=<>(),*'.includes(c)) {
      tokens.push({ kind: 'symbol', text: c, pos });
      i += 1;
      continue;
    }
    throw new QuerySyntaxError(
      `Unexpected character '${c}' at position ${pos + 1}`,
    );
  }
  tokens.push({ kind: 'end', pos: expression.length });
  return tokens;
}

const UNSUPPORTED = new Set([
  'FROM',
  'JOIN',
  'DISTINCT',
  'UNION',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'INSERT',
  'UPDATE',
  'DELETE',
  'INTO',
  'CASE',
  'EXISTS',
]);
const KEYWORDS = new Set([
  'SELECT',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'LIKE',
  'IS',
  'NULL',
  'GROUP',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'AS',
  'TRUE',
  'FALSE',
]);
const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG']);

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  private describe(token: Token): string {
    switch (token.kind) {
      case 'end':
        return 'the end of the query';
      case 'string':
        return `'${token.text}'`;
      case 'number':
        return String(token.value);
      default:
        return `'${token.text}'`;
    }
  }

  private fail(expected: string): never {
    const token = this.peek();
    throw new QuerySyntaxError(
      `Expected ${expected} but found ${this.describe(token)} at position ${
        token.pos + 1
      }`,
    );
  }

  private isWord(upper: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.upper === upper;
  }

  private isSymbol(text: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === text;
  }

  private expectWord(upper: string) {
    if (!this.isWord(upper)) {
      this.fail(upper);
    }
    this.next();
  }

  private expectSymbol(text: string) {
    if (!this.isSymbol(text)) {
      this.fail(`'${text}'`);
    }
    this.next();
  }

  private field(): string {
    const token = this.peek();
    if (token.kind !== 'word' || KEYWORDS.has(token.upper)) {
      if (token.kind === 'word' && UNSUPPORTED.has(token.upper)) {
        throw new QuerySyntaxError(`${token.upper} is not supported`);
      }
      this.fail('a property name');
    }
    if (UNSUPPORTED.has(token.upper)) {
      throw new QuerySyntaxError(`${token.upper} is not supported`);
    }
    if (token.text.endsWith('.') || token.text.includes('..')) {
      this.fail('a property name');
    }
    this.next();
    return token.text;
  }

  private literal(): Literal {
    const token = this.next();
    if (token.kind === 'string') {
      return token.text;
    }
    if (token.kind === 'number') {
      return token.value;
    }
    if (
      token.kind === 'word' &&
      (token.upper === 'TRUE' || token.upper === 'FALSE')
    ) {
      return token.upper === 'TRUE';
    }
    if (token.kind === 'word' && token.upper === 'NULL') {
      return null;
    }
    this.index -= 1;
    return this.fail('a value (a quoted string, a number, true or false)');
  }

  parse(): Query {
    this.expectWord('SELECT');
    const select = this.selectList();
    let where: Condition | undefined;
    if (this.isWord('WHERE')) {
      this.next();
      where = this.orCondition();
    }
    const groupBy: string[] = [];
    if (this.isWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      groupBy.push(this.field());
      while (this.isSymbol(',')) {
        this.next();
        groupBy.push(this.field());
      }
    }
    const orderBy: Query['orderBy'] = [];
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      do {
        if (orderBy.length > 0) {
          this.next();
        }
        const token = this.peek();
        let field: string;
        if (token.kind === 'word' && AGGREGATES.has(token.upper)) {
          field = this.aggregate().name;
        } else {
          field = this.field();
        }
        let descending = false;
        if (this.isWord('ASC') || this.isWord('DESC')) {
          descending = (this.next() as { upper: string }).upper === 'DESC';
        }
        orderBy.push({ field, descending });
      } while (this.isSymbol(','));
    }
    const rest = this.peek();
    if (rest.kind !== 'end') {
      if (rest.kind === 'word' && UNSUPPORTED.has(rest.upper)) {
        throw new QuerySyntaxError(`${rest.upper} is not supported`);
      }
      this.fail('the end of the query');
    }
    const aggregated = select.some(s => s.type === 'aggregate');
    if (groupBy.length > 0 && !aggregated) {
      throw new QuerySyntaxError(
        'GROUP BY requires an aggregate function in SELECT',
      );
    }
    if (aggregated) {
      for (const item of select) {
        if (item.type === 'field' && !groupBy.includes(item.field)) {
          throw new QuerySyntaxError(
            `${item.field} must appear in the GROUP BY clause or be used in an aggregate function`,
          );
        }
        if (item.type === 'all') {
          throw new QuerySyntaxError(
            'SELECT * cannot be combined with aggregate functions',
          );
        }
      }
    }
    return { select, where, groupBy, orderBy };
  }

  private aggregate(): Extract<SelectItem, { type: 'aggregate' }> {
    const fnToken = this.next() as { upper: string };
    const fn = fnToken.upper as AggregateFunction;
    this.expectSymbol('(');
    let field: string | undefined;
    if (this.isSymbol('*')) {
      if (fn !== 'COUNT') {
        throw new QuerySyntaxError(`${fn}(*) is not supported; only COUNT(*)`);
      }
      this.next();
    } else {
      field = this.field();
    }
    this.expectSymbol(')');
    let name = `${fn}(${field ?? '*'})`;
    if (this.isWord('AS')) {
      this.next();
      name = this.field();
    }
    return { type: 'aggregate', fn, field, name };
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (items.length > 0) {
        this.next();
      }
      const token = this.peek();
      if (this.isSymbol('*')) {
        this.next();
        items.push({ type: 'all' });
      } else if (
        token.kind === 'word' &&
        AGGREGATES.has(token.upper) &&
        this.tokens[this.index + 1]?.kind === 'symbol' &&
        (this.tokens[this.index + 1] as { text: string }).text === '('
      ) {
        items.push(this.aggregate());
      } else {
        items.push({ type: 'field', field: this.field() });
        if (this.isWord('AS')) {
          throw new QuerySyntaxError(
            'Aliases are only supported on aggregate functions',
          );
        }
      }
    } while (this.isSymbol(','));
    return items;
  }

  private orCondition(): Condition {
    let left = this.andCondition();
    while (this.isWord('OR')) {
      this.next();
      left = { type: 'or', left, right: this.andCondition() };
    }
    return left;
  }

  private andCondition(): Condition {
    let left = this.notCondition();
    while (this.isWord('AND')) {
      this.next();
      left = { type: 'and', left, right: this.notCondition() };
    }
    return left;
  }

  private notCondition(): Condition {
    if (this.isWord('NOT')) {
      this.next();
      return { type: 'not', operand: this.notCondition() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isSymbol('(')) {
      this.next();
      const inner = this.orCondition();
      this.expectSymbol(')');
      return inner;
    }
    const field = this.field();
    let negated = false;
    if (this.isWord('IS')) {
      this.next();
      if (this.isWord('NOT')) {
        this.next();
        negated = true;
      }
      this.expectWord('NULL');
      return { type: 'null', field, negated };
    }
    if (this.isWord('NOT')) {
      this.next();
      negated = true;
      if (
        !this.isWord('IN') &&
        !this.isWord('BETWEEN') &&
        !this.isWord('LIKE')
      ) {
        this.fail('IN, BETWEEN or LIKE after NOT');
      }
    }
    if (this.isWord('IN')) {
      this.next();
      this.expectSymbol('(');
      const values = [this.literal()];
      while (this.isSymbol(',')) {
        this.next();
        values.push(this.literal());
      }
      this.expectSymbol(')');
      return { type: 'in', field, values, negated };
    }
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.literal();
      this.expectWord('AND');
      const high = this.literal();
      return { type: 'between', field, low, high, negated };
    }
    if (this.isWord('LIKE')) {
      this.next();
      const token = this.next();
      if (token.kind !== 'string') {
        this.index -= 1;
        this.fail('a quoted pattern after LIKE');
      }
      return { type: 'like', field, pattern: token.text, negated };
    }
    const token = this.peek();
    if (
      token.kind === 'symbol' &&
      ['=', '!=', '<', '<=', '>', '>='].includes(token.text)
    ) {
      this.next();
      return {
        type: 'compare',
        field,
        op: token.text as '=' | '!=' | '<' | '<=' | '>' | '>=',
        value: this.literal(),
      };
    }
    return this.fail(
      'a comparison (=, !=, <, <=, >, >=, IN, BETWEEN, LIKE or IS)',
    );
  }
}

/** Parses an advanced query, or throws QuerySyntaxError saying what is wrong where. */
export function parseQuery(expression: string): Query {
  return new Parser(tokenize(expression)).parse();
}
