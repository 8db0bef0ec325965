using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using QuantCluster.Messages;

namespace QuantCluster.Node;

/// <summary>
/// One process's OpenTelemetry: the QuantCluster spans and instruments plus .NET's runtime metrics (GC, heap), tagged
/// with the process's role and address so a dashboard tells the coordinator's spans from each worker's. Disposing it
/// flushes what is still buffered.
/// </summary>
public sealed class Telemetry : IDisposable
{
    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metrics;

    private Telemetry(TracerProvider? traces, MeterProvider? metrics)
    {
        _traces = traces;
        _metrics = metrics;
    }

    /// <summary>The standard variable that names an OTLP collector; when it is set, OTLP is the default export.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <param name="role">coordinator, worker or calibration: service.name becomes quantcluster-{role}.</param>
    /// <param name="instance">This process's cluster address (service.instance.id).</param>
    /// <param name="prometheus">When set, metrics are also served for Prometheus to scrape at http://host:port/metrics (0.0.0.0: every interface).</param>
    public static Telemetry Start(string role, string instance, TelemetryExport export, NodeAddress? prometheus)
    {
        var resource = ResourceBuilder.CreateDefault()
            .AddService($"quantcluster-{role}", serviceInstanceId: instance)
            .AddAttributes([new("quantcluster.role", role), new("quantcluster.node", instance)]);
        TracerProvider? traces = export switch
        {
            TelemetryExport.Otlp => Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Tracing.SourceName).AddOtlpExporter().Build(),
            TelemetryExport.Console => Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Tracing.SourceName).AddConsoleExporter().Build(),
            _ => null,
        };
        MeterProvider? metrics = null;
        if (export != TelemetryExport.None || prometheus is not null)
        {
            var builder = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Metrics.MeterName).AddRuntimeInstrumentation();
            if (export == TelemetryExport.Otlp) builder = builder.AddOtlpExporter();
            if (export == TelemetryExport.Console) builder = builder.AddConsoleExporter();
            if (prometheus is { } scrape)
            {
                // HttpListener matches the request's Host header against its prefix; "*" is its word for any interface.
                builder = builder.AddPrometheusHttpListener(o => (o.Host, o.Port) = (scrape.Host == "0.0.0.0" ? "*" : scrape.Host, scrape.Port));
            }
            metrics = builder.Build();
        }
        return new Telemetry(traces, metrics);
    }

    /// <summary>The export a --telemetry value (or QUANTCLUSTER_TELEMETRY) names; without one, OTLP when a collector is configured.</summary>
    /// <exception cref="ArgumentException">The value is not none, otlp or console.</exception>
    public static TelemetryExport ParseExport(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable)) ? TelemetryExport.None : TelemetryExport.Otlp,
        "none" => TelemetryExport.None,
        "otlp" => TelemetryExport.Otlp,
        "console" => TelemetryExport.Console,
        _ => throw new ArgumentException($"--telemetry: '{value}' is not an export; allowed: none, otlp, console (QUANTCLUSTER_TELEMETRY)"),
    };

    public void Dispose()
    {
        _traces?.Dispose();
        _metrics?.Dispose();
    }
}
