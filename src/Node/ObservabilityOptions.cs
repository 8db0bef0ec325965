using System.CommandLine;

namespace QuantCluster.Node;

/// <summary>How a process reports what it does: trace and metric export, a Prometheus scrape endpoint, the console log's format.</summary>
public sealed record ObservabilityOptions(TelemetryExport Export, NodeAddress? Prometheus, bool ConsoleJson)
{
    public static readonly ObservabilityOptions Default = new(TelemetryExport.None, null, ConsoleJson: false);
}

/// <summary>The command-line options behind <see cref="ObservabilityOptions"/>, the same in every QuantCluster program.</summary>
public sealed class ObservabilityCommandLine
{
    public Option<string?> Telemetry { get; } = new("--telemetry")
    {
        Description = "Traces and metrics: none, otlp (to OTEL_EXPORTER_OTLP_ENDPOINT) or console (QUANTCLUSTER_TELEMETRY; default otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set, else none)",
    };

    public Option<string?> Metrics { get; } = new("--metrics")
    {
        Description = "host:port to serve Prometheus metrics on, at /metrics (QUANTCLUSTER_METRICS; default off)",
    };

    public Option<string?> LogFormat { get; } = new("--log-format") { Description = "Console log: text or json (QUANTCLUSTER_LOG_FORMAT; default text)" };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Telemetry);
        root.Options.Add(Metrics);
        root.Options.Add(LogFormat);
    }

    /// <exception cref="ArgumentException">A value (given or from the environment) is not one the option takes.</exception>
    public ObservabilityOptions Read(ParseResult parsed) => new(
        Node.Telemetry.ParseExport(OptionOrEnvironment.Get(parsed.GetValue(Telemetry), "QUANTCLUSTER_TELEMETRY")),
        OptionOrEnvironment.Get(parsed.GetValue(Metrics), "QUANTCLUSTER_METRICS") is { } metrics ? NodeAddress.Parse(metrics, "--metrics") : null,
        LogSetup.ParseConsoleJson(OptionOrEnvironment.Get(parsed.GetValue(LogFormat), "QUANTCLUSTER_LOG_FORMAT")));
}
