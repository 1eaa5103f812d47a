/** The order-enrichment topologies through the TopologyTestDriver (the same topologies run on brokers in test/e2e). */
import { Serdes } from '@kstreams/streams';
import { TopologyTestDriver } from '@kstreams/test-utils';
import { globalEnrichmentTopology, SAMPLE, tableEnrichmentTopology, TOPICS, type EnrichedOrder, type PaidOrder } from '../src/topology';

const S = Serdes.String();
const config = { applicationId: 'order-enrichment-test', defaultDslStore: 'in_memory' as const };

function feed(d: TopologyTestDriver, withPayments: boolean): void {
  const customers = d.createInputTopic(TOPICS.customers, S.serializer(), Serdes.Json().serializer());
  const orders = d.createInputTopic(TOPICS.orders, S.serializer(), Serdes.Json().serializer());
  SAMPLE.customers.forEach(([k, v], i) => customers.pipeInput(k, v, 1_000 + i));
  SAMPLE.orders.forEach(([k, v], i) => orders.pipeInput(k, v, 10_000 + i));
  if (withPayments) {
    const payments = d.createInputTopic(TOPICS.payments, S.serializer(), Serdes.Json().serializer());
    SAMPLE.payments.forEach(([k, v], i) => payments.pipeInput(k, v, 20_000 + i));
  }
}

const expectedEnriched = [
  { key: 'o1', value: { orderId: 'o1', customerId: 'c1', product: 'keyboard', amount: 120, customer: { name: 'Ada', tier: 'gold' } } },
  { key: 'o2', value: { orderId: 'o2', customerId: 'c2', product: 'mouse', amount: 40, customer: { name: 'Grace', tier: 'silver' } } },
  { key: 'o3', value: { orderId: 'o3', customerId: 'c9', product: 'monitor', amount: 300, customer: null } },
];

test('orders enriched through the customers KTable (after a repartition), and matched with payments', () => {
  const d = new TopologyTestDriver(tableEnrichmentTopology(), config);
  try {
    feed(d, true);
    const enriched = d.createOutputTopic(TOPICS.enrichedByTable, S.deserializer(), Serdes.Json<EnrichedOrder>().deserializer()).readKeyValuesToList();
    expect(enriched).toEqual(expectedEnriched);
    const paid = d.createOutputTopic(TOPICS.paid, S.deserializer(), Serdes.Json<PaidOrder>().deserializer()).readKeyValuesToList();
    expect(paid).toEqual([
      { key: 'o1', value: { customerId: 'c1', product: 'keyboard', amount: 120, paid: 120, method: 'card' } },
      { key: 'o2', value: { customerId: 'c2', product: 'mouse', amount: 40, paid: 40, method: 'cash' } },
    ]);
  } finally {
    d.close();
  }
});

test('orders enriched through the customers GlobalKTable', () => {
  const d = new TopologyTestDriver(globalEnrichmentTopology(), config);
  try {
    feed(d, false);
    expect(d.createOutputTopic(TOPICS.enrichedByGlobal, S.deserializer(), Serdes.Json<EnrichedOrder>().deserializer()).readKeyValuesToList()).toEqual(expectedEnriched);
    expect(globalEnrichmentTopology().describe().toString()).toContain('for global store (will not generate tasks)');
  } finally {
    d.close();
  }
});
