/**
 * uia-sim's engine: a deterministic, synchronous discrete-event simulator that knows nothing
 * about Matrix. The Synapse model lives in models/, the properties in properties/, and the
 * command line (the composition root) in src/cli/. Read docs/architecture.md's "The engine" first.
 */
export { Rng } from './rng.js';
export { Clock } from './clock.js';
export { type Chooser, SHARED_OWNER, RandomChooser, TapeChooser, ExhaustiveChooser } from './chooser.js';
export { Scheduler } from './scheduler.js';
export {
  type Message,
  type MessageKind,
  type RequestMessage,
  type ResponseMessage,
  type CommandMessage,
  type ResultMessage,
  type ResetMessage,
  type TimerMessage,
  type NotifyMessage,
  makeMessage,
} from './message.js';
export { type HttpMethod, type HttpRequest, type HttpResponse, httpResponse } from './http.js';
export { type Effect, type Task, type HttpHandler, type BackgroundTask, UNAVAILABLE, BackendUnavailableError, HttpError, isBackendUnavailable, isHttpError, call, cpu, sleep, notify } from './effects.js';
export { type SimNode, type SimOptions, Sim, StepBudgetExceededError } from './sim.js';
export { type NetworkOptions, Network } from './network.js';
export { type App, type AppFactory, type ProcessContext, ProcessNode } from './process.js';
export { type Balancer, type HashKey, type RouteRule, type Pool, type RoutingMap, RouterNode, ipHash } from './router.js';
export { type HostPort, type NginxRenderOptions, type NginxRouting, NginxConfigError, NginxRenderError, parseNginxConfig, renderNginxConfig } from './routing/nginx.js';
export { type Fault, type CrashFault, type PartitionFault, type DropFault, type FaultPlan, NO_FAULTS, describeFault } from './faults.js';
export { FaultInjector } from './fault-injector.js';
export { type TraceEvent, type ObserveEvent, type LifecycleEvent, type FactEvent, type DropReason, type ObservePhase, Trace, hashEvents } from './trace.js';
export { TOKEN_PREFIX, TokenError, canonicalJson, encodeToken, decodeToken } from './run/token.js';
