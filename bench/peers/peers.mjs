// The Node.js peers of bench/src/bin/peers.rs: ElectroDB 3 and DynamoDB-Toolbox 2
// doing one round of the same workloads as the Rust clients, written as each
// library's documentation shows. The Rust binary starts this script once per round:
//
//   node bench/peers/peers.mjs --client electrodb|toolbox --endpoint URL --table NAME
//        --round N --sizes singles,query_items,query_repeats,orders,collection_repeats,batch_items
//
// It seeds its own data untimed, then prints one line per workload:
// `RESULT name units wall_secs cpu_secs`, the CPU time being this process's user +
// system time across the workload (process.cpuUsage()).

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Entity as ElectroEntity, Service } from "electrodb";
import {
  BatchGetCommand,
  BatchGetRequest,
  BatchPutRequest,
  BatchWriteCommand,
  Entity as ToolboxEntity,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  Table,
  boolean,
  executeBatchGet,
  executeBatchWrite,
  item,
  number,
  string,
} from "dynamodb-toolbox";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])),
);
const [singles, queryItems, queryRepeats, orders, collectionRepeats, batchItems] = args.sizes
  .split(",")
  .map(Number);
const round = Number(args.round);
const name = args.client;

// The same client settings as dynaschema::local::client: the region and access key
// name DynamoDB Local's namespace, so every client sees the same table.
const client = new DynamoDBClient({
  endpoint: args.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
const documentClient = DynamoDBDocumentClient.from(client);

// The bench crate's samples (bench/src/lib.rs): Small::sample, Order::sample.
const pad = (n, width) => String(n).padStart(width, "0");
const small = (group, n) => ({
  group,
  id: `s${pad(n, 6)}`,
  name: `small item ${n}`,
  count: n,
  active: n % 2 === 0,
});
const start = Date.UTC(2026, 0, 1);
// dynaschema's fixed-width timestamp text: 2026-01-01T00:01:00.000000000Z.
const timestamp = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
const order = (customer_id, n) => ({
  customer_id,
  order_id: `o${pad(n, 5)}`,
  created_at: timestamp(start + n * 60_000),
  total_cents: 100 * n,
});
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** `work` runs `n` at a time over `inputs`. */
async function pool(inputs, n, work) {
  let next = 0;
  const results = [];
  await Promise.all(
    range(Math.min(n, inputs.length)).map(async () => {
      while (next < inputs.length) {
        const i = next++;
        results[i] = await work(inputs[i]);
      }
    }),
  );
  return results;
}

const chunks = (list, size) =>
  range(Math.ceil(list.length / size)).map((i) => list.slice(i * size, (i + 1) * size));

async function timed(workload, units, work) {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  console.log(`RESULT ${workload} ${units} ${seconds.toFixed(6)} ${((used.user + used.system) / 1e6).toFixed(6)}`);
}

function assertEqual(found, expected, what) {
  if (found !== expected) throw new Error(`${what}: expected ${expected}, found ${found}`);
}

const names = {
  singles: `${name}-r${round}`,
  query: `${name}-q`,
  customer: `${name}-c`,
  batch: `${name}-b${round}`,
};

// ElectroDB: the same key templates (`template`), attribute names kept as they are
// (`casing: "none"`), the collection as a Service collection on the primary index.
function electrodb() {
  const table = args.table;
  const config = { client: documentClient, table };
  const Small = new ElectroEntity(
    {
      model: { entity: "Small", version: "1", service: "bench" },
      attributes: {
        group: { type: "string", required: true },
        id: { type: "string", required: true },
        name: { type: "string", required: true },
        count: { type: "number", required: true },
        active: { type: "boolean", required: true },
      },
      indexes: {
        primary: {
          pk: { field: "pk", composite: ["group"], template: "GROUP#${group}", casing: "none" },
          sk: { field: "sk", composite: ["id"], template: "SMALL#${id}", casing: "none" },
        },
      },
    },
    config,
  );
  const Customer = new ElectroEntity(
    {
      model: { entity: "Customer", version: "1", service: "bench" },
      attributes: {
        customer_id: { type: "string", required: true },
        name: { type: "string", required: true },
      },
      indexes: {
        primary: {
          collection: "customerWithOrders",
          pk: { field: "pk", composite: ["customer_id"], template: "CUSTOMER#${customer_id}", casing: "none" },
          sk: { field: "sk", composite: [], template: "PROFILE", casing: "none" },
        },
      },
    },
    config,
  );
  const Order = new ElectroEntity(
    {
      model: { entity: "Order", version: "1", service: "bench" },
      attributes: {
        customer_id: { type: "string", required: true },
        order_id: { type: "string", required: true },
        created_at: { type: "string", required: true },
        total_cents: { type: "number", required: true },
      },
      indexes: {
        primary: {
          collection: "customerWithOrders",
          pk: { field: "pk", composite: ["customer_id"], template: "CUSTOMER#${customer_id}", casing: "none" },
          sk: {
            field: "sk",
            composite: ["created_at", "order_id"],
            template: "ORDER#${created_at}#${order_id}",
            casing: "none",
          },
        },
      },
    },
    config,
  );
  const service = new Service({ Customer, Order }, config);

  async function batchPut(entity, items) {
    let pending = items;
    while (pending.length > 0) {
      const { unprocessed } = await entity.put(pending).go({ concurrency: 4 });
      pending = unprocessed;
    }
  }

  return {
    async seed() {
      await batchPut(Small, range(queryItems).map((i) => small(names.query, i)));
      await Customer.put({ customer_id: names.customer, name: "Ada" }).go();
      await batchPut(Order, range(orders).map((i) => order(names.customer, i)));
    },
    put: (i) => Small.put(small(names.singles, i)).go(),
    async get(i) {
      const { data } = await Small.get({ group: names.singles, id: small(names.singles, i).id }).go();
      if (data === null) throw new Error("get: not found");
    },
    async query() {
      const { data } = await Small.query.primary({ group: names.query }).go({ pages: "all" });
      assertEqual(data.length, queryItems, "query");
    },
    async collection() {
      const { data } = await service.collections
        .customerWithOrders({ customer_id: names.customer })
        .go({ pages: "all" });
      assertEqual(data.Customer.length, 1, "collection: customers");
      assertEqual(data.Order.length, orders, "collection: orders");
    },
    batchPut: () => batchPut(Small, range(batchItems).map((i) => small(names.batch, i))),
    async batchGet() {
      let keys = range(batchItems).map((i) => ({ group: names.batch, id: small(names.batch, i).id }));
      let found = 0;
      while (keys.length > 0) {
        const { data, unprocessed } = await Small.get(keys).go({ concurrency: 4 });
        found += data.length;
        keys = unprocessed;
      }
      assertEqual(found, batchItems, "batch get");
    },
  };
}

// DynamoDB-Toolbox: the keys computed from the attributes (`computeKey`), its entity
// attribute saved as `_et`, no timestamps (dynaschema's items have none).
function toolbox() {
  const table = new Table({
    name: args.table,
    partitionKey: { name: "pk", type: "string" },
    sortKey: { name: "sk", type: "string" },
    entityAttributeSavedAs: "_et",
    documentClient,
  });
  const Small = new ToolboxEntity({
    name: "Small",
    table,
    timestamps: false,
    schema: item({
      group: string().key(),
      id: string().key(),
      name: string(),
      count: number(),
      active: boolean(),
    }),
    computeKey: ({ group, id }) => ({ pk: `GROUP#${group}`, sk: `SMALL#${id}` }),
  });
  const Customer = new ToolboxEntity({
    name: "Customer",
    table,
    timestamps: false,
    schema: item({ customer_id: string().key(), name: string() }),
    computeKey: ({ customer_id }) => ({ pk: `CUSTOMER#${customer_id}`, sk: "PROFILE" }),
  });
  const Order = new ToolboxEntity({
    name: "Order",
    table,
    timestamps: false,
    schema: item({
      customer_id: string().key(),
      order_id: string().key(),
      created_at: string().key(),
      total_cents: number(),
    }),
    computeKey: ({ customer_id, created_at, order_id }) => ({
      pk: `CUSTOMER#${customer_id}`,
      sk: `ORDER#${created_at}#${order_id}`,
    }),
  });

  async function batchPut(entity, items) {
    await pool(chunks(items, 25), 4, (chunk) =>
      executeBatchWrite(
        { maxAttempts: Infinity },
        table.build(BatchWriteCommand).requests(...chunk.map((it) => entity.build(BatchPutRequest).item(it))),
      ),
    );
  }

  return {
    async seed() {
      await batchPut(Small, range(queryItems).map((i) => small(names.query, i)));
      await batchPut(Customer, [{ customer_id: names.customer, name: "Ada" }]);
      await batchPut(Order, range(orders).map((i) => order(names.customer, i)));
    },
    put: (i) => Small.build(PutItemCommand).item(small(names.singles, i)).send(),
    async get(i) {
      const { Item } = await Small.build(GetItemCommand)
        .key({ group: names.singles, id: small(names.singles, i).id })
        .send();
      if (Item === undefined) throw new Error("get: not found");
    },
    async query() {
      const { Items } = await table
        .build(QueryCommand)
        .entities(Small)
        .query({ partition: `GROUP#${names.query}` })
        .options({ maxPages: Infinity })
        .send();
      assertEqual(Items.length, queryItems, "query");
    },
    async collection() {
      const { Items } = await table
        .build(QueryCommand)
        .entities(Customer, Order)
        .query({ partition: `CUSTOMER#${names.customer}` })
        .options({ maxPages: Infinity, showEntityAttr: true })
        .send();
      assertEqual(Items.filter((it) => it.entity === "Customer").length, 1, "collection: customers");
      assertEqual(Items.filter((it) => it.entity === "Order").length, orders, "collection: orders");
    },
    batchPut: () => batchPut(Small, range(batchItems).map((i) => small(names.batch, i))),
    async batchGet() {
      const keys = range(batchItems).map((i) => ({ group: names.batch, id: small(names.batch, i).id }));
      const found = await pool(chunks(keys, 100), 4, async (chunk) => {
        const { Responses } = await executeBatchGet(
          { maxAttempts: Infinity },
          table.build(BatchGetCommand).requests(...chunk.map((key) => Small.build(BatchGetRequest).key(key))),
        );
        return Responses[0].filter((it) => it !== undefined).length;
      });
      assertEqual(
        found.reduce((a, b) => a + b, 0),
        batchItems,
        "batch get",
      );
    },
  };
}

const peer = { electrodb, toolbox }[name];
if (peer === undefined) throw new Error(`unknown client ${name}`);
const run = peer();
await run.seed();
await timed("put", singles, async () => {
  for (const i of range(singles)) await run.put(i);
});
await timed("get", singles, async () => {
  for (const i of range(singles)) await run.get(i);
});
await timed("query", queryRepeats, async () => {
  for (const _ of range(queryRepeats)) await run.query();
});
await timed("collection", collectionRepeats, async () => {
  for (const _ of range(collectionRepeats)) await run.collection();
});
await timed("batch_put", batchItems, run.batchPut);
await timed("batch_get", batchItems, run.batchGet);
