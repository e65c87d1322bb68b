import { MetricsQueryError, type MetricsAlert, type MetricsSource, type QueryOptions, type QueryRange, type Series } from "../../../server/metrics";

/** A source that answers from a function and counts what reaches it; keeps to timeouts and series limits as Prometheus's client does. */
export class FakeSource implements MetricsSource {
  readonly id = "fake";
  readonly scrapeIntervalSeconds = 15;
  calls: Array<{ query: string; panelId?: string }> = [];
  alertList: MetricsAlert[] = [];

  constructor(
    private readonly answer: (query: string, options: QueryOptions) => Promise<Series[]> | Series[] = () => [{ labels: {}, points: [[0, 1]] }],
    readonly delayMs = 5,
  ) {}

  async queryRange(query: string, _range: QueryRange, options: QueryOptions): Promise<Series[]> {
    this.calls.push({ query, panelId: options.purpose?.panelId });
    await new Promise((r) => setTimeout(r, this.delayMs));
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new MetricsQueryError("timeout", `did not answer within ${options.timeoutMs} ms`, 504)), options.timeoutMs).unref();
    });
    const series = await Promise.race([this.answer(query, options), timeout]);
    if (options.maxSeries !== undefined && series.length > options.maxSeries) {
      throw new MetricsQueryError("too_large", `The query returned ${series.length} series, more than the ${options.maxSeries} a panel may draw`, 422);
    }
    return series;
  }

  async query(query: string, _time: number, options: QueryOptions): Promise<Series[]> {
    this.calls.push({ query, panelId: options.purpose?.panelId });
    return this.answer(query, options);
  }

  async alerts(): Promise<MetricsAlert[]> {
    this.calls.push({ query: "alerts" });
    return this.alertList;
  }
}
