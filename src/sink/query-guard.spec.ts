import { checkReadOnlyQuery } from './query-guard.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('checkReadOnlyQuery', () => {
  it.each([
    ['SELECT 1', 'SELECT', 'SELECT 1'],
    ['  select * from findings;;  ', 'SELECT', 'select * from findings'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH', 'WITH x AS (SELECT 1) SELECT * FROM x'],
    ['SHOW TABLES', 'SHOW', 'SHOW TABLES'],
    ['describe findings', 'DESCRIBE', 'describe findings'],
    ['DESC TABLE alerts', 'DESCRIBE', 'DESC TABLE alerts'],
    ['EXPLAIN PLAN header = 1 SELECT 1', 'EXPLAIN', 'EXPLAIN PLAN header = 1 SELECT 1'],
    ['-- why\n/* a /* nested */ comment */ SELECT 1', 'SELECT', '-- why\n/* a /* nested */ comment */ SELECT 1'],
    ["SELECT 'a; DROP TABLE x', \"in;sert\", `file`(1) FROM t", 'SELECT', "SELECT 'a; DROP TABLE x', \"in;sert\", `file`(1) FROM t"],
    ["SELECT 'it''s', 'back\\'slash; x'", 'SELECT', "SELECT 'it''s', 'back\\'slash; x'"],
    ['SELECT $$a;b$$, $tag$ ; $tag$', 'SELECT', 'SELECT $$a;b$$, $tag$ ; $tag$'],
    ['SELECT domain(url) FROM events # a url(x) ; comment', 'SELECT', 'SELECT domain(url) FROM events # a url(x) ; comment'],
    ['SELECT URLHierarchy(u), file_name FROM t', 'SELECT', 'SELECT URLHierarchy(u), file_name FROM t'],
  ])('allows %j', (sql, kind, statement) => {
    expect(checkReadOnlyQuery(sql)).toEqual({ kind, sql: statement });
  });

  it.each([
    ['', 'the query is empty'],
    [' ; ', 'the query is empty'],
    ['-- only a comment', 'the query is empty'],
    ['INSERT INTO findings VALUES (1)', 'only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed, not "INSERT"'],
    ['DROP TABLE findings', 'only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed, not "DROP"'],
    ["SET readonly = 0", 'only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed, not "SET"'],
    ['/* SELECT */ ALTER TABLE t DELETE WHERE 1', 'only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed, not "ALTER"'],
    ['(SELECT 1)', 'only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN are allowed, not "("'],
    ['SELECT 1; DROP TABLE findings', 'only one statement is allowed'],
    ['SELECT 1 -- x\n; SELECT 2', 'only one statement is allowed'],
    ["SELECT * FROM findings INTO OUTFILE '/tmp/x'", 'INTO OUTFILE is not allowed'],
    ["SELECT * FROM file('/etc/passwd')", "file() reaches outside the database and is not allowed"],
    ["SELECT file('/etc/passwd')", "file() reaches outside the database and is not allowed"],
    ["SELECT * FROM URL ('http://x', CSV)", "URL() reaches outside the database and is not allowed"],
    ["SELECT * FROM remote('h', system.one)", "remote() reaches outside the database and is not allowed"],
    ["SELECT * FROM s3Cluster('c', 'u')", "s3Cluster() reaches outside the database and is not allowed"],
    ["DESCRIBE executable('x.sh', TSV, 'a String')", "executable() reaches outside the database and is not allowed"],
    ['EXPLAIN AST INSERT INTO t VALUES (1)', 'EXPLAIN is allowed for SELECT and WITH queries only'],
    ['EXPLAIN', 'EXPLAIN is allowed for SELECT and WITH queries only'],
    ['SHOW USERS', 'SHOW of users, roles, grants, quotas, policies and profiles is not allowed'],
    ['SHOW CREATE USER default', 'SHOW of users, roles, grants, quotas, policies and profiles is not allowed'],
    ['SHOW GRANTS', 'SHOW of users, roles, grants, quotas, policies and profiles is not allowed'],
    ["SELECT 'unterminated", "unterminated ' quote"],
    ['SELECT /* open', 'unterminated comment'],
    ['SELECT $$ open', 'unterminated $$ string'],
  ])('refuses %j', (sql, reason) => {
    expect(thrown(() => checkReadOnlyQuery(sql))).toMatchObject({
      code: 'VIGIL_QUERY',
      retryable: false,
      message: `query refused: ${reason}`,
    });
  });
});
