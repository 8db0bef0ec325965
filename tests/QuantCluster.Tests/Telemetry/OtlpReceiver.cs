using System.Collections.Concurrent;
using System.Net;

namespace QuantCluster.Tests.Telemetry;

/// <summary>A minimal OTLP/HTTP receiver on loopback: answers every POST with 200 and keeps each body by path (/v1/traces, /v1/metrics, ...).</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    public OtlpReceiver()
    {
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every body received on the path, decoded as Latin-1 so protobuf's UTF-8 strings can be searched for.</summary>
    public string Text(string path) =>
        string.Concat(_received.Where(r => r.Path == path).Select(r => System.Text.Encoding.Latin1.GetString(r.Body)));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
