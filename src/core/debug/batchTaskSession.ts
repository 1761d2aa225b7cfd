// Why: the `batch-task` DAP session: translates launch/terminate/restart to the debug engine and its phases/output to DAP events; no vscode import.
import { Event, ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, TerminatedEvent } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { ChildSessionLauncher, ChildSessionRequest } from "./childSessionLauncher";
import { DebugEngine, type LocalServiceAcquirer } from "./debugEngine";
import { planDebugLaunch, type BatchTaskLaunchArguments, type DebugPlan } from "./launchArguments";

/** Custom event asking the client to start a child `pwa-node` attach session; body: ChildSessionRequest. */
export const START_CHILD_EVENT = "batchTask/startChild";
/** Custom request the client answers START_CHILD_EVENT with: {taskId, started}. */
export const CHILD_STARTED_REQUEST = "batchTask/childStarted";

export interface BatchTaskSessionOptions {
  /** dist/cli.js, to start a local service when none runs */
  readonly cliPath: string;
  /** see DebugEngineOptions.acquireService (the standalone adapter uses the default) */
  readonly acquireService?: LocalServiceAcquirer;
}

type LaunchArguments = DebugProtocol.LaunchRequestArguments & BatchTaskLaunchArguments;

export class BatchTaskDebugSession extends LoggingDebugSession implements ChildSessionLauncher {
  private engine: DebugEngine | undefined;
  private run: Promise<void> | undefined;
  private launchArguments: LaunchArguments | undefined;
  private readonly pendingChildren = new Map<string, (started: boolean) => void>();

  constructor(private readonly options: BatchTaskSessionOptions) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { ...response.body, supportsConfigurationDoneRequest: true, supportsTerminateRequest: true, supportsRestartRequest: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    this.launchArguments = args;
    void this.startRun(response, args);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    const next = ((args as { arguments?: LaunchArguments } | undefined)?.arguments ?? this.launchArguments) as LaunchArguments;
    void (async () => {
      this.phase("Restarting: stopping the current run");
      await this.stopRun(true);
      await this.startRun(response, next);
    })();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.stopRun().then(() => this.sendResponse(response));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.stopRun().then(() => this.sendResponse(response));
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [] };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== CHILD_STARTED_REQUEST) {
      super.customRequest(command, response, args);
      return;
    }
    const { taskId, started } = (args ?? {}) as { taskId?: unknown; started?: unknown };
    this.pendingChildren.get(String(taskId))?.(started === true);
    this.sendResponse(response);
  }

  /** ChildSessionLauncher: a custom event the client answers with CHILD_STARTED_REQUEST; silence past the timeout is a no. */
  startChild(request: ChildSessionRequest): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), request.timeoutMs);
      const settle = (started: boolean) => {
        clearTimeout(timer);
        this.pendingChildren.delete(request.taskId);
        resolve(started);
      };
      this.pendingChildren.set(request.taskId, settle);
      this.sendEvent(new Event(START_CHILD_EVENT, request));
    });
  }

  /** Plans (configuration errors fail the launch request), then runs; the response goes once the task is on its way. */
  private async startRun(response: DebugProtocol.Response, args: LaunchArguments): Promise<void> {
    let plan: DebugPlan;
    try {
      plan = planDebugLaunch(args);
    } catch (error) {
      this.sendErrorResponse(response, { id: 1001, format: (error as Error).message, showUser: true });
      return this.sendEvent(new TerminatedEvent());
    }
    let responded = false;
    const respond = () => {
      if (!responded) this.sendResponse(response);
      responded = true;
    };
    const engine = new DebugEngine(plan, {
      cliPath: this.options.cliPath,
      acquireService: this.options.acquireService,
      launcher: this,
      listener: { phase: (text) => this.phase(text), output: (category, text) => this.sendEvent(new OutputEvent(text, category)), started: respond },
    });
    this.engine = engine;
    this.run = engine.run().then(
      (result) => {
        respond();
        this.phase(`Exit code ${result.exitCode}`);
        this.sendEvent(new ExitedEvent(result.exitCode));
      },
      (error: unknown) => {
        // a Batch service error's text is in its body (its `message` is not always a string)
        const failure = error as { message?: unknown; body?: { code?: string; message?: { value?: string } } };
        const message =
          typeof failure.message === "string" && failure.message ? failure.message : (failure.body?.message?.value ?? failure.body?.code ?? String(error));
        if (responded) this.phase(`The debug run failed: ${message}`);
        else this.sendErrorResponse(response, { id: 1002, format: message, showUser: true });
        responded = true;
      },
    );
    await this.run;
    if (this.engine === engine) {
      this.engine = undefined;
      this.sendEvent(new TerminatedEvent());
    }
  }

  /** For the adapter process's SIGTERM: a task left waiting under --inspect-brk would wait forever, so it is terminated first. */
  stopRunning(): Promise<void> {
    return this.stopRun();
  }

  /** Stops the run and waits for it; a restart keeps the session (no terminated event for the old run). */
  private async stopRun(restarting = false): Promise<void> {
    const engine = this.engine;
    const run = this.run;
    if (restarting) this.engine = undefined;
    if (!engine || !run) return;
    await engine.stop();
    await run;
  }

  private phase(text: string): void {
    this.sendEvent(new OutputEvent(`${text}\n`, "console"));
  }
}
