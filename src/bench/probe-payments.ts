/**
 * Probe payments for the alert-latency run: a card nobody else uses pays PRIMING times, then once
 * more (the trigger). The finance template's velocity rule (more than 6 payments in 10 minutes)
 * fires on the trigger and on nothing before it; amounts are tiny so only the count rule fires.
 */
export const PRIMING = 6;

export interface ProbePayment {
  readonly key: string;
  readonly id: string;
  readonly value: string;
}

export function probePayments(probe: number, atMs: number): { priming: ProbePayment[]; trigger: ProbePayment } {
  const card = `bench-probe-card-${probe}`;
  const payment = (id: string): ProbePayment => ({
    key: card,
    id,
    value: JSON.stringify({
      transactionId: id,
      timestamp: new Date(atMs).toISOString(),
      customer: { id: `bench-probe-customer-${probe}` },
      card: { id: card, present: true },
      merchant: { terminalId: 'bench-probe-terminal', mcc: '5411', country: 'BE' },
      amount: { value: 1, currency: 'EUR' },
      channel: 'pos',
    }),
  });
  return {
    priming: Array.from({ length: PRIMING }, (_, i) => payment(`probe-${probe}-${i}`)),
    trigger: payment(`probe-${probe}-trigger`),
  };
}
