namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// Bounded metric store: instruments per service, series per attribute set, and a short point history per series.
/// MaxMetricsCount caps the points kept overall; the oldest point anywhere is evicted first.
/// </summary>
public sealed class MetricStore(int maxPointCount)
{
    /// <summary>RPC duration histograms of both semconv generations (ms-based and the newer seconds-based names).</summary>
    private static readonly Dictionary<string, string> s_rpcDurationInstruments = new(StringComparer.Ordinal)
    {
        ["rpc.server.duration"] = "server",
        ["rpc.client.duration"] = "client",
        ["rpc.server.call.duration"] = "server",
        ["rpc.client.call.duration"] = "client",
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Service, string Scope, string Name), Instrument> _instruments = [];
    private readonly Queue<(Instrument Instrument, Series Series)> _pointOrder = new();
    private long _version;
    private long _evicted;

    public long Version => Interlocked.Read(ref _version);
    public long EvictedCount => Interlocked.Read(ref _evicted);
    public int MaxCount => maxPointCount;

    public int PointCount
    {
        get
        {
            lock (_lock)
            {
                return _pointOrder.Count;
            }
        }
    }

    public void Add(IEnumerable<MetricSample> samples)
    {
        var added = false;
        lock (_lock)
        {
            foreach (var sample in samples)
            {
                var key = (sample.Resource.ServiceName, sample.Scope, sample.Name);
                if (!_instruments.TryGetValue(key, out var instrument))
                {
                    _instruments[key] = instrument = new Instrument(sample);
                }

                var series = instrument.SeriesFor(sample);
                series.Append(sample);
                _pointOrder.Enqueue((instrument, series));
                added = true;
                while (_pointOrder.Count > maxPointCount)
                {
                    EvictOldestPoint();
                }
            }
        }

        if (added)
        {
            Interlocked.Increment(ref _version);
        }
    }

    public IReadOnlyList<InstrumentView> Instruments(string? service = null)
    {
        lock (_lock)
        {
            return [.. _instruments.Values
                .Where(i => string.IsNullOrEmpty(service) || i.Service == service)
                .OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => i.ToView())];
        }
    }

    /// <summary>Latest state of every RPC duration histogram, merged across instances, per side, method and status.</summary>
    public IReadOnlyList<RpcDurationRow> RpcDurations()
    {
        lock (_lock)
        {
            return [.. _instruments.Values
                .Where(i => i.Kind is MetricKind.Histogram or MetricKind.ExponentialHistogram && s_rpcDurationInstruments.ContainsKey(i.Name) && !IsShadowedDuration(i))
                .SelectMany(i => i.AllSeries.Select(s => (Instrument: i, Series: s)))
                .Where(x => x.Series.Latest.Histogram is not null)
                .GroupBy(x => (
                    Side: s_rpcDurationInstruments[x.Instrument.Name],
                    x.Instrument.Service,
                    Method: RpcMethod(x.Series.Attributes),
                    Status: RpcStatus(x.Series.Attributes),
                    Scale: x.Instrument.Unit == "s" ? 1000.0 : 1.0))
                .Select(g =>
                {
                    var merged = g.Select(x => x.Series.Latest.Histogram!).Aggregate((a, b) => a.Plus(b));
                    return new RpcDurationRow(g.Key.Side, g.Key.Service, g.Key.Method, g.Key.Status, merged.Count,
                        merged.Percentile(0.50) * g.Key.Scale, merged.Percentile(0.95) * g.Key.Scale, merged.Percentile(0.99) * g.Key.Scale);
                })
                .OrderBy(r => r.Side, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Status, StringComparer.Ordinal)];
        }
    }

    private static string RpcMethod(IReadOnlyList<AttributeEntry> attributes) =>
        RpcAttributes.FullMethod(
            attributes.FirstOrDefault(a => a.Key == RpcAttributes.Service)?.Value,
            attributes.FirstOrDefault(a => a.Key == RpcAttributes.Method)?.Value) ?? "(unknown)";

    /// <summary>A service emitting both generations (ms and s histograms of the same calls) is shown once, from the ms one.</summary>
    private bool IsShadowedDuration(Instrument instrument) =>
        instrument.Name.EndsWith(".call.duration", StringComparison.Ordinal)
        && _instruments.ContainsKey((instrument.Service, instrument.Scope, instrument.Name.Replace(".call.duration", ".duration", StringComparison.Ordinal)));

    private static string RpcStatus(IReadOnlyList<AttributeEntry> attributes) =>
        GrpcStatusCodes.FromAttributes(
            attributes.FirstOrDefault(a => a.Key == RpcAttributes.ResponseStatusCode)?.Value,
            attributes.FirstOrDefault(a => a.Key == RpcAttributes.GrpcStatusCode)?.Value) ?? "(none)";

    private void EvictOldestPoint()
    {
        var (instrument, series) = _pointOrder.Dequeue();
        Interlocked.Increment(ref _evicted);
        if (series.DropOldest())
        {
            return;
        }

        instrument.Remove(series);
        if (instrument.IsEmpty)
        {
            _instruments.Remove((instrument.Service, instrument.Scope, instrument.Name));
        }
    }

    private sealed class Instrument(MetricSample first)
    {
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

        public string Service { get; } = first.Resource.ServiceName;
        public string Scope { get; } = first.Scope;
        public string Name { get; } = first.Name;
        public string Unit { get; } = first.Unit;
        public string Description { get; } = first.Description;
        public MetricKind Kind { get; } = first.Kind;
        public bool IsEmpty => _series.Count == 0;
        public IEnumerable<Series> AllSeries => _series.Values;

        public Series SeriesFor(MetricSample sample)
        {
            var key = sample.Resource.InstanceId + "|" + string.Join(',', sample.Attributes.Select(a => $"{a.Key}={a.Value}").Order(StringComparer.Ordinal));
            if (!_series.TryGetValue(key, out var series))
            {
                _series[key] = series = new Series(key, sample.Resource.InstanceId, sample.Attributes);
            }

            return series;
        }

        public void Remove(Series series) => _series.Remove(series.Key);

        public InstrumentView ToView() =>
            new(Service, Scope, Name, Unit, Description, Kind, [.. _series.Values.Select(s => s.ToView())]);
    }

    private sealed class Series(string key, string instanceId, IReadOnlyList<AttributeEntry> attributes)
    {
        private readonly Queue<MetricPoint> _history = new();

        public string Key { get; } = key;
        public IReadOnlyList<AttributeEntry> Attributes { get; } = attributes;
        public MetricPoint Latest { get; private set; } = null!;

        /// <summary>Delta points are folded into a running total so every view reads cumulative values.</summary>
        public void Append(MetricSample sample)
        {
            var point = sample.Point;
            if (sample.IsDelta && _history.Count > 0)
            {
                point = point with
                {
                    Value = point.Value + Latest.Value,
                    Histogram = point.Histogram is { } delta && Latest.Histogram is { } total ? total.Plus(delta) : point.Histogram,
                };
            }

            _history.Enqueue(point);
            Latest = point;
        }

        /// <summary>Drops the oldest point; false when the series has none left.</summary>
        public bool DropOldest()
        {
            _history.TryDequeue(out _);
            return _history.Count > 0;
        }

        public MetricSeriesView ToView() => new(instanceId, Attributes, Latest, [.. _history]);
    }
}
