/**
 * The order-enrichment topologies: orders enriched with their customer, read as a KTable (orders re-keyed by
 * customer id, so they are repartitioned first) or as a GlobalKTable (looked up by the order's customer id, no
 * repartition), and orders matched with their payment within 5 minutes (a windowed stream-stream join).
 * All values are JSON.
 */
import { Consumed, JoinWindows, Joined, Produced, Serdes, StreamJoined, StreamsBuilder } from '@kstreams/streams';
import type { Topology } from '@kstreams/streams';

export interface Order {
  readonly customerId: string;
  readonly product: string;
  readonly amount: number;
}

export interface Customer {
  readonly name: string;
  readonly tier: string;
}

export interface Payment {
  readonly amount: number;
  readonly method: string;
}

/** An order with its customer (`null` when the customer is unknown). */
export interface EnrichedOrder extends Order {
  readonly orderId: string;
  readonly customer: Customer | null;
}

/** An order with the payment made for it. */
export interface PaidOrder extends Order {
  readonly paid: number;
  readonly method: string;
}

export interface OrderTopics {
  readonly orders: string;
  readonly customers: string;
  readonly payments: string;
  readonly enrichedByTable: string;
  readonly enrichedByGlobal: string;
  readonly paid: string;
}

export const TOPICS: OrderTopics = {
  orders: 'orders',
  customers: 'customers',
  payments: 'payments',
  enrichedByTable: 'orders-enriched-table',
  enrichedByGlobal: 'orders-enriched-global',
  paid: 'orders-paid',
};

/** How far apart an order and its payment may be. */
export const PAYMENT_WINDOW = JoinWindows.ofTimeDifferenceAndGrace(5 * 60_000, 60_000);

const S = Serdes.String();

/**
 * Orders (keyed by order id) joined with the customers table after re-keying by customer id, and with payments
 * (keyed by order id) within `PAYMENT_WINDOW`.
 */
export function tableEnrichmentTopology(topics: OrderTopics = TOPICS): Topology {
  const builder = new StreamsBuilder();
  const orders = builder.stream(topics.orders, Consumed.with(S, Serdes.Json<Order>()));
  const customers = builder.table(topics.customers, Consumed.with(S, Serdes.Json<Customer>()));
  orders
    .map((orderId, order) => ({ key: order.customerId, value: { ...order, orderId } }))
    // the re-keyed orders go through a repartition topic: Joined gives its serdes
    .leftJoin(customers, (order, customer): EnrichedOrder => ({ ...order, customer }), Joined.with(S, Serdes.Json<Order & { orderId: string }>(), null))
    .map((_customerId, enriched) => ({ key: enriched.orderId, value: enriched }))
    .to(topics.enrichedByTable, Produced.with(S, Serdes.Json<EnrichedOrder>()));
  const payments = builder.stream(topics.payments, Consumed.with(S, Serdes.Json<Payment>()));
  orders
    .join(payments, (order, payment): PaidOrder => ({ ...order, paid: payment.amount, method: payment.method }), PAYMENT_WINDOW, StreamJoined.with(S, Serdes.Json<Order>(), Serdes.Json<Payment>()))
    .to(topics.paid, Produced.with(S, Serdes.Json<PaidOrder>()));
  return builder.build();
}

/** Orders joined with the customers as a GlobalKTable, looked up by each order's customer id. */
export function globalEnrichmentTopology(topics: OrderTopics = TOPICS): Topology {
  const builder = new StreamsBuilder();
  const customers = builder.globalTable(topics.customers, Consumed.with(S, Serdes.Json<Customer>()));
  builder
    .stream(topics.orders, Consumed.with(S, Serdes.Json<Order>()))
    .leftJoin(
      customers,
      (_orderId, order) => order.customerId,
      (orderId: string, order: Order, customer: Customer | null): EnrichedOrder => ({ ...order, orderId, customer }),
    )
    .to(topics.enrichedByGlobal, Produced.with(S, Serdes.Json<EnrichedOrder>()));
  return builder.build();
}

/** The sample data main.ts feeds (timestamps: customers before orders, payments after their orders). */
export const SAMPLE = {
  customers: [
    ['c1', { name: 'Ada', tier: 'gold' }],
    ['c2', { name: 'Grace', tier: 'silver' }],
  ] as ReadonlyArray<readonly [string, Customer]>,
  orders: [
    ['o1', { customerId: 'c1', product: 'keyboard', amount: 120 }],
    ['o2', { customerId: 'c2', product: 'mouse', amount: 40 }],
    ['o3', { customerId: 'c9', product: 'monitor', amount: 300 }],
  ] as ReadonlyArray<readonly [string, Order]>,
  payments: [
    ['o1', { amount: 120, method: 'card' }],
    ['o2', { amount: 40, method: 'cash' }],
  ] as ReadonlyArray<readonly [string, Payment]>,
};
