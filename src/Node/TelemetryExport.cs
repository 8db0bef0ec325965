namespace QuantCluster.Node;

/// <summary>Where a process sends its traces and metrics.</summary>
public enum TelemetryExport
{
    /// <summary>Nowhere: the default unless OTEL_EXPORTER_OTLP_ENDPOINT names a collector.</summary>
    None,

    /// <summary>To the OTLP endpoint the standard OTEL_EXPORTER_OTLP_* variables configure.</summary>
    Otlp,

    /// <summary>Spans and metrics printed on the console, for a quick look without a collector.</summary>
    Console,
}
