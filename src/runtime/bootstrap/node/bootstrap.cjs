// Stratus's Node.js runtime: a client of the Lambda Runtime API
// (AWS_LAMBDA_RUNTIME_API) that loads the function's handler and runs it the
// way AWS's managed Node.js runtime does: CommonJS and ES modules, async,
// promise-returning and callback handlers, the context object, console lines
// "<time>\t<requestId>\t<LEVEL>\t<message>", and AWS's error documents
// ({errorType, errorMessage, trace}) and Runtime.* error names.
//
// Written for Stratus; behaviour follows AWS's documentation and observed
// responses of the managed runtime.
'use strict';

const net = require('net');
const path = require('path');
const fs = require('fs');
const util = require('util');
const { pathToFileURL } = require('url');

const [apiHost, apiPort] = (process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001').split(':');

// ---------------------------------------------------------------- errors

function runtimeError(name, message) {
  const e = new Error(message);
  e.name = `Runtime.${name}`;
  return e;
}

function isErrorLike(e) {
  return e && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string';
}

// The document AWS's runtime posts for a failed invocation or init.
function errorDocument(err) {
  try {
    if (util.types.isNativeError(err) || isErrorLike(err)) {
      return { errorType: err.name, errorMessage: err.message, trace: err.stack.split('\n') };
    }
    return { errorType: typeof err, errorMessage: String(err), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

// How the runtime logs an error: a tab, then the error with its own
// enumerable properties and its stack as an array.
function formattedError(err) {
  const e = err instanceof Error ? err : new Error(err);
  try {
    return '\t' + JSON.stringify(e, (_k, v) => {
      if (v instanceof Error) {
        const out = Object.assign({ errorType: v.name, errorMessage: v.message, code: v.code }, v);
        if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
        return out;
      }
      return v;
    });
  } catch (_) {
    return '\t' + JSON.stringify(errorDocument(e));
  }
}

// ---------------------------------------------------------------- console

let currentRequestId; // "undefined" in lines logged during init, as on AWS

function patchConsole() {
  const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  const wanted = levels.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL || 'TRACE').toUpperCase());
  const threshold = wanted < 0 ? 0 : wanted;
  const make = (level) => {
    if (levels.indexOf(level) < threshold) return () => {};
    return (message, ...params) => {
      const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(message, ...params)}`;
      // One log event per call: AWS's runtime turns newlines into \r.
      process.stdout.write(line.replace(/\n/g, '\r') + '\n');
    };
  };
  console.trace = make('TRACE');
  console.debug = make('DEBUG');
  console.info = make('INFO');
  console.log = console.info;
  console.warn = make('WARN');
  console.error = make('ERROR');
  console.fatal = make('FATAL');
}

// ---------------------------------------------------------------- Runtime API client

// A keep-alive HTTP/1.1 client on one socket: cheaper per call than the
// http module, and unref'd between calls so that an idle connection never
// keeps the event loop alive (callbackWaitsForEmptyEventLoop relies on the
// loop draining while the handler runs). Requests may be pipelined: the
// answers come back in order, one pending promise each. The Runtime API
// always answers with a Content-Length.
//
// Each of 32 busy environments sees a 32nd of the load, so V8 takes long to
// optimize any of them: the per-call path stays short. Reads bypass the
// socket's stream machinery (`onread` into one reused buffer) and requests
// are written as one string.
class RuntimeApiClient {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.socket = null;
    this.readBuffer = Buffer.allocUnsafe(64 * 1024);
    this.pending = [];
    this.head = null; // the parsed head of an answer whose body is incomplete
    this.chunks = []; // owned copies of received bytes not yet consumed
    this.length = 0;
    this.batched = null;
  }

  // Requests made inside fn go out in one write, so the server reads them
  // together (see report() in invokeOnce).
  batch(fn) {
    this.batched = [];
    try {
      fn();
    } finally {
      const messages = this.batched;
      this.batched = null;
      if (messages.length && this.socket) this.socket.write(messages.join(''), 'utf8');
    }
  }

  request(method, path, body, headers) {
    return new Promise((resolve, reject) => {
      if (!this.socket) this.connect();
      const payload = body === undefined ? '' : body;
      let message = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Length: ${Buffer.byteLength(payload, 'utf8')}\r\n`;
      if (headers) for (const name in headers) message += `${name}: ${headers[name]}\r\n`;
      message += '\r\n' + payload;
      if (this.pending.length === 0) this.socket.ref();
      this.pending.push({ resolve, reject, message });
      if (this.batched) this.batched.push(message);
      else this.socket.write(message, 'utf8');
    });
  }

  connect() {
    const socket = net.connect({
      host: this.host,
      port: this.port,
      onread: { buffer: this.readBuffer, callback: (n, buffer) => this.received(socket, buffer, n) },
    });
    socket.setNoDelay(true);
    socket.on('error', (err) => this.lost(socket, err));
    socket.on('close', () => this.lost(socket, new Error('connection closed')));
    this.socket = socket;
  }

  forget() {
    this.socket = null;
    this.head = null;
    this.chunks = [];
    this.length = 0;
  }

  lost(socket, err) {
    if (this.socket !== socket) return;
    this.forget();
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(err);
  }

  // `buffer` is the reused read buffer: what is kept past this call is copied.
  received(socket, buffer, n) {
    if (this.socket !== socket) return;
    let data;
    if (this.length === 0) {
      data = buffer.subarray(0, n);
    } else {
      this.chunks.push(Buffer.from(buffer.subarray(0, n)));
      this.length += n;
      if (this.head && this.length < this.head.bodyLength) return;
      data = Buffer.concat(this.chunks, this.length);
      this.chunks = [];
      this.length = 0;
    }
    let offset = 0;
    while (this.socket === socket && offset < data.length) {
      if (!this.head) {
        const end = data.indexOf('\r\n\r\n', offset, 'latin1');
        if (end < 0) break;
        this.head = parseHead(data.toString('latin1', offset, end));
        offset = end + 4;
      }
      const { status, headers, bodyLength } = this.head;
      if (data.length - offset < bodyLength) break;
      this.head = null;
      const body = data.toString('utf8', offset, offset + bodyLength);
      offset += bodyLength;
      this.answered(status, headers, body);
    }
    if (this.socket === socket && offset < data.length) {
      this.chunks = [Buffer.from(data.subarray(offset))];
      this.length = data.length - offset;
    }
  }

  answered(status, headers, body) {
    const pending = this.pending.shift();
    if (this.pending.length === 0) this.socket.unref();
    if (headers.get('connection') === 'close') {
      // Requests pipelined behind this answer were never read (a refused
      // oversized body, say): they go again on a new connection.
      const socket = this.socket;
      this.forget();
      socket.destroy();
      if (this.pending.length) {
        this.connect();
        this.socket.write(this.pending.map((p) => p.message).join(''), 'utf8');
      }
    }
    if (pending) pending.resolve({ status, headers, body });
  }
}

// The status line and headers of an answer; header names lowercased.
function parseHead(text) {
  const lines = text.split('\r\n');
  const headers = new Map();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const status = Number(lines[0].split(' ')[1]);
  return { status, headers, bodyLength: Number(headers.get('content-length') || 0) };
}

const client = new RuntimeApiClient(apiHost, Number(apiPort));

function request(method, urlPath, body, headers) {
  return client.request(method, urlPath, body, headers);
}

// Nothing is left to report to: the environment is gone.
function lostRuntimeApi(err) {
  process.stderr.write(`Stratus runtime: the Runtime API is unreachable (${err && err.message}); exiting\n`);
  process.exit(1);
}

function serialize(result) {
  return JSON.stringify(result === undefined ? null : result);
}

function postResponse(id, result) {
  let body;
  try {
    body = serialize(result);
  } catch (_) {
    return postError(id, new Error('Unable to stringify response body'));
  }
  return request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(id)}/response`, body, {
    'Content-Type': 'application/json',
  }).catch(lostRuntimeApi);
}

function postError(id, err) {
  const doc = errorDocument(err);
  return request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(id)}/error`, JSON.stringify(doc), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': doc.errorType,
  }).catch(lostRuntimeApi);
}

function postInitError(err) {
  const doc = errorDocument(err);
  return request('POST', '/2018-06-01/runtime/init/error', JSON.stringify(doc), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': doc.errorType,
  }).catch(lostRuntimeApi);
}

// ---------------------------------------------------------------- loading the handler

function hasTypeModule(folder) {
  for (;;) {
    if (folder.endsWith('/node_modules')) return false;
    const pj = path.join(folder, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8')).type === 'module';
      } catch (_) {
        return false;
      }
    }
    const parent = path.dirname(folder);
    if (parent === folder) return false;
    folder = parent;
  }
}

async function importFile(file) {
  return fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined;
}

function requireFile(file) {
  return fs.existsSync(file) ? require(file) : undefined;
}

// Tries the module as AWS's runtime does: an extensionless file, .js as
// CommonJS (or as ESM under "type": "module"), .mjs, .cjs, then Node's own
// resolution from the task root.
async function loadModule(taskRoot, moduleRoot, moduleName) {
  const base = path.resolve(taskRoot, moduleRoot, moduleName);
  const extensionless = requireFile(base);
  if (extensionless) return extensionless;
  const typeModule = fs.existsSync(base + '.js') && hasTypeModule(path.dirname(base + '.js'));
  if (!typeModule) {
    const cjs = requireFile(base + '.js');
    if (cjs) return cjs;
  }
  const loaded =
    (typeModule && (await importFile(base + '.js'))) || (await importFile(base + '.mjs')) || requireFile(base + '.cjs');
  if (loaded) return loaded;
  return require(require.resolve(moduleName, { paths: [taskRoot, moduleRoot] }));
}

async function loadHandler(taskRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw runtimeError(
      'MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const moduleAndHandler = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(moduleAndHandler));
  const match = moduleAndHandler.match(/^([^.]*)\.(.*)$/);
  if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match;

  let app;
  try {
    app = await loadModule(taskRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(e));
    if (e && e.code === 'MODULE_NOT_FOUND') throw runtimeError('ImportModuleError', String(e));
    throw e;
  }
  const fn = handlerPath.split('.').reduce((obj, key) => obj && obj[key], app);
  if (!fn) throw runtimeError('HandlerNotFound', `${fullHandler} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError('HandlerNotFound', `${fullHandler} is not a function`);
  return fn;
}

// ---------------------------------------------------------------- the invoke loop

// The one 'beforeExit' action: what happens when the event loop drains
// before the handler reported (callbackWaitsForEmptyEventLoop semantics).
let beforeExit = () => {};
process.on('beforeExit', () => beforeExit());

// What an uncaught exception or unhandled rejection does: during init it is
// an init error, during an invocation an invocation error; then the process
// exits (129 / 128) and Stratus replaces the environment.
let failProcess = (err, code) => postInitError(err).then(() => process.exit(code));

process.on('uncaughtException', (err) => {
  console.error('Uncaught Exception', formattedError(err));
  failProcess(err, 129);
});
process.on('unhandledRejection', (reason) => {
  const err = new Error(reason);
  err.name = 'Runtime.UnhandledPromiseRejection';
  err.reason = reason;
  console.error('Unhandled Promise Rejection', formattedError(err));
  failProcess(err, 128);
});

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new Error(`Cannot parse ${name} as json: ${e.toString()}`);
  }
}

function buildContext(headers, id, report) {
  let waitForEmptyEventLoop = true;
  let finished = false;
  const deadline = Number(headers.get('lambda-runtime-deadline-ms'));

  const complete = (err, result) => {
    if (finished) return;
    finished = true;
    beforeExit = () => {};
    report(err, result);
  };
  const callback = (err, result) => {
    if (finished) return;
    if (err !== undefined && err !== null) return complete(err);
    if (!waitForEmptyEventLoop) return complete(null, result);
    // AWS answers once the event loop is empty (timers, sockets...).
    beforeExit = () => setImmediate(() => complete(null, result));
  };
  const done = (err, result) => complete(err === undefined || err === null ? null : err, result);

  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(v) {
      waitForEmptyEventLoop = v;
    },
    succeed: (result) => done(null, result),
    fail: (err) => done(err === undefined || err === null ? 'handled' : err),
    done,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(headers.get('lambda-runtime-client-context'), 'ClientContext'),
    identity: parseJsonHeader(headers.get('lambda-runtime-cognito-identity'), 'CognitoIdentity'),
    invokedFunctionArn: headers.get('lambda-runtime-invoked-function-arn'),
    awsRequestId: id,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  return { context, callback, markFinished: () => (finished = true), isFinished: () => finished };
}

async function invokeOnce(handler, isAsync) {
  let next;
  try {
    next = await request('GET', '/2018-06-01/runtime/invocation/next');
  } catch (e) {
    return lostRuntimeApi(e);
  }
  if (next.status !== 200) return lostRuntimeApi(new Error(`next answered ${next.status}: ${next.body}`));
  const headers = next.headers;
  const id = headers.get('lambda-runtime-aws-request-id');
  currentRequestId = id;
  const traceId = headers.get('lambda-runtime-trace-id');
  if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
  else delete process.env._X_AMZN_TRACE_ID;

  // The next /next goes out with the answer, in the same write, rather than
  // after its 202 comes back; Stratus then sends the 202 with the next
  // event: one wake-up of this process per invocation instead of two.
  const report = (err, result) => {
    if (err !== undefined && err !== null) console.error('Invoke Error', formattedError(err));
    client.batch(() => {
      if (err !== undefined && err !== null) postError(id, err);
      else postResponse(id, result);
      invokeOnce(handler, isAsync);
    });
  };
  failProcess = (err, code) => postError(id, err).then(() => process.exit(code));

  let built;
  try {
    built = buildContext(headers, id, report);
    // A handler that neither answers nor leaves work behind: an async one
    // failed to settle its promise; a callback one answered null.
    beforeExit = () => {
      built.markFinished();
      beforeExit = () => {};
      if (isAsync) {
        const err = runtimeError(
          'NodeJsExit',
          'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
        );
        console.error('Invoke Error', formattedError(err));
        postError(id, err).then(() => setImmediate(() => invokeOnce(handler, isAsync)));
      } else {
        postResponse(id, null).then(() => setImmediate(() => invokeOnce(handler, isAsync)));
      }
    };
    const result = handler(JSON.parse(next.body), built.context, built.callback);
    if (result && typeof result.then === 'function') {
      result.then(built.context.succeed, built.context.fail);
    }
  } catch (err) {
    if (built) built.callback(err);
    else report(err);
  }
}

async function main() {
  patchConsole();
  const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  let handler;
  try {
    handler = await loadHandler(taskRoot, process.env._HANDLER || '');
  } catch (err) {
    console.error('Uncaught Exception', formattedError(err));
    await postInitError(err);
    process.exit(129);
  }
  const isAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
  setImmediate(() => invokeOnce(handler, isAsync));
}

main();
