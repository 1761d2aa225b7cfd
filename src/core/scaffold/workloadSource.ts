// Why: reads a workload file with the TypeScript compiler API and finds where `add-task` may insert code — the one class
// extending WorkloadBase, its constructor's registerEntryPoint calls, the imports — or says why the shape is not recognised.

import type * as TypeScript from "typescript-api";

/** Where the insertions go, as offsets into the original text (nothing is reformatted). */
export interface WorkloadInsertionPoints {
  readonly workloadClass: string;
  /** after the last import declaration (0 when there is none) */
  readonly importEnd: number;
  /** after the last registerEntryPoint statement, or after super(...) */
  readonly registrationEnd: number;
  /** the indentation of that statement */
  readonly indent: string;
  /** every identifier already imported or declared at the top level */
  readonly topLevelNames: ReadonlySet<string>;
  /** entry points already registered (the first argument of registerEntryPoint) */
  readonly registered: ReadonlySet<string>;
}

export class UnrecognisedWorkloadError extends Error {}

export function loadTypeScript(): typeof TypeScript {
  // loaded only when a task is added: the compiler is large and no other command needs it
  return require("typescript-api") as typeof TypeScript;
}

export function findInsertionPoints(ts: typeof TypeScript, fileName: string, text: string): WorkloadInsertionPoints {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (source as unknown as { parseDiagnostics?: readonly TypeScript.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diagnostics.length) {
    const first = diagnostics[0]!;
    const { line, character } = source.getLineAndCharacterOfPosition(first.start);
    throw new UnrecognisedWorkloadError(
      `${fileName}:${line + 1}:${character + 1} does not parse (${ts.flattenDiagnosticMessageText(first.messageText, " ")}): fix it first`,
    );
  }
  const refuse = (why: string) => new UnrecognisedWorkloadError(`${fileName}: ${why}; add the task by hand (see the README), the file was left unchanged`);

  const topLevelNames = new Set<string>();
  let importEnd = 0;
  const workloadClasses: TypeScript.ClassDeclaration[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      importEnd = statement.getEnd();
      const clause = statement.importClause;
      if (clause?.name) topLevelNames.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) topLevelNames.add(element.name.text);
      if (bindings && ts.isNamespaceImport(bindings)) topLevelNames.add(bindings.name.text);
    } else if (ts.isClassDeclaration(statement)) {
      if (statement.name) topLevelNames.add(statement.name.text);
      const heritage = statement.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (heritage && ts.isIdentifier(heritage.expression) && heritage.expression.text === "WorkloadBase") workloadClasses.push(statement);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      topLevelNames.add(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) topLevelNames.add(declaration.name.text);
    }
  }
  if (workloadClasses.length !== 1) throw refuse(`expected exactly one class extending WorkloadBase, found ${workloadClasses.length}`);
  const workloadClass = workloadClasses[0]!;
  const constructors = workloadClass.members.filter(ts.isConstructorDeclaration);
  if (constructors.length !== 1 || !constructors[0]!.body)
    throw refuse(`${workloadClass.name?.text ?? "the workload class"} has no constructor body to register the task in`);
  const statements = constructors[0]!.body!.statements;

  let anchor: TypeScript.Statement | undefined;
  const registered = new Set<string>();
  for (const statement of statements) {
    if (isSuperCall(ts, statement) && !anchor) anchor = statement;
    const registration = registrationOf(ts, statement);
    if (registration !== undefined) {
      anchor = statement;
      if (registration) registered.add(registration);
    }
  }
  if (!anchor) throw refuse("the workload constructor neither calls super(...) nor this.entryPointsRepository.registerEntryPoint(...)");
  const lineStart = text.lastIndexOf("\n", anchor.getStart(source)) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { workloadClass: workloadClass.name?.text ?? "", importEnd, registrationEnd: anchor.getEnd(), indent, topLevelNames, registered };
}

function isSuperCall(ts: typeof TypeScript, statement: TypeScript.Statement): boolean {
  return (
    ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && statement.expression.expression.kind === ts.SyntaxKind.SuperKeyword
  );
}

/** For `this.entryPointsRepository.registerEntryPoint(X, …);` the name X ('' if not an identifier); undefined for other statements. */
function registrationOf(ts: typeof TypeScript, statement: TypeScript.Statement): string | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return undefined;
  const callee = statement.expression.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "registerEntryPoint") return undefined;
  const target = callee.expression;
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== "entryPointsRepository" || target.expression.kind !== ts.SyntaxKind.ThisKeyword)
    return undefined;
  const first = statement.expression.arguments[0];
  return first && ts.isIdentifier(first) ? first.text : "";
}
