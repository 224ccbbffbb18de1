import { VigilError } from '../errors/vigil-error.js';

/**
 * Decides whether user SQL (`vigil query`, the API's query endpoint) may run. chdb cannot be put
 * in readonly mode per query (settings leak: readonly=1 would stay on and block the sink's
 * inserts for the rest of the process), so the guard is the protection there:
 * - exactly one statement (chdb runs `a; b` as two), starting with SELECT, WITH, SHOW,
 *   DESCRIBE/DESC or EXPLAIN;
 * - SELECT/WITH are run wrapped as a subquery (query.service.ts), where INSERT, FORMAT or INTO
 *   OUTFILE are syntax errors; INTO OUTFILE is refused here as well;
 * - EXPLAIN only of SELECT/WITH; SHOW not of users, roles, grants, quotas, policies, profiles;
 * - no SETTINGS clause (it could lift the limits of query-limits.ts);
 * - no function reaching outside the database: files, URLs, object stores, other servers and
 *   databases, executables (file(), url(), s3(), remote(), executable(), ...).
 * The tokenizer knows ClickHouse's quoting and comments, so none of these words count inside a
 * string, a quoted identifier or a comment.
 */

export type StatementKind = 'SELECT' | 'WITH' | 'SHOW' | 'DESCRIBE' | 'EXPLAIN';

export interface CheckedQuery {
  readonly kind: StatementKind;
  /** The statement without trailing semicolons and surrounding whitespace. */
  readonly sql: string;
}

const LEADING: Record<string, StatementKind> = {
  SELECT: 'SELECT',
  WITH: 'WITH',
  SHOW: 'SHOW',
  DESCRIBE: 'DESCRIBE',
  DESC: 'DESCRIBE',
  EXPLAIN: 'EXPLAIN',
};

const STATEMENT_WORDS = new Set(
  'SELECT WITH INSERT CREATE ALTER DROP TRUNCATE DELETE UPDATE OPTIMIZE SYSTEM KILL GRANT REVOKE ATTACH DETACH RENAME EXCHANGE SET USE BACKUP RESTORE MOVE UNDROP CHECK WATCH SHOW DESCRIBE DESC'.split(' '),
);

const ACCESS_WORDS = new Set('USER USERS ROLE ROLES GRANTS ACCESS QUOTA QUOTAS POLICY POLICIES PROFILE PROFILES PRIVILEGES'.split(' '));

/** Lower-cased names of functions and table functions that read or run things outside the database. */
const EXTERNAL_FUNCTIONS = new Set(
  [
    'file', 'fileCluster', 'url', 'urlCluster', 's3', 's3Cluster', 'gcs', 'oss', 'cosn', 'hdfs', 'hdfsCluster',
    'azureBlobStorage', 'azureBlobStorageCluster', 'iceberg', 'icebergS3', 'icebergAzure', 'icebergHDFS',
    'icebergLocal', 'icebergCluster', 'icebergS3Cluster', 'icebergAzureCluster', 'icebergHDFSCluster',
    'deltaLake', 'deltaLakeCluster', 'deltaLakeLocal', 'deltaLakeAzure', 'deltaLakeS3', 'hudi', 'hudiCluster',
    'paimon', 'hive', 'remote', 'remoteSecure', 'cluster', 'clusterAllReplicas', 'mysql', 'postgresql',
    'mongodb', 'redis', 'sqlite', 'odbc', 'jdbc', 'executable', 'input', 'arrowFlight', 'arrowflight',
    'ytsaurus', 'kafka', 'filesystem', 'python',
  ].map((name) => name.toLowerCase()),
);

interface Token {
  readonly type: 'word' | 'quoted' | 'string' | 'punct' | 'other';
  readonly text: string;
  readonly start: number;
}

export function checkReadOnlyQuery(input: string): CheckedQuery {
  const tokens = tokenize(input);
  let last = tokens.length;
  while (last > 0 && tokens[last - 1]!.text === ';') last -= 1;
  const statement = tokens.slice(0, last);
  const first = statement[0];
  if (!first) throw refuse('the query is empty');
  if (statement.some((token) => token.text === ';')) throw refuse('only one statement is allowed');
  const kind = first.type === 'word' ? LEADING[first.text.toUpperCase()] : undefined;
  if (!kind) throw refuse(`only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed, not ${JSON.stringify(first.text)}`);

  const words = statement.filter((token) => token.type === 'word').map((token) => token.text.toUpperCase());
  statement.forEach((token, index) => {
    if (token.type !== 'word') return;
    const next = statement[index + 1];
    if (token.text.toUpperCase() === 'INTO' && next?.type === 'word' && next.text.toUpperCase() === 'OUTFILE') {
      throw refuse('INTO OUTFILE is not allowed');
    }
    if (token.text.toUpperCase() === 'SETTINGS') throw refuse('SETTINGS is not allowed: the limits of user queries are fixed');
    if (next?.text === '(' && EXTERNAL_FUNCTIONS.has(token.text.toLowerCase())) {
      throw refuse(`${token.text}() reaches outside the database and is not allowed`);
    }
  });
  if (kind === 'EXPLAIN') {
    const explained = words.slice(1).find((word) => STATEMENT_WORDS.has(word));
    if (explained !== 'SELECT' && explained !== 'WITH') throw refuse('EXPLAIN is allowed for SELECT and WITH queries only');
  }
  if (kind === 'SHOW' && words.slice(1, 4).some((word) => ACCESS_WORDS.has(word))) {
    throw refuse('SHOW of users, roles, grants, quotas, policies and profiles is not allowed');
  }
  const sqlEnd = last === tokens.length ? input.length : tokens[last]!.start;
  return { kind, sql: input.slice(0, sqlEnd).trim() };
}

function refuse(reason: string): VigilError {
  return new VigilError('VIGIL_QUERY', `query refused: ${reason}`);
}

/** ClickHouse lexical structure, enough to find words, brackets and semicolons outside literals. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: Token['type'], start: number, end: number): void => {
    tokens.push({ type, text: sql.slice(start, end), start });
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i += 1;
    } else if (sql.startsWith('--', i) || c === '#') {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', i)) {
      i = skipBlockComment(sql, i);
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      push(c === "'" ? 'string' : 'quoted', start, i);
    } else if (c === '$' && /^\$([a-zA-Z_][a-zA-Z0-9_]*)?\$/.test(sql.slice(i))) {
      const tag = /^\$([a-zA-Z_][a-zA-Z0-9_]*)?\$/.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      if (close === -1) throw refuse('unterminated $$ string');
      i = close + tag.length;
      push('string', start, i);
    } else if (/[a-zA-Z_]/.test(c)) {
      while (i < sql.length && /[a-zA-Z0-9_$]/.test(sql[i]!)) i += 1;
      push('word', start, i);
    } else if ('()[]{};'.includes(c)) {
      i += 1;
      push('punct', start, i);
    } else {
      while (i < sql.length && !/[\sa-zA-Z_'"`$()[\]{};#]/.test(sql[i]!) && !sql.startsWith('--', i) && !sql.startsWith('/*', i)) i += 1;
      if (i === start) i += 1;
      push('other', start, i);
    }
  }
  return tokens;
}

function skipQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  throw refuse(`unterminated ${quote} quote`);
}

/** Block comments nest in ClickHouse. */
function skipBlockComment(sql: string, from: number): number {
  let nesting = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      nesting += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      nesting -= 1;
      i += 2;
      if (nesting === 0) return i;
    } else {
      i += 1;
    }
  }
  throw refuse('unterminated comment');
}
