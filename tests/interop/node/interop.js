#!/usr/bin/env node
// Scenarios that drive an IoT hub (normally the local emulator) with the official Azure IoT Node
// SDKs, so that what the SDKs actually send and accept is checked, not what we believe they do.
//
// Usage: node interop.js <scenario>   (run without arguments for the list)
// Each scenario prints one JSON line on stdout with what it observed and exits 0, or prints the
// failure on stderr and exits 1 (2 for a usage or environment error, 3 when it ran out of time).
// The JSON has the same shape as interop.py's for the same scenario.
//
// Environment:
//   IOTHUB_CONNECTION_STRING  service connection string with registry and service rights
//   DMCTL_CA_FILE             PEM file of the CA that signed the hub's certificate
//   NODE_EXTRA_CA_CERTS       must name the same file: it is the only way to make the service
//                             SDK trust a private CA (protocol reference §F)
//   IOTHUB_GATEWAY_HOST       host devices dial for MQTT (default: localhost)
//   DMCTL_INTEROP_DIR         where tests/interop/setup.sh installed the SDKs (default: target/interop)
//   DMCTL_BULK_EXPORT_URI     (bulk) container SAS URI (read, write) the export job writes to and
//                             the import job writes importErrors.log to
//   DMCTL_BULK_IMPORT_URI     (bulk) container SAS URI (read, write) the import file is put in
//   INTEROP_TIMEOUT_SECS      give up after this long (default: 60)
'use strict';

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { createRequire } = require('node:module');
const { createHash, randomUUID } = require('node:crypto');
const { Readable } = require('node:stream');

const SCRIPT = 'interop.js';

function die(code, message) {
  process.stderr.write(`${SCRIPT}: ${message}\n`);
  process.exit(code);
}

function env(name) {
  const value = process.env[name];
  if (!value) die(2, `${name} is not set (see the header of ${__filename})`);
  return value;
}

// The SDKs live in target/interop/node, installed by setup.sh, not next to this script.
function sdkRequire() {
  const dir = process.env.DMCTL_INTEROP_DIR || path.resolve(__dirname, '../../../target/interop');
  const manifest = path.join(dir, 'node', 'package.json');
  if (!fs.existsSync(path.join(dir, 'node', 'node_modules'))) {
    die(2, `the Node SDKs are not installed in ${path.dirname(manifest)}; run tests/interop/setup.sh`);
  }
  return createRequire(manifest);
}

// Set by main() once the arguments are known to be right.
let Registry, ServiceClient, JobClient, DeviceClient, Mqtt, MqttWs, BlockBlobClient;
let SERVICE_CS, CA_PEM, GATEWAY, HOST, registry;

function configure() {
  const sdk = sdkRequire();
  ({ Registry, Client: ServiceClient, JobClient } = sdk('azure-iothub'));
  ({ Client: DeviceClient } = sdk('azure-iot-device'));
  ({ Mqtt, MqttWs } = sdk('azure-iot-device-mqtt'));
  // The storage SDK azure-iot-device itself uploads with (a dependency of it, not ours).
  ({ BlockBlobClient } = createRequire(sdk.resolve('azure-iot-device'))('@azure/storage-blob'));
  SERVICE_CS = env('IOTHUB_CONNECTION_STRING');
  CA_PEM = readCa(env('DMCTL_CA_FILE'));
  GATEWAY = process.env.IOTHUB_GATEWAY_HOST || 'localhost';
  HOST = field(SERVICE_CS, 'HostName');
  registry = Registry.fromConnectionString(SERVICE_CS);
}

function readCa(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    return die(2, `cannot read DMCTL_CA_FILE: ${err.message}`);
  }
}

function field(cs, key) {
  for (const part of cs.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at) === key) return part.slice(at + 1);
  }
  return die(2, `the service connection string has no ${key}`);
}

function out(result) {
  process.stdout.write(JSON.stringify(result) + '\n');
}

function suffix() {
  return randomUUID().slice(0, 8);
}

async function createDevice(deviceId) {
  // No keys given: the SDK sends empty ones and the hub generates them.
  const { responseBody: device } = await registry.create({ deviceId, status: 'enabled' });
  const key = device.authentication && device.authentication.symmetricKey && device.authentication.symmetricKey.primaryKey;
  if (!key) throw new Error(`the hub generated no key for ${deviceId}`);
  return `HostName=${HOST};DeviceId=${deviceId};SharedAccessKey=${key};GatewayHostName=${GATEWAY}`;
}

async function connectDevice(cs, websockets) {
  const client = DeviceClient.fromConnectionString(cs, websockets ? MqttWs : Mqtt);
  // The device SDK takes the CA as a PEM string.
  await client.setOptions({ ca: CA_PEM });
  await client.open();
  return client;
}

// What a failed service call tells its caller: the SDK's error class, the HTTP status and the
// hub's error code (nested as a JSON string in `Message` for method errors, §B.3).
function describeError(err) {
  let errorCode = null;
  try {
    errorCode = JSON.parse(JSON.parse(err.responseBody).Message).errorCode;
  } catch (_) {
    // Registry errors carry `ErrorCode:Name;text` instead; the class name covers those.
  }
  return {
    error: err && err.constructor ? err.constructor.name : 'Error',
    status: err && err.response ? err.response.statusCode : null,
    errorCode: errorCode === undefined ? null : errorCode,
  };
}

async function expectFailure(what, promise) {
  try {
    await promise;
  } catch (err) {
    return describeError(err);
  }
  throw new Error(`${what} succeeded but should have failed`);
}

function waitFor(what, seconds, register) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${seconds} s`)), seconds * 1000);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

async function scenarioRegistry() {
  const deviceId = `node-reg-${suffix()}`;
  const created = (await registry.create({ deviceId, status: 'enabled' })).responseBody;
  const got = (await registry.get(deviceId)).responseBody;
  const updated = (await registry.update({ deviceId, status: 'disabled', etag: got.etag })).responseBody;
  const listed = (await registry.list()).responseBody.map((d) => d.deviceId);
  await registry.delete(deviceId);
  const afterDelete = await expectFailure('reading a deleted device', registry.get(deviceId));
  out({
    created: created.deviceId,
    generatedKey: Boolean(created.authentication.symmetricKey.primaryKey),
    statusAfterUpdate: updated.status,
    etagChanged: got.etag !== updated.etag,
    listed: listed.includes(deviceId),
    afterDelete,
  });
}

async function scenarioTwin(websockets) {
  const deviceId = `node-twin-${suffix()}`;
  const client = await connectDevice(await createDevice(deviceId), websockets);
  const twin = await client.getTwin();
  const initialDesiredVersion = twin.properties.desired.$version;
  const desired = waitFor('the desired-properties notification', 20, (done) => {
    // The listener also fires at once with the desired properties already known; wait for ours.
    twin.on('properties.desired', (patch) => {
      if (patch && patch.interval !== undefined) done(patch);
    });
  });
  // Adding the listener subscribes without saying when the SUBACK came; this call (public in the
  // typings, @private in the docs) waits for it, so the service patch below cannot race it.
  await new Promise((resolve, reject) => twin.enableTwinDesiredPropertiesUpdates((e) => (e ? reject(e) : resolve())));
  await new Promise((resolve, reject) =>
    twin.properties.reported.update({ fw: '1.0', temp: 21 }, (e) => (e ? reject(e) : resolve())),
  );
  const before = (await registry.getTwin(deviceId)).responseBody;
  await registry.updateTwin(deviceId, { properties: { desired: { interval: 5 } } }, before.etag);
  const patch = await desired;
  const after = (await registry.getTwin(deviceId)).responseBody;
  await client.close();
  await registry.delete(deviceId);
  out({
    websockets,
    initialDesiredVersion,
    reportedSeenByService: after.properties.reported.fw,
    desiredPatch: patch,
    connectionState: after.connectionState,
  });
}

async function scenarioMethod() {
  const deviceId = `node-method-${suffix()}`;
  const client = await connectDevice(await createDevice(deviceId), false);
  client.onDeviceMethod('dm.info', (request, response) => {
    response.send(201, { echo: request.payload, name: request.methodName }, (err) => {
      if (err) die(1, `sending the method response failed: ${err}`);
    });
  });
  const service = ServiceClient.fromConnectionString(SERVICE_CS);
  // onDeviceMethod subscribes in the background with no completion signal; a connect timeout
  // makes the hub wait for the subscription instead of answering 404103 if the call wins the race.
  const { result } = await service.invokeDeviceMethod(deviceId, {
    methodName: 'dm.info',
    payload: { x: 1 },
    responseTimeoutInSeconds: 10,
    connectTimeoutInSeconds: 10,
  });
  await client.close();
  await registry.delete(deviceId);
  out({ status: result.status, payload: result.payload });
}

async function scenarioMethodErrors() {
  const service = ServiceClient.fromConnectionString(SERVICE_CS);
  const offlineId = `node-off-${suffix()}`;
  await createDevice(offlineId);
  const offline = await expectFailure(
    'a method on an offline device',
    service.invokeDeviceMethod(offlineId, { methodName: 'm', payload: {} }),
  );

  const silentId = `node-silent-${suffix()}`;
  const client = await connectDevice(await createDevice(silentId), false);
  client.onDeviceMethod('m', () => {
    // Subscribed but never answers: the hub must give up after responseTimeoutInSeconds.
  });
  // The SDK's own HTTP timeout is (response + connect) seconds, so with no connect timeout the
  // hub's 504 would race the SDK's socket timeout; the connect timeout also covers the subscription.
  const timeout = await expectFailure(
    'a method nobody answers',
    service.invokeDeviceMethod(silentId, {
      methodName: 'm',
      payload: {},
      responseTimeoutInSeconds: 5,
      connectTimeoutInSeconds: 10,
    }),
  );
  await client.close();
  await registry.delete(offlineId);
  await registry.delete(silentId);
  out({ offline, timeout });
}

async function scenarioQuery() {
  const batch = suffix();
  const ids = [0, 1, 2, 3, 4].map((i) => `node-q-${batch}-${i}`);
  for (const deviceId of ids) {
    await createDevice(deviceId);
    await registry.updateTwin(deviceId, { tags: { batch } }, '*');
  }
  const query = registry.createQuery(`SELECT * FROM devices WHERE tags.batch = '${batch}'`, 2);
  const seen = [];
  let pages = 0;
  while (query.hasMoreResults) {
    pages += 1;
    // The SDK stops only when the hub omits x-ms-continuation (§0 #6); never loop forever.
    if (pages > 10) throw new Error('query paging did not end after 10 pages');
    const { result } = await query.nextAsTwin();
    for (const twin of result) seen.push(twin.deviceId);
  }
  for (const deviceId of ids) await registry.delete(deviceId);
  out({ pages, seen: seen.sort(), expected: ids.sort() });
}

async function scenarioJob() {
  const batch = suffix();
  const ids = [0, 1, 2].map((i) => `node-job-${batch}-${i}`);
  const called = [];
  const clients = [];
  for (const deviceId of ids) {
    const client = await connectDevice(await createDevice(deviceId), false);
    client.onDeviceMethod('dm.reportAll', (request, response) => {
      called.push(deviceId);
      response.send(200, { ok: true }, () => {});
    });
    clients.push(client);
  }
  const jobs = JobClient.fromConnectionString(SERVICE_CS);
  const jobId = `node-job-${batch}`;
  const condition = `deviceId IN [${ids.map((d) => `'${d}'`).join(',')}]`;
  // The connect timeout lets the job wait for the devices' method subscriptions (see scenarioMethod).
  const { jobStatus: created } = await jobs.scheduleDeviceMethod(
    jobId,
    condition,
    { methodName: 'dm.reportAll', payload: {}, responseTimeoutInSeconds: 10, connectTimeoutInSeconds: 10 },
    new Date(),
    60,
  );
  let job = created;
  const deadline = Date.now() + 30000;
  while (!['completed', 'failed', 'cancelled'].includes(job.status)) {
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = (await jobs.getJob(jobId)).jobStatus;
  }
  // Unlike Python's helper (§0 #14), the Node job query reads the service's JSON array.
  const query = jobs.createQuery('scheduleDeviceMethod', null, 100);
  const listed = [];
  for (let pages = 0; query.hasMoreResults; pages += 1) {
    if (pages >= 10) throw new Error('job query paging did not end after 10 pages');
    const { result } = await query.next();
    for (const j of result) listed.push(j.jobId);
  }
  for (const client of clients) await client.close();
  for (const deviceId of ids) await registry.delete(deviceId);
  const stats = job.deviceJobStatistics || {};
  out({
    createdStatus: created.status,
    status: job.status,
    deviceCount: stats.deviceCount === undefined ? null : stats.deviceCount,
    succeeded: stats.succeededCount === undefined ? null : stats.succeededCount,
    called: called.sort(),
    expected: ids.sort(),
    listedByQuery: listed.includes(jobId),
  });
}

// Bytes every file-upload scenario sends: the same fixed 300 KiB pattern as interop.py.
const UPLOAD_SIZE = 300 * 1024;

function uploadPayload() {
  const data = Buffer.alloc(UPLOAD_SIZE);
  for (let i = 0; i < UPLOAD_SIZE; i += 1) data[i] = (i * 7 + Math.floor(i / 251)) % 256;
  return data;
}

// The Blob REST operation a request is, named as in the storage docs (and as interop.py does).
function storageOperation(method, query) {
  const comp = new URLSearchParams(query).get('comp');
  const names = { 'PUT ': 'PutBlob', 'PUT block': 'PutBlock', 'PUT blocklist': 'PutBlockList', 'GET ': 'GetBlob' };
  return names[`${method} ${comp || ''}`] || (method === 'HEAD' ? 'GetBlobProperties' : `${method} comp=${comp}`);
}

// uploadToBlob does the whole flow inside the SDK and shows nothing of it (no SAS URI, no
// correlation id, no storage requests). Both SDKs send every HTTPS request through
// `https.request`, so wrapping it is how the scenario sees what went over the wire.
function recordHttps() {
  const requests = [];
  const original = https.request;
  https.request = function recorded(...args) {
    const first = args[0];
    const options = typeof first === 'string' || first instanceof URL ? new URL(first) : first || {};
    const [pathname, query = ''] = String(options.path || `${options.pathname || ''}${options.search || ''}`).split('?');
    requests.push({ method: String(options.method || 'GET').toUpperCase(), pathname, query });
    return original.apply(this, args);
  };
  return {
    requests,
    stop() {
      https.request = original;
    },
  };
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function scenarioFileUpload() {
  const deviceId = `node-file-${suffix()}`;
  // File upload is plain HTTPS to the hub: the MQTT transport is never opened.
  const client = DeviceClient.fromConnectionString(await createDevice(deviceId), Mqtt);
  await client.setOptions({ ca: CA_PEM });
  const data = uploadPayload();
  const uploads = [];
  const recorder = recordHttps();
  try {
    // 1. uploadToBlob: SAS request, uploadStream in 4 MiB blocks, notification, all in the SDK.
    const wanted = `interop/node-${suffix()}.bin`;
    const first = recorder.requests.length;
    await client.uploadToBlob(wanted, Readable.from([data]), data.length);
    const seen = recorder.requests.slice(first);
    // Storage paths are /{container}/{deviceId}/{name}; the hub's own are /devices/{deviceId}/files….
    const storage = seen.filter((r) => {
      const [, first, second] = r.pathname.split('/');
      return first !== 'devices' && second === encodeURIComponent(deviceId);
    });
    const notification = seen.find((r) => r.pathname.includes('/files/notifications/'));
    uploads.push({
      mode: 'uploadToBlob',
      correlationId: notification ? decodeURIComponent(notification.pathname.split('/').pop()) : null,
      blobName: storage.length ? decodeURIComponent(storage[0].pathname.split('/').slice(2).join('/')) : null,
      containerName: storage.length ? storage[0].pathname.split('/')[1] : null,
      size: data.length,
      sha256: sha256(data),
      // The SDK never shows the device the SAS URI, so nothing here can read the blob back.
      readBackMatched: null,
      wire: storage.map((r) => storageOperation(r.method, r.query)),
    });

    // 2. The split API: the device gets the SAS URI, writes with the storage SDK, notifies.
    const info = await client.getBlobSharedAccessSignature(`interop/node-${suffix()}.bin`);
    const url = `https://${info.hostName}/${info.containerName}/${info.blobName}${info.sasToken}`;
    const blob = new BlockBlobClient(url);
    const from = recorder.requests.length;
    // uploadData sends one Put Blob up to its 256 MiB single-shot limit.
    await blob.uploadData(data);
    const readBack = await readAll((await blob.download()).readableStreamBody);
    const wire = recorder.requests
      .slice(from)
      .filter((r) => r.pathname.startsWith(`/${info.containerName}/`))
      .map((r) => storageOperation(r.method, r.query));
    await client.notifyBlobUploadStatus(info.correlationId, true, 201, 'uploaded by @azure/storage-blob (split API)');
    uploads.push({
      mode: 'split',
      correlationId: info.correlationId,
      blobName: info.blobName,
      containerName: info.containerName,
      size: data.length,
      sha256: sha256(data),
      readBackMatched: readBack.equals(data),
      wire,
    });
  } finally {
    recorder.stop();
  }
  await client.close();
  // The hub keeps the uploads of a deleted device, so the test can still check them.
  await registry.delete(deviceId);
  out({ deviceId, uploads });
}

// The URL of `blob` in the container a container SAS URI names (the SAS goes along).
function blobUrl(containerUri, blob) {
  const at = containerUri.indexOf('?');
  const base = at < 0 ? containerUri : containerUri.slice(0, at);
  const sas = at < 0 ? '' : containerUri.slice(at);
  return `${base.replace(/\/+$/, '')}/${blob}${sas}`;
}

// One plain HTTPS request to the hub's storage: the service side has no storage SDK, and a bulk
// user needs nothing more than Get Blob and Put Blob. NODE_EXTRA_CA_CERTS covers the CA.
function storageRequest(method, url, body, headers) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, headers: headers || {} }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function waitImportExportJob(jobId) {
  let job = await registry.getJob(jobId);
  const deadline = Date.now() + 30000;
  while (!['completed', 'failed', 'cancelled'].includes(job.status)) {
    if (Date.now() > deadline) throw new Error(`import/export job ${jobId} still ${job.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await registry.getJob(jobId);
  }
  return job;
}

// Export the registry to a container, delete the devices, import them back from the exported
// lines: the keys and tags must survive the round trip.
async function scenarioBulk() {
  const exportUri = env('DMCTL_BULK_EXPORT_URI');
  const importUri = env('DMCTL_BULK_IMPORT_URI');
  const batch = suffix();
  const ids = [0, 1, 2].map((i) => `node-bulk-${batch}-${i}`);
  const tagsOf = (i) => ({ batch, shelf: `s${i}` });
  const keys = {};
  for (const [i, deviceId] of ids.entries()) {
    const { responseBody: device } = await registry.create({ deviceId, status: 'enabled' });
    const { primaryKey, secondaryKey } = device.authentication.symmetricKey;
    keys[deviceId] = [primaryKey, secondaryKey];
    await registry.updateTwin(deviceId, { tags: tagsOf(i) }, '*');
  }

  const created = await registry.exportDevicesToBlob(exportUri, false);
  const exportedJob = await waitImportExportJob(created.jobId);
  const read = await storageRequest('GET', blobUrl(exportUri, 'devices.txt'));
  if (read.status !== 200) {
    throw new Error(`reading devices.txt from the export container answered ${read.status}: ${read.body.toString().slice(0, 300)}`);
  }
  const exported = {};
  for (const line of read.body.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const device = JSON.parse(line);
    if (Object.hasOwn(keys, device.id)) exported[device.id] = device;
  }
  const exportedKeys = Object.keys(exported).every(
    (d) => ((exported[d].authentication || {}).symmetricKey || {}).primaryKey === keys[d][0],
  );
  const exportedTags = ids.every((d, i) => !exported[d] || JSON.stringify(exported[d].tags) === JSON.stringify(tagsOf(i)));

  for (const deviceId of ids) await registry.delete(deviceId);
  const afterDelete = [];
  for (const deviceId of ids) {
    afterDelete.push((await expectFailure('reading a deleted device', registry.get(deviceId))).status);
  }

  const lines = ids.filter((d) => exported[d]).map((d) => JSON.stringify({ ...exported[d], importMode: 'createOrUpdate' }));
  const put = await storageRequest('PUT', blobUrl(importUri, 'devices.txt'), Buffer.from(lines.join('\n') + '\n', 'utf8'), {
    'x-ms-blob-type': 'BlockBlob',
    'Content-Type': 'text/plain',
  });
  if (put.status !== 201) {
    throw new Error(`writing devices.txt to the import container answered ${put.status}: ${put.body.toString().slice(0, 300)}`);
  }
  const importCreated = await registry.importDevicesFromBlob(importUri, exportUri);
  const importedJob = await waitImportExportJob(importCreated.jobId);
  const listed = (await registry.listJobs()).responseBody.map((j) => j.jobId);

  let importedKeys = true;
  let importedTags = true;
  for (const [i, deviceId] of ids.entries()) {
    const { symmetricKey } = (await registry.get(deviceId)).responseBody.authentication;
    importedKeys = importedKeys && symmetricKey.primaryKey === keys[deviceId][0] && symmetricKey.secondaryKey === keys[deviceId][1];
    const twin = (await registry.getTwin(deviceId)).responseBody;
    importedTags = importedTags && JSON.stringify(twin.tags) === JSON.stringify(tagsOf(i));
    await registry.delete(deviceId);
  }
  out({
    exportCreated: { type: created.type, status: created.status, excludeKeys: created.excludeKeysInExport },
    exportStatus: exportedJob.status,
    exportProgress: exportedJob.progress,
    exportFailure: exportedJob.failureReason === undefined ? null : exportedJob.failureReason,
    exportedIds: Object.keys(exported).sort(),
    expected: [...ids].sort(),
    exportedKeys,
    exportedTags,
    afterDelete,
    importCreated: { type: importCreated.type, status: importCreated.status },
    importStatus: importedJob.status,
    importProgress: importedJob.progress,
    importFailure: importedJob.failureReason === undefined ? null : importedJob.failureReason,
    importedKeys,
    importedTags,
    listed: listed.includes(created.jobId) && listed.includes(importCreated.jobId),
  });
}

const SCENARIOS = {
  registry: scenarioRegistry,
  'twin-mqtt': () => scenarioTwin(false),
  'twin-ws': () => scenarioTwin(true),
  method: scenarioMethod,
  'method-errors': scenarioMethodErrors,
  query: scenarioQuery,
  job: scenarioJob,
  'file-upload': scenarioFileUpload,
  bulk: scenarioBulk,
};

function main() {
  const name = process.argv[2];
  if (process.argv.length !== 3 || !Object.hasOwn(SCENARIOS, name)) {
    die(2, `usage: node ${SCRIPT} <${Object.keys(SCENARIOS).join('|')}>`);
  }
  configure();
  const seconds = Number(process.env.INTEROP_TIMEOUT_SECS || 60);
  // A hung SDK call must not hang the test run. Not unref'd: a promise nobody settles must not
  // let Node exit 0 silently.
  setTimeout(() => die(3, `${name}: no result after ${seconds} s`), seconds * 1000);
  SCENARIOS[name]().then(
    // SDK clients may keep sockets or timers alive after close; the result is already printed.
    () => process.exit(0),
    (err) => die(1, `${name} failed: ${err && err.stack ? err.stack : err}`),
  );
}

main();
